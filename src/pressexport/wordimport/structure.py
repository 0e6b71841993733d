"""Paragraphs as Markdown blocks: the role of a paragraph by its style name or Word list
numbering (the same names the Word version writes, see writers.word.STYLES)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from pressexport.wordimport import blocks, inline
from pressexport.wordimport.blocks import Block
from pressexport.wordimport.docxread import ListLevel, Para, list_level

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject

LIST_STYLE = re.compile(r"^List (Bullet|Number|Continue)(?: (\d))?$")
HEADING = re.compile(r"^Heading (\d)$")
QUOTES = {"Quote", "Intense Quote"}


class Structure:
    """Turns paragraphs into Markdown, reading list kinds and starts from the document."""

    def __init__(self, document: DocumentObject) -> None:
        self.document = document
        self._level = cache(self._list_level)

    def _list_level(self, num_id: int, level: int) -> ListLevel:
        return list_level(self.document, num_id, level)

    def block(self, para: Para, text: str | None = None) -> Block:
        """The paragraph's Markdown block (its text, or `text` when given)."""
        md = inline.markdown(para.pieces) if text is None else text
        style = LIST_STYLE.match(para.style)
        if style:
            kind = {"Bullet": "bullet", "Number": "number", "Continue": "more"}[style.group(1)]
            level = int(style.group(2) or 1)
            found = self._level(*para.numbering) if para.numbering else ListLevel(False, 1)
            num_id = para.numbering[0] if para.numbering and found.restarts else None
            return Block(kind, md, level, num_id, found.start)
        if para.numbering is not None:
            found = self._level(*para.numbering)
            kind = "number" if found.ordered else "bullet"
            num_id = para.numbering[0] if found.restarts else None
            return Block(kind, md, para.numbering[1] + 1, num_id, found.start)
        heading = HEADING.match(para.style)
        if heading:
            return Block("h2" if int(heading.group(1)) <= 2 else "h3", md)
        if para.style in QUOTES:
            return Block("quote", md)
        return Block("p", md)

    def markdown(self, paras: Iterable[Para]) -> str | None:
        """The paragraphs as one Markdown field (None when there is no text)."""
        text = blocks.markdown([self.block(p) for p in paras])
        return text or None
