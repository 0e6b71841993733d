"""Each language's typography, applied once to the view (every format shows the result), and the
runs of another script inside a text, found by the Unicode script of their characters.

- French: a narrow no-break space (U+202F) before `:` `;` `?` `!` and inside « ».
- Chinese, Japanese, Korean: no Western space around full-width punctuation.
- A run of another script (a Latin name in a Chinese or Arabic release, Cyrillic in an English
  one) is its own language: the HTML marks it `<span lang>` (and `dir` in a right-to-left page),
  the DOCX gives it its own font slot and w:lang.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from pressexport.i18n import base_language, is_rtl
from pressexport.markup import Markdown

NNBSP = "\u202f"  # narrow no-break space: French "espace fine insécable"
_SPACES = " \u00a0\u202f\u2009"
#: French: a space (or none) before the high punctuation, when it ends a word (not in 10:00,
#: https://, ?q=): followed by a space, the end, a closing mark or another such sign.
_FR_HIGH = re.compile(rf"(?<=\S)[{_SPACES}]*([;:!?])(?=$|[\s»)\]”’\"!?;:.,…])")
_FR_OPEN = re.compile(rf"«[{_SPACES}]*")
_FR_CLOSE = re.compile(rf"[{_SPACES}]*»")

CJK_SCRIPTS = frozenset({"Hani", "Hira", "Kana", "Hang", "Bopo"})
#: The script family of a language's own text, by base language (others: Latin).
HOME_SCRIPTS = {
    "zh": "CJK", "ja": "CJK", "ko": "CJK", "ar": "Arab", "fa": "Arab", "ur": "Arab", "ps": "Arab",
    "he": "Hebr", "yi": "Hebr", "ru": "Cyrl", "uk": "Cyrl", "be": "Cyrl", "bg": "Cyrl",
    "sr": "Cyrl", "mk": "Cyrl", "kk": "Cyrl", "ky": "Cyrl", "tg": "Cyrl", "mn": "Cyrl",
    "el": "Grek",
}
#: The language a run of a foreign script is taken to be in (Latin: see `foreign_language`).
SCRIPT_LANGUAGES = {"CJK": "zh-Hans", "Jpan": "ja", "Kore": "ko", "Arab": "ar", "Cyrl": "ru",
                    "Hebr": "he", "Grek": "el"}
RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm"})


def typeset(text: str, language: str) -> str:
    """`text` with the typography of `language` applied (French spacing, CJK punctuation)."""
    base = base_language(language)
    if base == "fr":
        text = _FR_HIGH.sub(NNBSP + r"\1", text)
        text = _FR_CLOSE.sub(NNBSP + "»", _FR_OPEN.sub("«" + NNBSP, text))
    elif base in ("zh", "ja"):
        text = _CJK_SPACE.sub("", text)
    return text


def _is_wide_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] == "P" and unicodedata.east_asian_width(char) in "WF"


#: Western spaces before or after full-width punctuation (，。、：；！？「」（）《》 …).
_CJK_SPACE = re.compile(
    r"[ \u00a0]+(?=[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65])"
    r"|(?<=[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65])[ \u00a0]+")


@cache
@lru_cache(maxsize=8192)
def _family(char: str) -> str | None:
    """The script family of a character that has one: `Latn`, `Cyrl`, `Arab`, `CJK` (Han,
    and the full-width punctuation around it), `Jpan` (kana), `Kore` (Hangul), ...; None for
    common characters (spaces, digits, most punctuation), which take their context's."""
    from fontTools import unicodedata as ucd

    script = ucd.script(char)
    if script in ("Zyyy", "Zinh", "Zzzz"):
        extensions = ucd.script_extension(char)
        if "Latn" in extensions:  # shared with Latin (the middle dot, a dot below): common
            return None
        if extensions & CJK_SCRIPTS or _is_wide_punctuation(char):
            return "CJK"
        if "Arab" in extensions:
            return "Arab"
        return None
    if script in CJK_SCRIPTS:
        return {"Hira": "Jpan", "Kana": "Jpan", "Hang": "Kore"}.get(script, "CJK")
    return script


def home_script(language: str) -> str:
    """The script family a language is written in (`zh` → `CJK`, `ar` → `Arab`, else `Latn`)."""
    return HOME_SCRIPTS.get(base_language(language), "Latn")


def foreign_language(family: str, site_language: str) -> str:
    """The language tag a run of script `family` is marked with: a Latin run in a non-Latin
    release is taken to be in the site's language when that is written in Latin, else English."""
    if family == "Latn":
        return site_language if home_script(site_language) == "Latn" else "en"
    return SCRIPT_LANGUAGES.get(family, f"und-{family}")


#: A character of no Latin block, nor of general punctuation (curly quotes, dashes, the narrow
#: no-break space): a text without one is all in a Latin-script language's own script.
#: U+204F is left out: Arabic uses it too (see `_family`).
_BEYOND_LATIN = re.compile("[^\u0000-\u024f\u1e00-\u1eff\u2000-\u204e\u2050-\u206f]")


@dataclass(frozen=True)
class Run:
    """A stretch of text; `language` is set when it is in another script than its context."""

    text: str
    language: str | None = None

    @property
    def rtl(self) -> bool:
        """True when the run is in a right-to-left script."""
        return self.language is not None and is_rtl(self.language)


def runs(text: str, language: str, site_language: str) -> list[Run]:
    """`text` split into runs of the release's own script and runs of another script.

    Common characters (spaces, digits, punctuation) between two runs of one foreign script
    belong to it ("Pär Liljert, IOM"); at a run's edges they stay with the surrounding text.
    """
    home = home_script(language)
    if home == "Latn" and not _BEYOND_LATIN.search(text):  # the common case: all its own
        return [Run(text)] if text else []
    # Families of strong characters: (index, family).
    strong = [(i, f) for i, c in enumerate(text) if (f := _family(c)) is not None]
    pieces: list[tuple[int, int, str]] = []  # [start, end) of each foreign run, its family
    for i, family in strong:
        if family == home or (home == "CJK" and family in ("Jpan", "Kore")):
            continue
        if pieces and pieces[-1][2] == family and _only_common(text, pieces[-1][1], i):
            pieces[-1] = (pieces[-1][0], i + 1, family)
        else:
            pieces.append((i, i + 1, family))
    out: list[Run] = []
    position = 0
    for start, end, family in pieces:
        if start > position:
            out.append(Run(text[position:start]))
        out.append(Run(text[start:end], foreign_language(family, site_language)))
        position = end
    if position < len(text):
        out.append(Run(text[position:]))
    return out or [Run(text)]


def _only_common(text: str, start: int, end: int) -> bool:
    return all(_family(c) is None for c in text[start:end])


def has_strong(text: str, families: frozenset[str]) -> bool:
    """True when `text` has a character of one of the script `families`."""
    return any(_family(c) in families for c in text)


# --- the Markdown tree ----------------------------------------------------------------------------

def typeset_markdown(markdown: Markdown, language: str, site_language: str) -> Markdown:
    """The field with the language's typography applied to its text and each run of another
    script wrapped in a `span` (attributes lang, and dir in a right-to-left release); links,
    code and the tree's structure are kept."""
    return TypesetMarkdown(markdown.source, language, site_language)


@dataclass(frozen=True, eq=False)
class TypesetMarkdown(Markdown):
    """A Markdown field whose tokens carry its language's typography and script runs; like
    every Markdown field it may forget its tokens, and makes them again when next read."""

    language: str = "en"
    site_language: str = "en"

    @cached_property
    def tokens(self) -> tuple:  # type: ignore[override]
        """The parser's tokens, typeset."""
        return tuple(_inline(token, self.language, self.site_language)
                     if token.type == "inline" else token
                     for token in Markdown(self.source).tokens)


def _inline(token, language: str, site_language: str):
    children = []
    for child in token.children or []:
        if child.type == "text":
            children += _text_tokens(child, language, site_language)
        else:
            children.append(child)
    return token.copy(children=children)


def _text_tokens(token, language: str, site_language: str) -> list:
    from markdown_it.token import Token

    text = typeset(token.content, language)
    out = []
    rtl = is_rtl(language)
    for run in runs(text, language, site_language):
        if run.language is None:
            out.append(token.copy(content=run.text))
            continue
        attrs = {"lang": run.language}
        if rtl != run.rtl:
            attrs["dir"] = "rtl" if run.rtl else "ltr"
        out += [Token("span_open", "span", 1, attrs=attrs),
                token.copy(content=run.text),
                Token("span_close", "span", -1)]
    return out


def html_runs(text: str, language: str, site_language: str,
              escape: Callable[[str], str]) -> str:
    """`text` as HTML, each run of another script in `<span lang dir>`; in a right-to-left
    text, a value without right-to-left letters (a phone number, an address) is isolated
    left to right as a whole, so that its parts keep their order."""
    rtl = is_rtl(language)
    if rtl and text and not has_strong(text, RTL_SCRIPTS):
        found = runs(text, language, site_language)
        lang = next((r.language for r in found if r.language), None)
        attrs = f' lang="{lang}"' if lang else ""
        return f'<span{attrs} dir="ltr">{escape(text)}</span>'
    out = []
    for run in runs(text, language, site_language):
        if run.language is None:
            out.append(escape(run.text))
            continue
        direction = f' dir="{"rtl" if run.rtl else "ltr"}"' if rtl != run.rtl else ""
        out.append(f'<span lang="{run.language}"{direction}>{escape(run.text)}</span>')
    return "".join(out)
