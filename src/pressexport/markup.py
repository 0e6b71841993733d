"""The one Markdown parser: every Markdown field becomes one document tree that writers walk."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from markdown_it.tree import SyntaxTreeNode

#: Node types a release's Markdown may contain; anything else is an input error.
BLOCK_TYPES = frozenset(
    {"root", "paragraph", "heading", "bullet_list", "ordered_list", "list_item", "blockquote"}
)
INLINE_TYPES = frozenset(
    {"inline", "text", "em", "strong", "link", "softbreak", "hardbreak", "code_inline"}
)
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

_UNSUPPORTED = {
    "html_block": "raw HTML is not allowed; write Markdown instead",
    "html_inline": "raw HTML is not allowed; write Markdown instead",
    "image": "images in the text are not supported; list them under 'media'",
    "fence": "code blocks are not supported in a press release",
    "code_block": "code blocks are not supported in a press release",
    "hr": "horizontal rules are not supported; use a ## subhead",
}


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # html=True so raw HTML is *seen* and reported, not silently escaped or passed through.
    md = MarkdownIt("commonmark", {"html": True})
    # An indented paragraph is a paragraph in a press release, never a code block.
    md.disable("code")
    # Let every target through the parser so that check() can name the refused ones.
    md.validateLink = lambda url: True
    return md


@dataclass(frozen=True, eq=False)
class Markdown:
    """A Markdown field: its source text and the document tree parsed from it, once."""

    source: str
    tokens: tuple[Token, ...]

    @classmethod
    def parse(cls, source: str) -> Markdown:
        """Parse `source` with the project's one Markdown configuration."""
        return cls(source, tuple(_parser().parse(source)))

    @cached_property
    def tree(self) -> SyntaxTreeNode:
        """The document tree every walker reads (built once, from the tokens)."""
        from markdown_it.tree import SyntaxTreeNode

        return SyntaxTreeNode(list(self.tokens))

    def html(self) -> str:
        """HTML for web page, PDF and feeds, from markdown-it's own renderer."""
        return render_tokens(self.tokens)

    def plain(self) -> str:
        """The text with all markup removed, blocks joined by a blank line."""
        return "\n\n".join(
            inline_text(node) for node in walk(self.tree) if node.type == "inline"
        )

    def opens_with_paragraph(self) -> bool:
        """Whether the field starts with a paragraph, which the dateline then leads into (before
        a heading, list or quote the dateline stands alone)."""
        return bool(self.tokens) and self.tokens[0].type == "paragraph_open"

    def first_paragraph(self) -> str:
        """The plain text of the first paragraph (the default summary)."""
        for node in walk(self.tree):
            if node.type == "paragraph":
                return inline_text(node.children[0])
        return ""

    def problems(self) -> list[tuple[int, str]]:
        """Every construct outside the allowed subset, as (line offset, message)."""
        found: list[tuple[int, str]] = []
        for node, line in _walk_with_lines(self.tree, 0):
            found.extend((line, message) for message in _node_problems(node))
        return found


def _node_problems(node: SyntaxTreeNode) -> Iterator[str]:
    if node.type in _UNSUPPORTED:
        yield _UNSUPPORTED[node.type]
    elif node.type not in BLOCK_TYPES | INLINE_TYPES:
        yield f"'{node.type}' is not supported in a press release"
    elif node.type == "heading" and node.tag not in ("h2", "h3"):
        yield f"use '##' or '###' for subheads ({node.markup} is not allowed)"
    elif node.type == "link":
        href = str(node.attrs.get("href", ""))
        scheme = urlsplit(href).scheme.lower()
        if scheme not in LINK_SCHEMES:
            yield (
                f"link target '{href}' is not allowed: use an absolute https:// "
                "(or http://, mailto:) address"
            )


def _walk_with_lines(node: SyntaxTreeNode, line: int) -> Iterator[tuple[SyntaxTreeNode, int]]:
    if not node.is_root and node.map is not None:
        line = node.map[0]
    yield node, line
    for child in node.children:
        yield from _walk_with_lines(child, line)


def walk(node: SyntaxTreeNode) -> Iterator[SyntaxTreeNode]:
    """Every node below and including `node`, in document order."""
    yield node
    for child in node.children:
        yield from walk(child)


def inline_text(node: SyntaxTreeNode) -> str:
    """The plain text of an inline subtree; line breaks become spaces."""
    if node.type in ("softbreak", "hardbreak"):
        return " "
    if node.type in ("text", "code_inline"):
        return node.content
    return "".join(inline_text(child) for child in node.children)


def render_tokens(tokens: Iterable[Token]) -> str:
    """HTML of tokens of the project's parser, from markdown-it's own renderer."""
    md = _parser()
    return md.renderer.render(list(tokens), md.options, {})


@dataclass
class LinkRefs:
    """Numbered link references, in order of first appearance across a whole document: how
    the text version and the printed PDF show where a link goes."""

    urls: list[str] = field(default_factory=list)

    def number(self, url: str) -> int:
        """The reference number of `url`, adding it when new."""
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1


def shows_its_target(text: str, href: str) -> bool:
    """Whether a link's text already is where it goes (then it needs no reference)."""
    return text in (href, href.removeprefix("mailto:"))


T = TypeVar("T")


def dispatch(handlers: Mapping[str, Callable[..., T]], node: SyntaxTreeNode, *args: object) -> T:
    """Call the handler for `node.type`; an unknown node type raises instead of losing text."""
    try:
        handler = handlers[node.type]
    except KeyError:
        raise TypeError(f"no handler for Markdown node type '{node.type}'") from None
    return handler(node, *args)
