"""Low-level OOXML that python-docx has no API for: hyperlinks, fields, alt text, language, list
restarts, and a reproducible zip."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml.text.run import CT_R
    from lxml.etree import _Element

#: The zip timestamp of every entry: the earliest a zip can hold, so no build time leaks in.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
#: OPC readers look for these first; the rest follow in name order.
ZIP_FIRST = ("[Content_Types].xml", "_rels/.rels")
#: Members compressed already (the pictures python-docx embeds).
COMPRESSED_SUFFIXES = (".jpeg", ".jpg", ".png", ".gif")


@dataclass(frozen=True)
class Segment:
    """A stretch of text with one set of marks: bold, italic, a link target, a character style."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    style: str | None = None
    lang: str | None = None  # a run of another language than the paragraph's (see docx_bidi)


def append_segments(parent: _Element, segments: Iterable[Segment], part: Part,
                    link_style: str) -> None:
    """Append `segments` to a w:p as runs, consecutive linked ones inside one real w:hyperlink."""
    for href, linked in groupby(segments, key=lambda s: s.href):
        target = parent
        if href:
            target = hyperlink(part, href)
            parent.append(target)
        for (bold, italic, style, lang), same in groupby(linked, key=_marks):
            text = "".join(s.text for s in same)
            if text:
                target.append(run(text, bold=bold, italic=italic,
                                  style=link_style if href and not style else style, lang=lang))


def _marks(segment: Segment) -> tuple[bool, bool, str | None, str | None]:
    return segment.bold, segment.italic, segment.style, segment.lang


def run(text: str, *, bold: bool = False, italic: bool = False, style: str | None = None,
        lang: str | None = None) -> CT_R:
    """A w:r of `text`: `\\n` becomes a line break, `\\t` a tab; marks as run properties, and
    the language of a run in another script than its paragraph's."""
    r = OxmlElement("w:r")
    if style or bold or italic or lang:
        rpr = r.get_or_add_rPr()
        if style:
            rpr.style = style
        if bold:
            rpr.get_or_add_b()
        if italic:
            rpr.get_or_add_i()
        if lang:
            from pressexport.writers.docx_bidi import run_language

            run_language(rpr, lang)
    for i, line in enumerate(text.split("\n")):
        if i:
            r.add_br()
        for j, piece in enumerate(line.split("\t")):
            if j:
                r.add_tab()
            if piece:
                r.add_t(piece)
    return r


def hyperlink(part: Part, url: str) -> _Element:
    """An empty w:hyperlink pointing at `url` through an external relationship of `part`."""
    element = OxmlElement("w:hyperlink")
    element.set(qn("r:id"), part.relate_to(url, RT.HYPERLINK, is_external=True))
    element.set(qn("w:history"), "1")
    return element


def append_field(parent: _Element, instruction: str, shown: str = "1") -> None:
    """Append a complex field (`PAGE`, `NUMPAGES`) with `shown` as its last computed result."""
    for kind in ("begin", "instr", "separate", "result", "end"):
        r = OxmlElement("w:r")
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            r.append(instr)
        elif kind == "result":
            r.add_t(shown)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r.append(char)
        parent.append(r)


def finish_picture(inline: _Element, alt: str) -> None:
    """Describe a picture for screen readers (wp:docPr/@descr, and the picture's own cNvPr),
    and give it no wrap distance, as Word does (LibreOffice otherwise indents it)."""
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    inline.docPr.set("descr", alt)
    for cnvpr in inline.iter(qn("pic:cNvPr")):
        cnvpr.set("descr", alt)


def set_right_indent(paragraph: _Element, twips: int) -> None:
    """Indent a w:p from the right by `twips` (a caption kept to its picture's width)."""
    paragraph.get_or_add_pPr().get_or_add_ind().set(qn("w:right"), str(int(twips)))


def set_hanging_indent(paragraph: _Element, twips: int) -> None:
    """Indent every line of a w:p but its first by `twips` (the lines beside a logo)."""
    ind = paragraph.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:left"), str(int(twips)))
    ind.set(qn("w:hanging"), str(int(twips)))


def ooxml_language(tag: str) -> tuple[str, str | None]:
    """Word's w:lang values for a BCP 47 tag: (w:val, w:eastAsia or None for non-CJK text)."""
    parts = tag.replace("_", "-").split("-")
    base = parts[0].lower()
    rest = {p.lower() for p in parts[1:]}
    if base == "zh":
        region = "TW" if rest & {"hant", "tw"} else "HK" if "hk" in rest else \
            "MO" if "mo" in rest else "SG" if "sg" in rest else "CN"
        value = f"zh-{region}"
        return value, value
    if base in ("ja", "ko"):
        value = {"ja": "ja-JP", "ko": "ko-KR"}[base]
        return value, value
    return tag, None


def set_document_language(styles: _Element, tag: str) -> None:
    """Set w:lang in the style defaults, so every paragraph inherits the release's language."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr = _child(_child(defaults, "w:rPrDefault", first=True), "w:rPr")
    lang = _child(rpr, "w:lang")
    value, east_asian = ooxml_language(tag)
    lang.set(qn("w:val"), value)
    if east_asian:
        lang.set(qn("w:eastAsia"), east_asian)
    else:
        lang.attrib.pop(qn("w:eastAsia"), None)


def _child(parent: _Element, tag: str, *, first: bool = False) -> _Element:
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def restart_list(numbering: _Element, style_num_id: int, level: int, start: int) -> int | None:
    """A new w:num over the list style's abstract numbering, starting at `start` on `level`.

    Word numbers every paragraph of one w:num in one sequence, so each Markdown list needs its
    own w:num to start again at 1. Returns its numId, or None when the style has no numbering.
    """
    nums = numbering.xpath(f"./w:num[@w:numId='{style_num_id}']/w:abstractNumId/@w:val")
    if not nums:
        return None
    num = numbering.add_num(int(nums[0]))
    num.add_lvlOverride(ilvl=level).add_startOverride(start)
    return int(num.numId)


def style_num_id(style: _Element | None) -> int | None:
    """The numId a paragraph style's w:numPr names, if any."""
    if style is None:
        return None
    found = style.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    return int(found[0]) if found else None


def set_numbering(paragraph: _Element, num_id: int, level: int) -> None:
    """Number a w:p with list `num_id` at `level` (the one place lists need direct numbering)."""
    numpr = paragraph.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val = level
    numpr.get_or_add_numId().val = num_id


def package_zip(document: DocumentObject, first: Sequence[str] = ZIP_FIRST) -> bytes:
    """The document's OOXML package, zipped reproducibly: fixed timestamps, attributes and entry
    order; pictures, compressed already, stored as they are."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        members = package_members(document)
        names = [n for n in first if n in members] + sorted(n for n in members if n not in first)
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            # Deflating a photograph again gains a fraction of a percent and took most of the
            # writer's time; OPC readers (Word, LibreOffice) take stored members as well.
            stored = name.lower().endswith(COMPRESSED_SUFFIXES)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.create_system = 0  # MS-DOS, as Word writes: no host-dependent file modes
            info.external_attr = 0
            target.writestr(info, members[name])
    return out.getvalue()


def package_members(document: DocumentObject) -> dict[str, bytes]:
    """The members `document.save()` would zip, by name, as bytes."""
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    # PackageWriter's own steps, given a writer that keeps the members: save() zips them at a
    # fixed level with the time of day, and they would have to be unzipped and zipped again.
    members = _Members()
    PackageWriter._write_content_types_stream(members, parts)
    PackageWriter._write_pkg_rels(members, package.rels)
    PackageWriter._write_parts(members, parts)
    return members.data


class _Members:
    """A package writer for python-docx that keeps each member's bytes by name."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        self.data[pack_uri.membername] = blob
