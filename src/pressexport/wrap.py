"""Line wrapping for plain text: display width (East Asian wide = 2) and CJK line-break rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from wcwidth import wcwidth

# Kinsoku: never start a line with closing punctuation, never end one with opening punctuation.
NO_BREAK_BEFORE = frozenset(
    "，。、）」』】》〉〕］｝．！？；：”’…‥·・ー々〻"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ"
    ",.!?;:)]}%"
)
NO_BREAK_AFTER = frozenset("（「『【《〈〔［｛“‘([{")
#: Where a line may break: any space but the no-break ones (French typography's thin no-break
#: space before `:` and inside « » keeps the sign with its word).
_SPACE = re.compile(r"[^\S\u00a0\u202f\u2007]+")


#: Characters one column wide inside which no line breaks (Latin letters, their punctuation,
#: the no-break spaces): a text of these alone is measured by its length, read as one piece.
_NARROW = re.compile(r"[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u202f-\u205e]*")


def width(text: str) -> int:
    """Columns `text` takes in a terminal: wide East Asian characters count as two."""
    if _NARROW.fullmatch(text):
        return len(text)
    return sum(max(wcwidth(char), 0) for char in text)


@dataclass
class _Atom:
    text: str
    space_before: bool


def _is_wide(char: str) -> bool:
    return wcwidth(char) == 2


def _atoms(text: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for i, word in enumerate(_SPACE.split(text.strip())):
        for j, piece in enumerate(_pieces(word)):
            spaced = i > 0 and j == 0
            glued = not spaced and atoms and (
                piece[0] in NO_BREAK_BEFORE or atoms[-1].text[-1] in NO_BREAK_AFTER
            )
            if glued:
                atoms[-1].text += piece
            else:
                atoms.append(_Atom(piece, spaced))
    return atoms


def _pieces(word: str) -> list[str]:
    """Split a word at the places a line may break inside it: around each wide character."""
    if _NARROW.fullmatch(word):
        return [word]
    pieces: list[str] = []
    for char in word:
        if _is_wide(char) or not pieces or _is_wide(pieces[-1][-1]):
            pieces.append(char)
        else:
            pieces[-1] += char
    return pieces


#: With `soft`, each line that `wrap` ended (not the text) ends with one of these: the break was
#: at a space, or between two characters (CJK). A format=flowed message makes them its soft line
#: breaks (RFC 3676); they are private-use characters, never in a release's text.
SOFT_AT_SPACE = "\ue000"
SOFT_NO_SPACE = "\ue001"


def wrap(text: str, columns: int = 72, first: str = "", rest: str = "",
         soft: bool = False) -> list[str]:
    """Wrap `text` into lines of at most `columns`, prefixing `first` and then `rest`.

    Spaces between words become line breaks; CJK text breaks between characters and gains no
    spaces. A token wider than the line (a long URL) stands alone on its own line. With `soft`,
    each line but the last is marked where it broke (SOFT_AT_SPACE, SOFT_NO_SPACE).
    """
    lines: list[str] = []
    line, used = first, width(first)
    empty = True
    for atom in _atoms(text):
        gap = " " if atom.space_before and not empty else ""
        size = width(atom.text)
        # A visible prefix ("[4] ", "Subject: ") is content too: a token that does not fit
        # beside it goes to the next line rather than overflow.
        if (not empty or first.strip()) and used + len(gap) + size > columns:
            spaced = atom.space_before or line.endswith(" ")  # or after a prefix: "[4] "
            mark = (SOFT_AT_SPACE if spaced else SOFT_NO_SPACE) if soft else ""
            lines.append(line.rstrip() + mark if line.strip() else line.rstrip())
            line, used, gap = rest, width(rest), ""
        line += gap + atom.text
        used += len(gap) + size
        empty = False
    lines.append(line)
    return lines
