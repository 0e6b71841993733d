"""Font coverage: name the characters no installed font has, and the Debian package that does."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

#: Code point ranges whose fonts Debian ships outside fonts-noto-core, with the package.
PACKAGES: tuple[tuple[int, int, str], ...] = (
    (0x1100, 0x11FF, "fonts-noto-cjk"),      # Hangul Jamo
    (0x2E80, 0x2FDF, "fonts-noto-cjk"),      # CJK radicals, Kangxi radicals
    (0x3000, 0x9FFF, "fonts-noto-cjk"),      # CJK punctuation, kana, ideographs
    (0xA960, 0xA97F, "fonts-noto-cjk"),
    (0xAC00, 0xD7FF, "fonts-noto-cjk"),      # Hangul syllables
    (0xF900, 0xFAFF, "fonts-noto-cjk"),      # CJK compatibility ideographs
    (0xFE30, 0xFE4F, "fonts-noto-cjk"),
    (0xFF00, 0xFFEF, "fonts-noto-cjk"),      # full-width forms
    (0x1F000, 0x1FAFF, "fonts-noto-color-emoji"),
    (0x20000, 0x3FFFF, "fonts-noto-cjk-extra"),  # rare ideographs (extensions B and later)
)
DEFAULT_PACKAGE = "fonts-noto-core"
PRIVATE_USE = ((0xE000, 0xF8FF), (0xF0000, 0x10FFFF))


def package_for(codepoint: int) -> str | None:
    """The Debian font package most likely to cover `codepoint` (None for private use)."""
    if any(first <= codepoint <= last for first, last in PRIVATE_USE):
        return None
    for first, last, package in PACKAGES:
        if first <= codepoint <= last:
            return package
    return DEFAULT_PACKAGE


def describe(codepoint: int) -> str:
    """`'🧿' U+1F9FF NAZAR AMULET`."""
    char = chr(codepoint)
    name = unicodedata.name(char, "unnamed character")
    return f"'{char}' U+{codepoint:04X} {name}"


def missing_message(codepoints: Iterable[int]) -> str:
    """What to tell the user when no installed font has these characters."""
    points = sorted(set(codepoints))
    shown = ", ".join(describe(cp) for cp in points[:10])
    more = f" and {len(points) - 10} more" if len(points) > 10 else ""
    packages = sorted({p for cp in points if (p := package_for(cp))})
    advice = (f"install Debian's {' and '.join(packages)} (apt-get install {' '.join(packages)})"
              " or another font that covers them" if packages else "")
    private = [cp for cp in points if package_for(cp) is None]
    if private:
        advice += ("; " if advice else "") + (
            "private-use characters have no standard glyph: replace them")
    return f"no installed font has {shown}{more}: {advice}"
