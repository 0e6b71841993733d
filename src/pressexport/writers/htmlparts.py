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


def body_html(v: ReleaseView) -> Markup:
    """The body as HTML, the dateline (class "dateline") leading into its first paragraph, or
    standing alone as a paragraph before it."""
    html = markdown_html(v.body)
    if v.body.opens_with_paragraph():
        lead = Markup('<span class="dateline">{}</span>').format(v.lead_in)
        return Markup("<p>") + lead + Markup(html[len("<p>"):])  # markdown-it opens it so
    return Markup('<p class="dateline">{}</p>\n').format(v.dateline) + html


def also_available_html(v: ReleaseView) -> Markup | None:
    """`Also available in Chinese`, each language a link to its translation (with hreflang)."""
    if not v.translations:
        return None
    from pressexport.i18n import direction, join_list

    links = [Markup('<a href="{}" hreflang="{}" lang="{}" dir="{}">{}</a>').format(
        t.url, t.tag, t.tag, direction(t.tag), t.name) for t in v.translations]
    # CLDR's list pattern, joined over placeholders so that the links stay markup.
    pattern = join_list([f"{{{i}}}" for i in range(len(links))], v.language)
    return escape(v.labels.also_available).format(languages=escape(pattern).format(*links))
