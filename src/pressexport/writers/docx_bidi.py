"""The Word version's scripts and directions: runs of another script get their own w:lang (so
Word takes their font from the right slot: a Latin name in a Chinese release is set in the Latin
font, not with full-width apostrophes), right-to-left text gets w:rtl and the complex-script
font, and a right-to-left release gets w:bidi paragraphs and a right-to-left section."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pressexport.i18n import is_rtl
from pressexport.typography import RTL_SCRIPTS, has_strong, runs
from pressexport.writers.docx_xml import Segment, ooxml_language

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from lxml.etree import _Element

#: The complex-script font of a right-to-left document, by base language (Debian
#: fonts-noto-core; Word substitutes a font of the same script where it is not installed).
CS_FONTS = {"he": "Noto Sans Hebrew", "yi": "Noto Sans Hebrew"}
DEFAULT_CS_FONT = "Noto Sans Arabic"
#: w:pPr children that come before w:bidi in the schema's order.
_BEFORE_BIDI = {qn(f"w:{t}") for t in (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN")}
#: w:rPr children that come after w:rtl (w:cs, w:em, w:lang, ...).
_AFTER_RTL = {qn(f"w:{t}") for t in ("cs", "em", "lang", "eastAsianLayout", "specVanish",
                                      "oMath")}
#: Unicode's left-to-right isolate and its end: around a number in right-to-left text.
LRI, PDI = "\u2066", "\u2069"
#: A number in groups (a phone number, `+964 790 000 0000`): digits with spaces or signs inside.
_GROUPED_NUMBER = re.compile(r"[+(]?\d[\d().\-–/]*(?:[ \u00a0][\d().\-–/]+)+|[+(]\d[\d().\-–/]*")
#: w:sectPr children that come after w:bidi.
_AFTER_SECT_BIDI = {qn(f"w:{t}") for t in ("rtlGutter", "docGrid", "printerSettings",
                                            "sectPrChange")}


def split(segments: Iterable[Segment], language: str, site_language: str) -> Iterator[Segment]:
    """Each segment cut where the script changes; a run of another script carries its language.
    In right-to-left text a grouped number (a phone number) is isolated left to right."""
    rtl = is_rtl(language)
    for segment in segments:
        if segment.lang or not segment.text.strip():
            yield segment
            continue
        for run in runs(segment.text, language, site_language):
            text = isolate_numbers(run.text) if rtl and run.language is None else run.text
            yield replace(segment, text=text, lang=run.language)


def isolate_numbers(text: str) -> str:
    """Each grouped number in `text` between LRI and PDI: in right-to-left text the bidi
    algorithm would otherwise reverse its groups (`+964 790 000 0000` as `0000 000 790 964+`)."""
    return _GROUPED_NUMBER.sub(lambda m: f"{LRI}{m.group()}{PDI}", text)


def run_language(rpr: _Element, tag: str) -> None:
    """Mark a run's language, in the slot Word reads for its script (w:val for Latin and
    Cyrillic, w:eastAsia for CJK, w:bidi for right-to-left scripts), with the font hint."""
    lang = OxmlElement("w:lang")
    value, east_asian = ooxml_language(tag)
    if is_rtl(tag):
        lang.set(qn("w:bidi"), value)
    elif east_asian:
        lang.set(qn("w:eastAsia"), east_asian)
        lang.set(qn("w:val"), value)
    else:
        lang.set(qn("w:val"), value)
        lang.set(qn("w:eastAsia"), value)  # quotes and apostrophes too from the Latin font
    rpr.append(lang)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(1 if rpr.find(qn("w:rStyle")) is not None else 0, fonts)
    fonts.set(qn("w:hint"), "eastAsia" if east_asian else "cs" if is_rtl(tag) else "default")


def finish(document: DocumentObject, language: str) -> None:
    """Right-to-left marks: every run with right-to-left letters gets w:rtl (and bold and
    italic for its script); in a right-to-left release, every paragraph gets w:bidi, the
    section and the style defaults become right to left with the complex-script font."""
    rtl_document = is_rtl(language)
    parts = [document.part, *(rel.target_part for rel in document.part.rels.values()
                              if rel.reltype.endswith(("/header", "/footer")))]
    for part in parts:
        root = part.element
        for r in root.iter(qn("w:r")):
            text = "".join(t.text or "" for t in r.iter(qn("w:t")))
            if has_strong(text, RTL_SCRIPTS):
                _mark_rtl(r)
        if rtl_document:
            for p in root.iter(qn("w:p")):
                _set_bidi(p)
    if rtl_document:
        _rtl_section(document)
        _rtl_defaults(document.styles.element, language)


def _mark_rtl(r: _Element) -> None:
    rpr = r.get_or_add_rPr()
    if rpr.find(qn("w:rtl")) is None:
        element = OxmlElement("w:rtl")
        after = next((c for c in rpr if c.tag in _AFTER_RTL), None)
        if after is not None:
            after.addprevious(element)
        else:
            rpr.append(element)
    for western, complex_ in (("w:b", "w:bCs"), ("w:i", "w:iCs")):
        found = rpr.find(qn(western))
        if found is not None and rpr.find(qn(complex_)) is None:
            found.addnext(OxmlElement(complex_))


def _set_bidi(p: _Element) -> None:
    _insert_bidi(p.get_or_add_pPr())


def _insert_bidi(ppr: _Element) -> None:
    """Add w:bidi to a w:pPr, in the schema's place."""
    if ppr.find(qn("w:bidi")) is not None:
        return
    bidi = OxmlElement("w:bidi")
    after = next((c for c in ppr if c.tag not in _BEFORE_BIDI), None)
    if after is not None:
        after.addprevious(bidi)
    else:
        ppr.append(bidi)


def _rtl_section(document: DocumentObject) -> None:
    """Each section right to left (w:bidi: page numbers, columns) with its gutter on the
    right (w:rtlGutter), in the schema's order."""
    for section in document.sections:
        sect = section._sectPr
        for name, later in (("w:rtlGutter", _AFTER_SECT_BIDI - {qn("w:rtlGutter")}),
                            ("w:bidi", _AFTER_SECT_BIDI)):
            if sect.find(qn(name)) is not None:
                continue
            element = OxmlElement(name)
            following = next((c for c in sect if c.tag in later), None)
            if following is not None:
                following.addprevious(element)
            else:
                sect.append(element)


def _mirror_styles(styles: _Element) -> None:
    """Right-to-left styles: a rule on the left (the quote's) moves to the right, and no letter
    spacing (tracking breaks the joined letters of Arabic)."""
    for style in styles.iter(qn("w:style")):
        borders = style.find(f"{qn('w:pPr')}/{qn('w:pBdr')}")
        if borders is not None:
            left, right = borders.find(qn("w:left")), borders.find(qn("w:right"))
            if left is not None and right is None:
                right = OxmlElement("w:right")
                for key, value in left.attrib.items():
                    right.set(key, value)
                borders.append(right)  # after top and bottom, as the schema orders them
                borders.remove(left)
        rpr = style.find(qn("w:rPr"))
        spacing = rpr.find(qn("w:spacing")) if rpr is not None else None
        if spacing is not None:
            rpr.remove(spacing)


def _rtl_defaults(styles: _Element, language: str) -> None:
    """The style defaults: paragraphs right to left, the complex-script font and language."""
    _mirror_styles(styles)
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is not None:
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.set(qn("w:cs"), CS_FONTS.get(language.split("-")[0].lower(), DEFAULT_CS_FONT))
        lang = rpr.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:bidi"), ooxml_language(language)[0])
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = OxmlElement("w:pPrDefault")
        defaults.append(ppr_default)
    ppr = ppr_default.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        ppr_default.append(ppr)
    _insert_bidi(ppr)
