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
    """A Markdown field: its source text and the document tree parsed from it, once for all
    the writers. An archive of thousands of releases keeps only the text between uses
    (`forget`): the tree of one release takes tens of kilobytes."""

    source: str

    @classmethod
    def parse(cls, source: str) -> Markdown:
        """Parse `source` with the project's one Markdown configuration."""
        markdown = cls(source)
        markdown.tokens  # noqa: B018 - parsed now
        return markdown

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        """The token stream of markdown-it, the project's one parser."""
        return tuple(_parser().parse(self.source))

    @cached_property
    def tree(self) -> SyntaxTreeNode:
        """The document tree every walker reads (built once, from the tokens)."""
        from markdown_it.tree import SyntaxTreeNode

        return SyntaxTreeNode(list(self.tokens))

    def forget(self) -> None:
        """Drop the parsed tokens and tree; they are parsed again when next read."""
        self.__dict__.pop("tokens", None)
        self.__dict__.pop("tree", None)

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

    def problems(self) -> list[tuple[int, int, str]]:
        """Every construct outside the allowed subset, as (line, column, message): where it
        starts in the source, counted from 0."""
        lines = self.source.split("\n")
        # The source text was checked as a field; only character references (`&#xE000;`),
        # decoded by the parser, can bring in characters it did not show.
        references = "&" in self.source
        found: list[tuple[int, int, str]] = []
        after: dict[str, tuple[int, int]] = {}  # where the last raw HTML of each text was
        html_lines: set[int] = set()  # `<b>x</b>`: one report a line, at its first tag
        for node, line in _walk_with_lines(self.tree, 0):
            messages = list(_node_problems(node, references))
            if not messages:
                continue
            if node.type == "html_inline":
                # Inline nodes carry no line: find the tag itself, from the block's first line.
                where = _find(lines, node.content, max((line, 0), after.get(node.content, (0, 0))))
                after[node.content] = (where[0], where[1] + 1)
                if where[0] in html_lines:
                    continue
                html_lines.add(where[0])
            else:
                text = lines[line] if line < len(lines) else ""
                where = (line, len(text) - len(text.lstrip()))
            found.extend((*where, message) for message in messages)
        return found


def _node_problems(node: SyntaxTreeNode, references: bool) -> Iterator[str]:
    if references and node.type in ("text", "link"):
        from pressexport.fieldtypes import unprintable

        problem = unprintable(node.content if node.type == "text" else node.attrs["href"])
        if problem:
            yield problem
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


def _find(lines: list[str], text: str, start: tuple[int, int]) -> tuple[int, int]:
    """(line, column) of the first `text` in `lines` at or after `start`, else `start`."""
    line, col = start
    for number in range(line, len(lines)):
        found = lines[number].find(text, col if number == line else 0)
        if found >= 0:
            return number, found
    return start


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
