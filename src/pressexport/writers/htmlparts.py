"""HTML pieces shared by the HTML-speaking writers: the body, Markdown fields, translations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from pressexport.markup import Markdown

if TYPE_CHECKING:
    from pressexport.view import ReleaseView


def markdown_html(text: Markdown) -> Markup:
    """A Markdown field as HTML from markdown-it's renderer (raw HTML never gets this far)."""
    return Markup(text.html())


def body_html(v: ReleaseView, lead_class: str | None = None) -> Markup:
    """The body as HTML, the dateline leading into its first paragraph (or standing alone before
    it); with `lead_class`, the dateline is marked up for styling (a span, or its paragraph's
    class)."""
    html = markdown_html(v.body)
    if v.body.opens_with_paragraph():
        lead = (Markup('<span class="{}">{}</span>').format(lead_class, v.lead_in) if lead_class
                else escape(v.lead_in))
        return Markup("<p>") + lead + Markup(html[len("<p>"):])  # markdown-it opens it so
    opening = Markup('<p class="{}">').format(lead_class) if lead_class else Markup("<p>")
    return opening + escape(v.dateline) + Markup("</p>\n") + html


def also_available_html(v: ReleaseView) -> Markup | None:
    """`Also available in Chinese`, each language a link to its translation (with hreflang)."""
    if not v.translations:
        return None
    links = [Markup('<a href="{}" hreflang="{}">{}</a>').format(t.url, t.tag, t.name)
             for t in v.translations]
    return escape(v.labels.also_available).format(languages=escape(v.labels.list_sep).join(links))
