"""The Word version's tree walker: the shared Markdown tree becomes styled paragraphs, its inline
marks runs and hyperlinks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pressexport.markup import Markdown, dispatch
from pressexport.view import ReleaseView
from pressexport.writers import docx_xml
from pressexport.writers.docx_xml import Segment

if TYPE_CHECKING:
    from docx.oxml.text.paragraph import CT_P
    from markdown_it.tree import SyntaxTreeNode

    from pressexport.writers.word import WordBuilder

LIST_LEVELS = 3  # List Bullet, List Bullet 2, List Bullet 3; deeper lists stay at level 3


@dataclass(frozen=True)
class Scope:
    """Where the walker is: the style of plain paragraphs here, and the list depth."""

    style: str
    depth: int = 0


@dataclass(frozen=True)
class Marks:
    """The inline marks in force: bold, italic, the link target."""

    bold: bool = False
    italic: bool = False
    href: str | None = None


class WordWalker:
    """Walks a Markdown tree into styled paragraphs; inline marks become runs and hyperlinks."""

    def __init__(self, out: WordBuilder) -> None:
        self.out = out
        self.blocks = {
            "root": self._children, "paragraph": self._paragraph, "heading": self._heading,
            "bullet_list": self._list, "ordered_list": self._list, "blockquote": self._quote,
        }
        self.inlines = {
            "inline": self._marked, "em": self._marked, "strong": self._marked,
            "link": self._marked, "text": self._text, "code_inline": self._text,
            # A run of another script (typography); the builder gives it its language.
            "span": self._marked,
            "softbreak": lambda node, marks: [Segment(" ", marks.bold, marks.italic, marks.href)],
            "hardbreak": lambda node, marks: [Segment("\n", marks.bold, marks.italic, marks.href)],
        }

    def render(self, markdown: Markdown, style: str) -> None:
        """Append the whole field, its plain paragraphs in `style`."""
        self._children(markdown.tree, Scope(style))

    def body(self, v: ReleaseView) -> None:
        """Append the body, the dateline leading into its first paragraph (or standing alone
        before it)."""
        scope = Scope("Normal")
        children = list(v.body.tree.children)
        style = self.out.styles["Dateline"]
        if v.body.opens_with_paragraph():
            self._paragraph(children.pop(0), scope, Segment(v.lead_in, style=style))
        else:
            self.out.paragraph(scope.style, [Segment(v.dateline, style=style)])
        for child in children:
            dispatch(self.blocks, child, scope)

    def segments(self, block: SyntaxTreeNode) -> list[Segment]:
        """The inline content of a paragraph or heading as marked segments."""
        return [s for child in block.children for s in dispatch(self.inlines, child, Marks())]

    def _children(self, node: SyntaxTreeNode, scope: Scope) -> None:
        for child in node.children:
            dispatch(self.blocks, child, scope)

    def _paragraph(self, node: SyntaxTreeNode, scope: Scope, *lead: Segment) -> CT_P:
        return self.out.paragraph(scope.style, [*lead, *self.segments(node)])

    def _heading(self, node: SyntaxTreeNode, scope: Scope) -> None:
        self.out.paragraph("Heading 2" if node.tag == "h2" else "Heading 3", self.segments(node))

    def _quote(self, node: SyntaxTreeNode, scope: Scope) -> None:
        self._children(node, replace(scope, style="Quote"))

    def _list(self, node: SyntaxTreeNode, scope: Scope) -> None:
        depth = min(scope.depth + 1, LIST_LEVELS)
        suffix = "" if depth == 1 else f" {depth}"
        kind = "List Number" if node.type == "ordered_list" else "List Bullet"
        num_id = None
        if node.type == "ordered_list":
            start = int(node.attrs.get("start", 1))
            num_id = self.out.restart_list(kind + suffix, depth - 1, start)
        inner = Scope("List Continue" + suffix, depth)
        for item in node.children:
            self._item(item, inner, kind + suffix, num_id)

    def _item(self, item: SyntaxTreeNode, scope: Scope, style: str, num_id: int | None) -> None:
        """The item's first paragraph carries the marker; the rest continue without one."""
        children = list(item.children)
        if children and children[0].type == "paragraph":
            p = self.out.paragraph(style, self.segments(children.pop(0)))
            if num_id is not None:
                docx_xml.set_numbering(p, num_id, scope.depth - 1)
        for child in children:
            dispatch(self.blocks, child, scope)

    def _marked(self, node: SyntaxTreeNode, marks: Marks) -> list[Segment]:
        if node.type == "em":
            marks = replace(marks, italic=True)
        elif node.type == "strong":
            marks = replace(marks, bold=True)
        elif node.type == "link":
            marks = replace(marks, href=str(node.attrs["href"]))
        return [s for child in node.children for s in dispatch(self.inlines, child, marks)]

    def _text(self, node: SyntaxTreeNode, marks: Marks) -> list[Segment]:
        return [Segment(node.content, marks.bold, marks.italic, marks.href)]
