"""The .eml's HTML alternative: the web page with its CSS inlined and nothing left to fetch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml.html import HtmlElement

#: Elements a mail client would load from elsewhere (or run); a media item keeps its caption and
#: credit, and the PDF attached carries the photos.
FETCHING = ("img", "picture", "source", "video", "audio", "track", "iframe", "object", "embed",
            "script", "noscript", "link", "base", "form")
KEPT_META = ("charset", "viewport")
#: CSS functions that take a URL.
LOADING_FUNCTIONS = ("url", "image-set")


def email_html(page: str, base_url: str) -> str:
    """`page` for a mail client: CSS in style attributes, absolute links, no external resources."""
    import css_inline

    cleaned = _serialize(_without_fetching(_parse(page), base_url))
    # The <style> the web page carries becomes style attributes (Outlook and many webmails drop
    # <style>); @media rules cannot be inlined and go with it.
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False,
                                    keep_link_tags=False)
    document = _parse(inliner.inline(cleaned))
    for element in document.iter():
        style = element.get("style")
        if style is not None and "url(" in style.lower():
            element.set("style", _without_urls(style))
    return _serialize(document)


def _parse(text: str) -> HtmlElement:
    """`text` as an lxml HTML document."""
    from lxml import html

    return html.document_fromstring(text)


def _serialize(document: HtmlElement) -> str:
    """`document` as HTML text with its doctype, ending with a newline."""
    from lxml import html

    return html.tostring(document, doctype="<!DOCTYPE html>", encoding="unicode") + "\n"


def _without_fetching(document: HtmlElement, base_url: str) -> HtmlElement:
    """Drop what would load or run something; make every link absolute under `base_url`."""
    dropped = list(document.iter(*FETCHING))
    dropped += [meta for meta in document.iter("meta")
                if not any(meta.get(name) is not None or meta.get("name") == name
                           for name in KEPT_META)]
    for element in dropped:
        if element.tail is not None and not element.tail.strip():
            element.tail = None  # no blank line left where it stood
        element.drop_tree()  # keeps the text that follows it
    document.make_links_absolute(base_url, resolve_base_href=False)
    return document


def _without_urls(style: str) -> str:
    """A style attribute without the declarations that load a URL (background images, fonts)."""
    import tinycss2

    kept = []
    for declaration in tinycss2.parse_blocks_contents(style, skip_whitespace=True,
                                                      skip_comments=True):
        if declaration.type != "declaration" or _loads(declaration.value):
            continue
        kept.append(f"{declaration.name}: {tinycss2.serialize(declaration.value).strip()}"
                    f"{' !important' if declaration.important else ''}")
    return "; ".join(kept)


def _loads(tokens: Sequence[Any]) -> bool:
    """True when CSS `tokens` (tinycss2 nodes) load something: a URL, at any depth."""
    return any(token.type == "url" or (token.type == "function" and (
        token.lower_name in LOADING_FUNCTIONS or _loads(token.arguments))) for token in tokens)
