"""The plain-text email version: Jinja2 template, Markdown walked to wrapped lines, link refs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING

from pressexport import formats, templates
from pressexport.layout import document_path
from pressexport.markup import LinkRefs, Markdown, dispatch, shows_its_target
from pressexport.view import MediaView, ReleaseView, subject
from pressexport.wrap import width, wrap
from pressexport.writers import Artifact, Context

if TYPE_CHECKING:
    from pathlib import Path

    from markdown_it.tree import SyntaxTreeNode

COLUMNS = 72
TEMPLATE = formats.TEXT_TEMPLATE


Wrap = Callable[..., list[str]]


def reference_lines(refs: LinkRefs, wrapper: Wrap = wrap) -> list[str]:
    """`[1] https://...` lines, each wrapped (a long URL stands alone)."""
    out: list[str] = []
    for n, url in enumerate(refs.urls, 1):
        out += wrapper(url, COLUMNS, f"[{n}] ", " " * len(f"[{n}] "))
    return out


class TextWalker:
    """Walks a Markdown tree into wrapped plain-text blocks; links become numbered references."""

    def __init__(self, refs: LinkRefs, wrapper: Wrap = wrap) -> None:
        self.refs = refs
        self.wrap = wrapper
        self.blocks = {
            "root": self._children, "paragraph": self._paragraph, "heading": self._paragraph,
            "bullet_list": self._list, "ordered_list": self._list, "list_item": self._children,
            "blockquote": self._quote,
        }
        self.inlines = {
            "inline": self._inline, "text": lambda n: n.content,
            "code_inline": lambda n: n.content, "em": self._inline,
            "strong": self._inline, "link": self._link,
            "span": self._inline,  # a run of another script (typography): its text as is
            "softbreak": lambda n: " ", "hardbreak": lambda n: "\n",
        }

    def render(self, markdown: Markdown, columns: int = COLUMNS) -> str:
        """The whole field as text."""
        return _joined(dispatch(self.blocks, markdown.tree, columns))

    def body(self, v: ReleaseView, columns: int = COLUMNS) -> str:
        """The body, the dateline leading into its first paragraph (or standing alone before it)."""
        blocks = dispatch(self.blocks, v.body.tree, columns)
        if v.body.opens_with_paragraph():
            first = v.body.tree.children[0]
            blocks[0] = self.wrap_text(v.lead_in + self._inline(first), columns)
        else:
            blocks.insert(0, self.wrap_text(v.dateline, columns))
        return _joined(blocks)

    def wrap_text(self, text: str, columns: int, first: str = "", rest: str = "") -> list[str]:
        """Wrap text whose hard line breaks are `\\n`."""
        lines: list[str] = []
        for i, part in enumerate(text.split("\n")):
            lines += self.wrap(part, columns, first if i == 0 else rest, rest)
        return lines

    def _children(self, node: SyntaxTreeNode, columns: int) -> list[list[str]]:
        return [block for child in node.children for block in dispatch(self.blocks, child, columns)]

    def _paragraph(self, node: SyntaxTreeNode, columns: int) -> list[list[str]]:
        return [self.wrap_text(self._inline(node), columns)]

    def _inline(self, node: SyntaxTreeNode) -> str:
        return "".join(dispatch(self.inlines, child) for child in node.children)

    def _list(self, node: SyntaxTreeNode, columns: int) -> list[list[str]]:
        start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
        lines: list[str] = []
        for n, item in enumerate(node.children, start):
            marker = f"{n}. " if node.type == "ordered_list" else "• "
            body = self._children(item, columns - len(marker))
            for i, block in enumerate(body):
                for j, line in enumerate(block):
                    lead = marker if i == 0 and j == 0 else " " * len(marker)
                    lines.append((lead + line).rstrip())
                if i < len(body) - 1 and not _tight(node):
                    lines.append("")
        return [lines]

    def _quote(self, node: SyntaxTreeNode, columns: int) -> list[list[str]]:
        return [["    " + line if line else "" for line in block]
                for block in self._children(node, columns - 4)]

    def _link(self, node: SyntaxTreeNode) -> str:
        return self.linked(self._inline(node), str(node.attrs["href"]))

    def linked(self, text: str, href: str) -> str:
        """`text [1]`, the link's target numbered among the references (unless it shows it)."""
        if shows_its_target(text, href):
            return text
        # Chinese text gains no spaces: the reference follows a wide character directly.
        space = "" if text and width(text[-1]) == 2 else " "
        return f"{text}{space}[{self.refs.number(href)}]"

    def also_available(self, v: ReleaseView) -> str:
        """`Also available in Chinese [3]`: each translation a numbered link to its page."""
        names = [self.linked(t.name, t.url) for t in v.translations]
        return v.labels.also_available.format(languages=v.labels.list_sep.join(names))


def _joined(blocks: list[list[str]]) -> str:
    return "\n\n".join("\n".join(block) for block in blocks)


def _tight(node: SyntaxTreeNode) -> bool:
    # markdown-it hides the paragraphs of a tight list; a loose list keeps blank lines.
    return all(p.hidden for item in node.children for p in item.children if p.type == "paragraph")


def warm_up(source: Path, user_templates: Path | None) -> None:
    """Compile the text template ahead of the first release."""
    templates.environment(user_templates, autoescape=False).get_template(TEMPLATE)


def render(v: ReleaseView, ctx: Context) -> str:
    """The text version of a release, ending with a newline."""
    return _render(v, ctx, wrap(subject(v.release), COLUMNS, "Subject: ", " "))


def render_body(v: ReleaseView, ctx: Context, soft: bool = False) -> str:
    """The text version without its `Subject:` lines: the .eml's plain-text body; with `soft`,
    the lines the wrapper broke are marked (wrap.SOFT_AT_SPACE, SOFT_NO_SPACE)."""
    # `subject` is empty, wherever a template (the user's included) puts it; the blank lines
    # left are tidied away. Nothing is cut out of rendered text by position.
    return _render(v, ctx, [], soft)


def _render(release_view: ReleaseView, ctx: Context, subject_lines: list[str],
            soft: bool = False) -> str:
    """The template rendered with `subject_lines` as its `subject`, tidied."""
    refs = LinkRefs()
    wrapper = partial(wrap, soft=soft)
    walker = TextWalker(refs, wrapper)
    env = templates.environment(ctx.templates, autoescape=False)
    text = env.get_template(TEMPLATE).render(
        v=release_view,
        subject=subject_lines,
        wrap=lambda text, first="", rest="": "\n".join(wrapper(text, COLUMNS, first, rest)),
        markdown=walker.render,
        # Rendered where the template shows it: references are numbered in reading order.
        body=lambda: walker.body(release_view),
        media_lines=lambda item: _media_lines(item, refs, wrapper),
        also_available=lambda: walker.also_available(release_view),
        references=lambda: reference_lines(refs, wrapper),
    )
    return _tidy(text)


def _media_lines(item: MediaView, refs: LinkRefs, wrapper: Wrap = wrap) -> str:
    """The caption (its image or link a numbered reference), then the credit."""
    caption = item.caption
    if item.href:
        caption += f" [{refs.number(item.href)}]"
    lines = wrapper(caption, COLUMNS)
    if item.credit:
        lines += wrapper(item.credit, COLUMNS)
    return "\n".join(lines)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def write(v: ReleaseView, ctx: Context, inputs: Mapping[str, bytes]) -> list[Artifact]:
    """out/SLUG/SLUG.txt."""
    return [Artifact(document_path(v.release.slug, "txt"), render(v, ctx).encode("utf-8"))]

