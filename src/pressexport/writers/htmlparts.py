"""HTML pieces shared by the HTML-speaking writers: the body, Markdown fields, translations, and
the printed PDF's numbered link references."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from pressexport.markup import LinkRefs, Markdown, inline_text, shows_its_target, walk

if TYPE_CHECKING:
    from markdown_it.token import Token

    from pressexport.view import ReleaseView


def markdown_html(text: Markdown, refs: LinkRefs | None = None) -> Markup:
    """A Markdown field as HTML from markdown-it's renderer (raw HTML never gets this far); with
    `refs`, each link whose text is not its target is followed by its reference number."""
    if refs is None:
        return Markup(text.html())
    from markdown_it.token import Token

    from pressexport.markup import render_tokens

    tokens: list[Token] = []
    for token in text.tokens:
        if token.type == "inline" and token.children:
            token = token.copy(children=_numbered(token.children, refs, Token))
        tokens.append(token)
    return Markup(render_tokens(tokens))


def _numbered(children: list[Token], refs: LinkRefs, token_type: type[Token]) -> list[Token]:
    """Inline tokens with a reference after each link_close that needs one."""
    out: list[Token] = []
    opened: list[tuple[str, list[str]]] = []  # (href, text so far) of the open links
    for child in children:
        out.append(child)
        if child.type == "link_open":
            opened.append((str(child.attrs.get("href", "")), []))
        elif child.type == "link_close" and opened:
            href, words = opened.pop()
            marker = ref_html(refs, "".join(words), href)
            if marker:
                out.append(token_type("html_inline", "", 0, content=str(marker)))
        elif opened:
            text = " " if child.type in ("softbreak", "hardbreak") else child.content
            opened[-1][1].append(text)
    return out


def ref_html(refs: LinkRefs | None, text: str, href: str | None) -> Markup:
    """`[1]` after a link in print (empty when the text shows the target, or not printing)."""
    if refs is None or not href or shows_its_target(text, href):
        return Markup("")
    return Markup('<span class="link-ref">[{}]</span>').format(refs.number(href))


def number_links(v: ReleaseView, refs: LinkRefs) -> None:
    """Number every link of the printed document in reading order, before it is rendered (the
    template renders the body before the fields it shows above it). Translations are not
    numbered: their addresses are printed where they are named (see also_available_html)."""
    fields = [v.update.correction if v.update else None, v.body]
    for field in fields:
        _number_field(field, refs)
    for item in v.media:
        if item.url:
            ref_html(refs, item.caption, item.url)
    for section in (v.notes, v.about):
        _number_field(section.text if section else None, refs)


def _number_field(text: Markdown | None, refs: LinkRefs) -> None:
    for node in walk(text.tree) if text else ():
        if node.type == "link":
            ref_html(refs, inline_text(node), str(node.attrs["href"]))


def body_html(v: ReleaseView, refs: LinkRefs | None = None) -> Markup:
    """The body as HTML, the dateline (class "dateline") leading into its first paragraph, or
    standing alone as a paragraph before it."""
    html = markdown_html(v.body, refs)
    if v.body.opens_with_paragraph():
        lead = Markup('<span class="dateline">{}</span>').format(v.lead_in)
        return Markup("<p>") + lead + Markup(html[len("<p>"):])  # markdown-it opens it so
    return Markup('<p class="dateline">{}</p>\n').format(v.dateline) + html


def also_available_html(v: ReleaseView, refs: LinkRefs | None = None) -> Markup | None:
    """`Also available in Chinese`, each language a link to its translation (with hreflang).

    Printed (`refs` given), each name is followed by its address: the line has room for it,
    where a numbered reference would cost the list of links a line the Word version lacks.
    """
    if not v.translations:
        return None
    from pressexport.i18n import direction, join_list

    shown = '<a href="{}" hreflang="{}" lang="{}" dir="{}">{}</a>'
    if refs is not None:
        shown += '<span class="link-url">{}</span>'  # in brackets (html/print.css)
    links = [Markup(shown).format(t.url, t.tag, t.tag, direction(t.tag), t.name, t.url)
             for t in v.translations]
    # CLDR's list pattern, joined over placeholders so that the links stay markup.
    pattern = join_list([f"{{{i}}}" for i in range(len(links))], v.language)
    return escape(v.labels.also_available).format(languages=escape(pattern).format(*links))
