"""Slugs for file and folder names: lowercase ASCII, non-Latin text transliterated."""

from __future__ import annotations

import re


def slugify(text: str, fallback: str = "release") -> str:
    """`Capacity Building` → `capacity-building`; `能力建设` → `neng-li-jian-she`."""
    from anyascii import anyascii

    # anyascii writes CJK syllables in CamelCase; split them so each syllable is a word.
    ascii_text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", anyascii(text))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or fallback
