"""HTML pieces shared by the HTML-speaking writers: Markdown fields and absolute media URLs."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from markupsafe import Markup, escape

from pressexport import i18n
from pressexport.markup import Markdown
from pressexport.newsroom import translation_urls

if TYPE_CHECKING:
    from pressexport.model import Release
    from pressexport.view import MediaView, ReleaseView


def markdown_html(text: Markdown) -> Markup:
    """A Markdown field as HTML from markdown-it's renderer (raw HTML never gets this far)."""
    return Markup(text.html())


def body_html(body: Markdown, lead_in: str, lead_class: str | None = None) -> Markup:
    """The body as HTML with the dateline lead-in opening its first paragraph; with
    `lead_class`, the lead-in is marked up for styling (a span, or its own paragraph's class)."""
    html = body.html()
    if body.tokens and body.tokens[0].type == "paragraph_open" and html.startswith("<p>"):
        lead = (Markup('<span class="{}">{}</span>').format(lead_class, lead_in) if lead_class
                else escape(lead_in))
        return Markup("<p>") + lead + Markup(html[len("<p>"):])
    opening = Markup('<p class="{}">').format(lead_class) if lead_class else Markup("<p>")
    return opening + escape(lead_in.rstrip(" –—")) + Markup("</p>\n") + markdown_html(body)


def media_url(release: Release, item: MediaView) -> str | None:
    """The absolute URL of a media item's image (copied next to the page) or link, if any."""
    if item.file:  # percent-encoded as the page's copy is named: media/NAME under its folder
        return f"{release.url}media/{quote(item.file)}"
    return item.url


def also_available_html(v: ReleaseView) -> Markup | None:
    """`Also available in Chinese`, each language a link to its translation (with hreflang)."""
    if not v.release.translations:
        return None
    links = [
        Markup('<a href="{}" hreflang="{}">{}</a>').format(
            url, tag, i18n.language_name(tag, v.language))
        for tag, url in translation_urls(v.release)
    ]
    return escape(v.labels.also_available).format(languages=escape(v.labels.list_sep).join(links))
