"""Paragraph-level structure as Markdown: paragraphs, subheads, quotes and nested lists."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_DEPTH = 3  # the Word version's List Bullet 3 / List Number 3
WIDTH = 86  # columns of Markdown text, so the YAML block scalar stays within 88
#: A word Markdown would read as a block marker at the start of a line; never wrap before one.
BLOCK_START = re.compile(r"^(?:[-+*>#=]|\d+[.)])")


@dataclass(frozen=True)
class Block:
    """One paragraph's role and its inline Markdown.

    kind: `p`, `h2`, `h3`, `quote`, `bullet`, `number` (list items, at `level` 1..), or `more`
    (a further paragraph of the list item at `level`). `list_id` tells one numbered list from the
    next (None: it continues the list before it); `start` is the number its first item shows.
    """

    kind: str
    text: str
    level: int = 0
    list_id: int | None = None
    start: int = 1


@dataclass
class _Open:
    kind: str
    list_id: int | None
    indent: str  # the item content's indentation
    count: int
    start: int
    marker: str


def markdown(blocks: Sequence[Block]) -> str:
    """The blocks as Markdown, blocks separated by a blank line, lists nested by indentation."""
    out: list[str] = []
    stack: list[_Open] = []
    last_closed: dict[int, str] = {}  # depth → marker of the list that just ended there
    previous = ""
    for block in blocks:
        if not block.text.strip():
            continue
        if block.kind == "quote" and previous == "quote" and not stack:
            out[-1] += "\n>\n" + _plain_block(block)  # one quote of several paragraphs
        elif block.kind in ("bullet", "number"):
            out.append(_item(block, stack, last_closed, out))
        elif block.kind == "more" and stack:
            depth = min(block.level, len(stack)) or 1
            del stack[depth:]
            out.append("\n" + _indented(block.text, stack[-1].indent, stack[-1].indent))
        else:
            stack.clear()
            last_closed.clear()
            out.append(("\n" if out else "") + _plain_block(block))
        previous = block.kind
    return "\n".join(out).strip("\n") + "\n" if out else ""


def _item(block: Block, stack: list[_Open], last_closed: dict[int, str], out: list[str]) -> str:
    depth = max(1, min(block.level, MAX_DEPTH, len(stack) + 1))
    while len(stack) > depth:
        last_closed[len(stack)] = stack.pop().marker
    top = stack[-1] if len(stack) == depth else None
    if top is not None and (top.kind != block.kind or (
            block.kind == "number" and block.list_id not in (None, top.list_id))):
        last_closed[depth] = stack.pop().marker
        top = None
    gap = ""
    if top is None:
        # A blank line before a list that does not continue an item, and before one starting
        # at another number than 1, which Markdown would otherwise read as the paragraph's text.
        if out and (depth == 1 or (block.kind == "number" and block.start != 1)):
            gap = "\n"
        marker = _marker(block.kind, last_closed.get(depth))
        parent = stack[-1].indent if stack else ""
        top = _Open(block.kind, block.list_id, parent, 0, block.start, marker)
        stack.append(top)
    number = top.start + top.count
    bullet = f"{number}{top.marker}" if block.kind == "number" else top.marker
    parent = stack[-2].indent if len(stack) > 1 else ""
    top.indent = parent + " " * (len(bullet) + 1)
    top.count += 1
    last_closed.pop(depth, None)
    return gap + _indented(block.text, parent + bullet + " ", top.indent)


def _marker(kind: str, previous: str | None) -> str:
    """A list right after another of its kind takes the other marker, or Markdown would join
    them into one list."""
    if kind == "number":
        return ")" if previous == "." else "."
    return "*" if previous == "-" else "-"


def _plain_block(block: Block) -> str:
    if block.kind == "h2":
        return "## " + block.text.replace("\\\n", " ")
    if block.kind == "h3":
        return "### " + block.text.replace("\\\n", " ")
    if block.kind == "quote":
        return _indented(block.text, "> ", "> ")
    return _indented(block.text, "", "")


def _indented(text: str, first: str, rest: str) -> str:
    """`text` with `first` before its first line and `rest` before the others, each line
    wrapped at spaces (a line break inside a paragraph is a space in Markdown)."""
    out = []
    for i, line in enumerate(text.split("\n")):
        prefix = first if i == 0 else rest
        for piece in _wrap(line, WIDTH - len(rest)):
            out.append(prefix + piece)
            prefix = rest
    return "\n".join(out)


def _wrap(line: str, width: int) -> list[str]:
    """`line` cut at spaces into lines of at most `width` characters where it can be (a long
    word stands alone; text without spaces, as Chinese, is not cut)."""
    words = line.split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > width and word \
                and not BLOCK_START.match(word) and not current.endswith("\\"):
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current]
