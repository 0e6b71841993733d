"""Marked text as Markdown: bold and italic runs, hyperlinks and line breaks, with every
character that Markdown would read as markup escaped."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from pressexport.wordimport.docxread import Piece

#: Link schemes a release may use; a link to anything else is kept as its text.
SCHEMES = ("https://", "http://", "mailto:")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)(#|>|[-+](?=\s|$)|=+\s*$|\d+(?=[.)](?:\s|$)))", re.MULTILINE)


@dataclass(frozen=True)
class _Node:
    """A piece, or a link holding pieces; `marks` are what applies to all of it."""

    marks: frozenset[str]
    text: str = ""
    href: str | None = None
    children: tuple[Piece, ...] = ()


def markdown(pieces: Sequence[Piece]) -> str:
    """The pieces as one Markdown paragraph (line breaks as hard breaks)."""
    nodes: list[_Node] = []
    for href, linked in groupby(pieces, key=lambda p: _linkable(p.href)):
        group = tuple(linked)
        if href:
            nodes.append(_Node(frozenset.intersection(*(_marks(p) for p in group)), href=href,
                               children=group))
        else:
            nodes += [_Node(_marks(p), text=p.text) for p in group]
    text = _emit(nodes, frozenset())
    text = re.sub(r"[ \t]+\n", "\n", text).strip(" \t")
    text = re.sub(r"\n+", "\\\\\n", text.strip("\n"))
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    """`1. ` → `1\\. `, `# ` → `\\# `: no list, heading or quote where the text had none."""
    lead, marker = match.group(1), match.group(2)
    return lead + marker + "\\" if marker[0].isdigit() else lead + "\\" + marker


def plain(pieces: Sequence[Piece]) -> str:
    """The text alone, on one line."""
    return " ".join("".join(p.text for p in pieces).split())


def _linkable(href: str | None) -> str | None:
    return href if href and href.lower().startswith(SCHEMES) else None


def _marks(piece: Piece) -> frozenset[str]:
    return frozenset(m for m, on in (("**", piece.bold), ("*", piece.italic)) if on)


def _emit(nodes: Sequence[_Node], active: frozenset[str]) -> str:
    for mark in ("**", "*"):
        if any(mark in n.marks and mark not in active for n in nodes):
            out = []
            for on, group in groupby(nodes, key=lambda n: mark in n.marks):
                inner = _emit(list(group), active | {mark} if on else active)
                out.append(_wrap(inner, mark) if on and mark not in active else inner)
            return "".join(out)
    return "".join(_leaf(n, active) for n in nodes)


def _leaf(node: _Node, active: frozenset[str]) -> str:
    if node.href is None:
        return escape(node.text)
    inner = _emit([_Node(_marks(p), text=p.text) for p in node.children], active | node.marks)
    text = "".join(p.text for p in node.children)
    address = node.href[len("mailto:"):] if node.href.startswith("mailto:") else node.href
    if text == address and not re.search(r"[\s<>]", address):
        return f"<{address}>"
    target = f"<{node.href}>" if re.search(r"[\s()]", node.href) else node.href
    return f"[{inner.strip()}]({target})"


def _wrap(inner: str, mark: str) -> str:
    """`inner` between `mark`s, its outer spaces outside (Markdown needs them so)."""
    core = inner.strip(" \t\n")
    if not core:
        return inner
    start = inner.index(core[0])
    return f"{inner[:start]}{mark}{core}{mark}{inner[start + len(core):]}"


def escape(text: str) -> str:
    """`text` with Markdown's inline markup characters made literal."""
    text = re.sub(r"([\\`*\[\]<])", r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    # `_` only emphasises at a word's edge; inside snake_case it is a letter.
    return re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
