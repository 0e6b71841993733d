"""A Word document's body as plain data: paragraphs with their style names, marked text, links,
pictures and list numbering, read from the XML (tracked insertions kept, deletions dropped)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pressexport.writers.docx_meta import digest
from pressexport.writers.docx_xml import Segment as Piece  # read back as the writer wrote it

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from lxml.etree import _Element

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
#: Elements whose runs are not part of the text: deleted or moved-away revisions, field codes.
SKIPPED = {W + "del", W + "moveFrom", W + "instrText", W + "delText", W + "rPr", W + "pPr"}
#: LibreOffice's names for the styles Word calls otherwise (a re-save keeps Word's names, but a
#: document begun in LibreOffice has these).
ALIASES = {"Default Paragraph Style": "Normal", "Default Style": "Normal", "Text Body": "Normal",
           "Body Text": "Normal", "Quotations": "Quote", "Internet Link": "Hyperlink"}


@dataclass(frozen=True)
class Picture:
    """An embedded picture: its description (alt text) and the digest of its bytes."""

    alt: str
    sha1: str


@dataclass(frozen=True)
class Para:
    """One paragraph of the body, numbered as Word shows them (1 = the first)."""

    number: int
    style: str
    pieces: tuple[Piece, ...]
    pictures: tuple[Picture, ...] = ()
    numbering: tuple[int, int] | None = None  # (numId, level) of a list paragraph
    style_bold: bool = False  # the paragraph style sets bold (a heading)
    in_table: bool = False

    @property
    def text(self) -> str:
        """The paragraph's text, line breaks as \\n."""
        return "".join(piece.text for piece in self.pieces)

    @property
    def all_bold(self) -> bool:
        """Every visible character is bold (by the run or by the paragraph's style)."""
        shown = [p for p in self.pieces if p.text.strip()]
        return bool(shown) and all(p.bold or self.style_bold for p in shown)

    @property
    def all_italic(self) -> bool:
        """Every visible character is italic."""
        shown = [p for p in self.pieces if p.text.strip()]
        return bool(shown) and all(p.italic for p in shown)

    def lines(self) -> list[list[Piece]]:
        """The pieces split at line breaks."""
        out: list[list[Piece]] = [[]]
        for piece in self.pieces:
            for i, text in enumerate(piece.text.split("\n")):
                if i:
                    out.append([])
                if text:
                    out[-1].append(Piece(text, piece.bold, piece.italic, piece.href, piece.style))
        return out


@dataclass
class Styles:
    """Style id → name, bold, italic, numbering, and what each is based on."""

    names: dict[str, str] = field(default_factory=dict)
    based: dict[str, str] = field(default_factory=dict)
    bold: dict[str, bool] = field(default_factory=dict)
    italic: dict[str, bool] = field(default_factory=dict)
    numbering: dict[str, tuple[int, int]] = field(default_factory=dict)
    default_paragraph: str = "Normal"

    def name(self, style_id: str | None) -> str:
        """The style's name as Word shows it (Normal for none)."""
        if style_id is None:
            return self.default_paragraph
        return self.names.get(style_id, style_id)

    def inherited(self, table: dict[str, object], style_id: str | None) -> object:
        """A property through the basedOn chain."""
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in table:
                return table[style_id]
            style_id = self.based.get(style_id)
        return None


def read_styles(document: DocumentObject) -> Styles:
    """The document's styles, names made Word's (`heading 2` → `Heading 2`)."""
    from docx.styles import BabelFish

    styles = Styles()
    for style in document.styles.element.findall(W + "style"):
        sid = style.get(W + "styleId") or ""
        name = style.find(W + "name")
        ui = BabelFish.internal2ui(name.get(W + "val")) if name is not None else sid
        styles.names[sid] = ALIASES.get(ui, ui)
        based = style.find(W + "basedOn")
        if based is not None:
            styles.based[sid] = based.get(W + "val")
        rpr = style.find(W + "rPr")
        for key, table in (("b", styles.bold), ("i", styles.italic)):
            flag = _flag(rpr, key)
            if flag is not None:
                table[sid] = flag
        numpr = style.find(f"{W}pPr/{W}numPr")
        if numpr is not None:
            styles.numbering[sid] = _numpr(numpr)
        if style.get(W + "type") == "paragraph" and style.get(W + "default") in ("1", "true"):
            styles.default_paragraph = styles.names[sid]
    return styles


def paragraphs(document: DocumentObject) -> list[Para]:
    """Every paragraph of the body in order, tables' paragraphs flagged."""
    styles = read_styles(document)
    reader = _Reader(document, styles)
    out: list[Para] = []
    for element, in_table in _body_paragraphs(document.element.body):
        out.append(reader.paragraph(element, len(out) + 1, in_table))
    return out


def _body_paragraphs(body: _Element, in_table: bool = False):
    for child in body:
        if child.tag == W + "p":
            yield child, in_table
        elif child.tag == W + "tbl":
            for cell in child.iter(W + "tc"):
                yield from _body_paragraphs(cell, True)
        elif child.tag in (W + "sdt", W + "customXml", W + "ins"):
            content = child.find(W + "sdtContent")
            yield from _body_paragraphs(content if content is not None else child, in_table)


class _Reader:
    def __init__(self, document: DocumentObject, styles: Styles) -> None:
        self.part = document.part
        self.styles = styles

    def paragraph(self, p: _Element, number: int, in_table: bool) -> Para:
        style_id = p.find(f"{W}pPr/{W}pStyle")
        sid = style_id.get(W + "val") if style_id is not None else None
        numpr = p.find(f"{W}pPr/{W}numPr")
        numbering = _numpr(numpr) if numpr is not None else \
            self.styles.inherited(self.styles.numbering, sid)
        if numbering is not None and numbering[0] == 0:  # numId 0: numbering switched off
            numbering = None
        pieces: list[Piece] = []
        pictures: list[Picture] = []
        self._walk(p, None, pieces, pictures)
        return Para(number, self.styles.name(sid), tuple(_merge(pieces)), tuple(pictures),
                    numbering, bool(self.styles.inherited(self.styles.bold, sid)), in_table)

    def _walk(self, element: _Element, href: str | None, pieces: list[Piece],
              pictures: list[Picture]) -> None:
        for child in element:
            if child.tag in SKIPPED:
                continue
            if child.tag == W + "r":
                self._run(child, href, pieces, pictures)
            elif child.tag == W + "hyperlink":
                self._walk(child, self._target(child) or href, pieces, pictures)
            else:  # w:ins, w:smartTag, w:sdt, w:sdtContent, w:fldSimple, w:customXml, ...
                self._walk(child, href, pieces, pictures)

    def _target(self, link: _Element) -> str | None:
        rid = link.get(R + "id")
        rel = self.part.rels.get(rid) if rid else None
        return rel.target_ref if rel is not None and rel.is_external else None

    def _run(self, r: _Element, href: str | None, pieces: list[Piece],
             pictures: list[Picture]) -> None:
        rpr = r.find(W + "rPr")
        style_el = rpr.find(W + "rStyle") if rpr is not None else None
        sid = style_el.get(W + "val") if style_el is not None else None
        bold = _flag(rpr, "b")
        italic = _flag(rpr, "i")
        if bold is None:
            bold = bool(self.styles.inherited(self.styles.bold, sid))
        if italic is None:
            italic = bool(self.styles.inherited(self.styles.italic, sid))
        style = self.styles.name(sid) if sid else None
        for child in r:
            text = _text(child)
            if text:
                pieces.append(Piece(text, bold, italic, href, style))
            elif child.tag in (W + "drawing", W + "pict"):
                pictures += self._pictures(child)

    def _pictures(self, element: _Element) -> list[Picture]:
        alt = ""
        for pr in element.iter(WP + "docPr"):
            alt = pr.get("descr") or pr.get("title") or ""
        found = []
        ids = [b.get(R + "embed") for b in element.iter(A + "blip")]
        ids += [d.get(R + "id") for d in element.iter("{urn:schemas-microsoft-com:vml}imagedata")]
        for rid in ids:
            rel = self.part.rels.get(rid) if rid else None
            if rel is not None and not rel.is_external:
                found.append(Picture(alt, digest(rel.target_part.blob)))
        return found


#: Unicode's directional isolates: the Word version puts a phone number in right-to-left text
#: between them (writers/docx_bidi.py); they are layout, not part of the text.
_ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))


def _text(child: _Element) -> str:
    tag = child.tag
    if tag == W + "t":
        return (child.text or "").translate(_ISOLATES)
    if tag == W + "tab":
        return " "
    if tag in (W + "br", W + "cr"):
        return "" if child.get(W + "type") in ("page", "column") else "\n"
    if tag == W + "noBreakHyphen":
        return "\u2011"
    return ""


def _flag(rpr: _Element | None, key: str) -> bool | None:
    """A toggle property (w:b, w:i): True, False when switched off, None when not set."""
    if rpr is None:
        return None
    element = rpr.find(W + key)
    if element is None:
        return None
    return element.get(W + "val", "true") not in ("0", "false", "off", "none")


def _numpr(numpr: _Element) -> tuple[int, int]:
    num = numpr.find(W + "numId")
    level = numpr.find(W + "ilvl")
    return (int(num.get(W + "val", "0")) if num is not None else 0,
            int(level.get(W + "val", "0")) if level is not None else 0)


def _merge(pieces: list[Piece]) -> list[Piece]:
    """Adjacent pieces with the same marks as one (Word splits runs for its own reasons)."""
    out: list[Piece] = []
    for piece in pieces:
        if out and (out[-1].bold, out[-1].italic, out[-1].href, out[-1].style) == \
                (piece.bold, piece.italic, piece.href, piece.style):
            out[-1] = Piece(out[-1].text + piece.text, piece.bold, piece.italic, piece.href,
                            piece.style)
        else:
            out.append(piece)
    return out


@dataclass(frozen=True)
class ListLevel:
    """What Word's numbering says of one list level: bullet or number, its start, and whether
    the list restarts there (a list of its own) or continues the one before it. LibreOffice
    gives a restarted list's first item a numbering that restarts and the items after it one
    that continues."""

    ordered: bool
    start: int
    restarts: bool = False


def list_level(document: DocumentObject, num_id: int, level: int) -> ListLevel:
    """The kind and start of list `num_id` at `level`, from the numbering part."""
    numbering = document.part.numbering_part.element  # an empty one when there is none
    num = numbering.find(f"{W}num[@{W}numId='{num_id}']")
    if num is None:
        return ListLevel(False, 1)
    start: int | None = None
    override = num.find(f"{W}lvlOverride[@{W}ilvl='{level}']")
    if override is not None:
        so = override.find(W + "startOverride")
        start = int(so.get(W + "val")) if so is not None else None
    abstract_id = num.find(W + "abstractNumId")
    abstract = numbering.find(f"{W}abstractNum[@{W}abstractNumId="
                              f"'{abstract_id.get(W + 'val') if abstract_id is not None else ''}']")
    lvl = abstract.find(f"{W}lvl[@{W}ilvl='{level}']") if abstract is not None else None
    fmt = lvl.find(W + "numFmt") if lvl is not None else None
    ordered = fmt is not None and fmt.get(W + "val") not in ("bullet", "none")
    restarts = start is not None
    if start is None:
        st = lvl.find(W + "start") if lvl is not None else None
        start = int(st.get(W + "val")) if st is not None else 1
    return ListLevel(ordered, start, restarts)
