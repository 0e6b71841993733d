"""Generate templates/docx/reference.docx: the page setup, named styles and list numbering that
the Word version is built from (as pandoc's --reference-doc is).

    PYTHONPATH=src python scripts/make_reference_docx.py [OUTPUT]

An organisation may replace the file with its own letterhead document: the writer keeps its
styles, numbering, page margins and first-page header, and fills the body, the running header and
the footers. The output is reproducible: running the script twice gives the same bytes.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor, Twips
from docx.styles.style import BaseStyle

from pressexport.writers.docx_xml import Segment, append_field, append_segments, package_zip

OUTPUT = Path(__file__).resolve().parents[1] / "templates" / "docx" / "reference.docx"

# The house style's faces (as html/release.css): Calibri, on every Windows and Mac Word since
# 2007, whose metric twin Carlito (Debian fonts-crosextra-carlito) LibreOffice substitutes and
# the PDF embeds; Microsoft YaHei, the Chinese sans of Windows and of Office for Mac, for which
# LibreOffice takes Noto Sans CJK SC (the PDF's face).
LATIN_FONT = "Calibri"
CJK_FONT = "Microsoft YaHei"
RED = RGBColor(0xB3, 0x26, 0x1E)
INK = RGBColor(0x1A, 0x1A, 0x1A)
ACCENT = RGBColor(0x0B, 0x4F, 0x8A)
MUTED = RGBColor(0x59, 0x59, 0x59)
LINK = RGBColor(0x05, 0x63, 0xC1)

A4 = (Twips(11906), Twips(16838))
MARGIN = Twips(1418)  # 2.5 cm left and right, as the PDF's @page
TOP_MARGIN = Twips(1134)  # 2 cm
BOTTOM_MARGIN = Twips(1418)  # 2.5 cm
TEXT_WIDTH = Twips(11906 - 2 * 1418)
LIST_INDENT = 425  # twips per list level (0.75 cm)
BULLETS = ("•", "–", "•")
NUMBER_FORMATS = (("decimal", "%{n}."), ("lowerLetter", "%{n}."), ("lowerRoman", "%{n}."))
BULLET_NUM_ID, NUMBER_NUM_ID = 1, 2
FIXED_TIME = datetime(2024, 1, 1)
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def main(argv: list[str]) -> int:
    """Write the reference document to OUTPUT (or the path given)."""
    target = Path(argv[1]) if len(argv) > 1 else OUTPUT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build())
    print(f"wrote {target}")
    return 0


def build() -> bytes:
    """The reference document's bytes."""
    document = Document()
    _drop_template_extras(document)
    _settings(document)
    _font_table(document)
    _theme(document)
    _numbering(document)
    _styles(document)
    _page_setup(document)
    _specimen(document)
    _properties(document)
    return package_zip(document)


# --- package ------------------------------------------------------------------------------------

def _drop_template_extras(document: DocumentObject) -> None:
    """python-docx's template carries a thumbnail, customXml and a 430 kB stylesWithEffects."""
    package_rels = document.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rid]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = _APP_XML.encode()
    unwanted = {RT.CUSTOM_XML, STYLES_WITH_EFFECTS, RT.WEB_SETTINGS}
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype in unwanted:
            del document.part.rels[rid]


_APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>pressexport</Application><DocSecurity>0</DocSecurity>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def _replace_children(element, xml: str) -> None:
    """Give an XML part's root the children of `xml` (keeping the root and its namespaces)."""
    element[:] = list(parse_xml(xml))


def _settings(document: DocumentObject) -> None:
    # compatibilityMode 15: Word 2013+ layout. No rsids, proof state or template paths.
    _replace_children(document.settings.element, (
        f"<w:settings {nsdecls('w')}>"
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="709"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
    ))


def _font_table(document: DocumentObject) -> None:
    # charset 86 (GB2312) tells Word to substitute a Chinese font where Noto is not installed.
    fonts = (
        f'<w:font w:name="{LATIN_FONT}"><w:altName w:val="Carlito"/>'
        '<w:panose1 w:val="020F0502020204030204"/>'
        '<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
        f'<w:font w:name="{CJK_FONT}"><w:altName w:val="微软雅黑"/>'
        '<w:panose1 w:val="020B0503020204020204"/>'
        '<w:charset w:val="86"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    )
    xml = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           f"<w:fonts {nsdecls('w')}>{fonts}</w:fonts>")
    document.part.part_related_by(RT.FONT_TABLE)._blob = xml.encode()


def _theme(document: DocumentObject) -> None:
    """Theme fonts name the same faces as the styles, so Word's 'Body'/'Headings' agree."""
    part = document.part.part_related_by(RT.THEME)
    blob = part.blob.decode()
    for old in ("Calibri", "Cambria"):
        blob = blob.replace(f'<a:latin typeface="{old}"/>', f'<a:latin typeface="{LATIN_FONT}"/>')
    part._blob = blob.encode()


# --- numbering ----------------------------------------------------------------------------------

def _numbering(document: DocumentObject) -> None:
    """Two multi-level lists, bullets and numbers, each level linked to its List style."""
    bullets = "".join(_level(i, "bullet", BULLETS[i % 3], _list_style("List Bullet", i))
                      for i in range(9))
    numbers = "".join(
        _level(i, NUMBER_FORMATS[i % 3][0], NUMBER_FORMATS[i % 3][1].format(n=i + 1),
               _list_style("List Number", i))
        for i in range(9))
    _replace_children(document.part.numbering_part.element, (
        f"<w:numbering {nsdecls('w')}>"
        f'<w:abstractNum w:abstractNumId="0"><w:nsid w:val="5052450B"/>'
        f'<w:multiLevelType w:val="multilevel"/>{bullets}</w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="1"><w:nsid w:val="5052450E"/>'
        f'<w:multiLevelType w:val="multilevel"/>{numbers}</w:abstractNum>'
        f'<w:num w:numId="{BULLET_NUM_ID}"><w:abstractNumId w:val="0"/></w:num>'
        f'<w:num w:numId="{NUMBER_NUM_ID}"><w:abstractNumId w:val="1"/></w:num>'
        "</w:numbering>"
    ))


def _list_style(name: str, level: int) -> str | None:
    """Levels 0-2 belong to 'List Bullet', 'List Bullet 2', 'List Bullet 3' (ids without spaces)."""
    if level > 2:
        return None
    return name.replace(" ", "") + ("" if level == 0 else str(level + 1))


def _level(level: int, fmt: str, text: str, style: str | None) -> str:
    left = LIST_INDENT * (level + 1)
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    font = f'<w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}"/></w:rPr>' \
        if fmt == "bullet" else ""
    return (
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{LIST_INDENT}"/></w:pPr>{font}</w:lvl>'
    )


# --- styles -------------------------------------------------------------------------------------

def _styles(document: DocumentObject) -> None:
    """Replace the template's 160 styles with the ones the Word version uses, all defined here."""
    _replace_children(document.styles.element, (
        f"<w:styles {nsdecls('w')}><w:docDefaults><w:rPrDefault><w:rPr>"
        f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:cs="{LATIN_FONT}" '
        f'w:eastAsia="{CJK_FONT}"/><w:sz w:val="22"/><w:szCs w:val="22"/>'
        '<w:lang w:val="en"/></w:rPr></w:rPrDefault>'
        # Line height 1.15 times Calibri's (1.22 em): the PDF's 1.4; 8 pt after a paragraph.
        # No automatic hyphenation: ragged right, as UN releases are set.
        '<w:pPrDefault><w:pPr><w:widowControl/>'
        '<w:spacing w:after="160" w:line="276" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults></w:styles>"
    ))
    styles = document.styles
    normal = _style(styles, "Normal", WD_STYLE_TYPE.PARAGRAPH, base=None, priority=0)
    normal.element.set(qn("w:default"), "1")
    default_font = _style(styles, "Default Paragraph Font", WD_STYLE_TYPE.CHARACTER, base=None,
                          priority=1)
    default_font.element.set(qn("w:default"), "1")
    _front_styles(styles)
    _body_styles(styles)
    _list_styles(styles)
    _back_styles(styles)
    _page_styles(styles)
    for name, next_name in _NEXT:  # the next style may be defined after the one naming it
        styles[name].next_paragraph_style = styles[next_name]
    _complex_script_twins(document.styles.element)


def _complex_script_twins(styles_element) -> None:
    """Bold, italic and size for complex scripts too (w:bCs, w:iCs, w:szCs): Word and
    LibreOffice set Arabic and Hebrew text by these, so without them an Arabic title would be
    neither bold nor large."""
    for rpr in styles_element.iter(qn("w:rPr")):
        for western, complex_ in (("w:b", "w:bCs"), ("w:i", "w:iCs"), ("w:sz", "w:szCs")):
            found = rpr.find(qn(western))
            if found is None or rpr.find(qn(complex_)) is not None:
                continue
            twin = OxmlElement(complex_)
            for key, value in found.attrib.items():
                twin.set(key, value)
            found.addnext(twin)


_NEXT: list[tuple[str, str]] = []


def _style(styles, name: str, kind: WD_STYLE_TYPE, *, base: str | None = "Normal",
           next: str | None = None, priority: int = 10, custom: bool = False,
           gallery: bool = False) -> BaseStyle:
    style = styles.add_style(name, kind, builtin=not custom)
    if name in ("Header", "Footer"):
        style.element.styleId = name  # Word's ids (python-docx would write 'header')
    if base:
        style.base_style = styles[base]
    if next:
        _NEXT.append((name, next))
    style.priority = priority
    style.quick_style = gallery
    return style


def _paragraph(styles, name: str, *, size: float | None = None, bold: bool = False,
               color: RGBColor | None = None, before: float = 0,
               after: float | None = None, keep_next: bool = False, **kw) -> BaseStyle:
    style = _style(styles, name, WD_STYLE_TYPE.PARAGRAPH, **kw)
    font, fmt = style.font, style.paragraph_format
    if size:
        font.size = Pt(size)
    font.bold = bold or None
    if color is not None:
        font.color.rgb = color
    if before:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if keep_next:
        fmt.keep_with_next = True
    return style


def _ppr_xml(style: BaseStyle, xml: str) -> None:
    """Add pPr children python-docx has no API for (borders, outline level, numbering)."""
    ppr = style.element.get_or_add_pPr()
    for child in parse_xml(f"<w:pPr {nsdecls('w')}>{xml}</w:pPr>"):
        ppr.insert(_ppr_position(ppr, child.tag), child)


# w:pPr children must follow the schema's order.
_PPR_ORDER = [qn(f"w:{t}") for t in (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl")]


def _ppr_position(ppr, tag: str) -> int:
    rank = _PPR_ORDER.index(tag)
    for i, child in enumerate(ppr):
        if child.tag in _PPR_ORDER and _PPR_ORDER.index(child.tag) > rank:
            return i
    return len(ppr)


def _tracking(style: BaseStyle, twentieths: int, caps: bool = False) -> None:
    """Letter-spacing (and capitals) for labels: w:spacing has no python-docx API."""
    if caps:
        style.font.all_caps = True
    rpr = style.element.get_or_add_rPr()
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twentieths))
    # w:spacing comes after w:color and before w:sz in the schema's order
    later = [child for child in rpr if child.tag in (qn("w:w"), qn("w:kern"), qn("w:position"),
                                                    qn("w:sz"), qn("w:szCs"))]
    if later:
        later[0].addprevious(spacing)
    else:
        rpr.append(spacing)


def _front_styles(styles) -> None:
    # The release line as prominent as a professional release sets it: bold, body size.
    status = _paragraph(styles, "Release Status", size=11, bold=True, color=ACCENT, after=2,
                        keep_next=True, next="Organization", custom=True, gallery=True)
    _tracking(status, 6)
    _paragraph(styles, "Updated", size=11, bold=True, color=INK, after=2, keep_next=True,
               next="Correction", custom=True, gallery=True)
    _paragraph(styles, "Correction", size=11, color=INK, after=2, keep_next=True,
               next="Organization", custom=True)
    org = _paragraph(styles, "Organization", size=13, bold=True, color=INK, before=4, after=20,
                     keep_next=True, next="Title", custom=True, gallery=True)
    org.paragraph_format.line_spacing = 1.0
    _ppr_xml(org, '<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="6" '
                  f'w:color="{ACCENT}"/></w:pBdr>')
    title = _paragraph(styles, "Title", size=20, bold=True, color=INK, after=8, keep_next=True,
                       next="Subtitle", gallery=True)
    title.paragraph_format.line_spacing = 0.95  # 1.15 em, as the PDF's h1
    _paragraph(styles, "Subtitle", size=13, color=MUTED, after=12, keep_next=True, next="Normal",
               gallery=True).paragraph_format.line_spacing = 1.07
    _paragraph(styles, "Topics", size=10, bold=True, color=ACCENT, after=6, keep_next=True,
               next="Normal", custom=True)
    _paragraph(styles, "Also Available", size=10, color=MUTED, after=14,
               next="Normal", custom=True)
    embargo = _style(styles, "Embargo", WD_STYLE_TYPE.CHARACTER, base="Default Paragraph Font",
                     custom=True, gallery=True)
    embargo.font.color.rgb = RED  # an embargo in red, as in the PDF
    address = _style(styles, "Letterhead Address", WD_STYLE_TYPE.CHARACTER,
                     base="Default Paragraph Font", custom=True)
    address.font.bold = False
    address.font.size = Pt(9)
    address.font.color.rgb = MUTED
    dateline = _style(styles, "Dateline", WD_STYLE_TYPE.CHARACTER, base="Default Paragraph Font",
                      custom=True, gallery=True)
    dateline.font.bold = True


def _body_styles(styles) -> None:
    h2 = _paragraph(styles, "Heading 2", size=13, bold=True, color=ACCENT, before=14, after=4,
                    keep_next=True, next="Normal", priority=9, gallery=True)
    h3 = _paragraph(styles, "Heading 3", size=11, bold=True, color=INK, before=10, after=3,
                    keep_next=True, next="Normal", priority=9, gallery=True)
    for style, level in ((h2, 1), (h3, 2)):
        style.paragraph_format.keep_together = True
        _ppr_xml(style, f'<w:outlineLvl w:val="{level}"/>')
    quote = _paragraph(styles, "Quote", color=RGBColor(0x40, 0x40, 0x40), before=4,
                       after=10, next="Normal", priority=29, gallery=True)
    _ppr_xml(quote, '<w:pBdr><w:left w:val="single" w:sz="12" w:space="10" '
                    f'w:color="{ACCENT}"/></w:pBdr><w:ind w:left="567" w:right="567"/>')
    link = _style(styles, "Hyperlink", WD_STYLE_TYPE.CHARACTER, base="Default Paragraph Font",
                  priority=99)
    link.font.color.rgb = LINK
    link.font.underline = True
    figure = _paragraph(styles, "Figure", before=6, after=4, keep_next=True, next="Caption",
                        custom=True)
    figure.paragraph_format.line_spacing = 1.0
    caption = _paragraph(styles, "Caption", size=9, color=MUTED, after=14, next="Normal",
                         priority=35, gallery=True)
    caption.paragraph_format.line_spacing = 1.07  # the PDF's 1.3


def _list_styles(styles) -> None:
    for base_name, num_id in (("List Bullet", BULLET_NUM_ID), ("List Number", NUMBER_NUM_ID)):
        for level in range(3):
            name = base_name + ("" if level == 0 else f" {level + 1}")
            style = _paragraph(styles, name, after=4, priority=99)
            _ppr_xml(style, f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'
                            "</w:numPr><w:contextualSpacing/>")
    for level in range(3):
        name = "List Continue" + ("" if level == 0 else f" {level + 1}")
        style = _paragraph(styles, name, after=4, priority=99)
        style.paragraph_format.left_indent = Twips(LIST_INDENT * (level + 1))


def _back_styles(styles) -> None:
    end = _paragraph(styles, "End Mark", bold=True, before=10, after=10, next="Notes Heading",
                     custom=True)
    end.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = _paragraph(styles, "Notes Heading", size=9, bold=True, color=ACCENT, before=12,
                         after=4, keep_next=True, next="Normal", custom=True, gallery=True)
    _tracking(heading, 8, caps=True)
    contact = _paragraph(styles, "Contact", size=10, after=8, next="Contact", custom=True)
    contact.paragraph_format.keep_together = True
    contact.paragraph_format.line_spacing = 1.07
    _paragraph(styles, "Boilerplate", size=9.5, color=MUTED, after=6, next="Boilerplate",
               custom=True).paragraph_format.line_spacing = 1.1


def _page_styles(styles) -> None:
    for name in ("Header", "Footer"):
        style = _paragraph(styles, name, size=8, color=MUTED, after=0, priority=99)
        style.paragraph_format.line_spacing = 1.0
    styles["Header"].paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    styles["Footer"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


# --- page and specimen --------------------------------------------------------------------------

def _page_setup(document: DocumentObject) -> None:
    """A4, 2.5 cm margins; a first-page header of its own (empty here: room for a letterhead)."""
    section = document.sections[0]
    section.page_width, section.page_height = A4
    section.left_margin = section.right_margin = MARGIN
    section.top_margin, section.bottom_margin = TOP_MARGIN, BOTTOM_MARGIN
    section.header_distance = Twips(567)  # 1 cm
    section.footer_distance = Twips(850)  # 1.5 cm
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].style = document.styles["Header"]
    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    header.add_run("Organisation\tRELEASE STATUS")
    for footer in (section.footer, section.first_page_footer):
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["Footer"]
        paragraph.add_run("Page ")
        append_field(paragraph._p, "PAGE")
        paragraph.add_run(" of ")
        append_field(paragraph._p, "NUMPAGES")


#: Every style in use, as the Word version uses it, for whoever restyles this document.
SPECIMEN = (
    ("Release Status", "FOR IMMEDIATE RELEASE"),
    ("Updated", "Updated 2 January 2024"),
    ("Correction", "What was corrected (style Correction)."),
    ("Organization", "Organisation name"),
    ("Title", "Headline of the release (style Title)"),
    ("Subtitle", "Subheadline (style Subtitle)"),
    ("Topics", "Topics of the release (style Topics)"),
    ("Also Available", "Also available in other languages (style Also Available)"),
    ("Normal", (Segment("City, 1 January 2024 – ", style="Dateline"),
                Segment("The first paragraph, led in by the dateline (character style "
                        "Dateline)."))),
    ("Heading 2", "Subhead (Heading 2)"),
    ("Normal", (Segment("Body text (style Normal), with a "), Segment("bold", bold=True),
                Segment(" and an "), Segment("italic", italic=True), Segment(" word."))),
    ("Heading 3", "Minor subhead (Heading 3)"),
    ("List Bullet", "Bulleted list (List Bullet)"),
    ("List Bullet 2", "Nested item (List Bullet 2)"),
    ("List Continue", "A further paragraph of a list item (List Continue)"),
    ("List Number", "Numbered list (List Number)"),
    ("List Number 2", "Nested item (List Number 2)"),
    ("Quote", "A block quote (style Quote)."),
    ("Caption", "Photo caption (style Caption).\nPhoto: credit"),
    ("End Mark", "-ENDS-"),
    ("Notes Heading", "Notes to editors"),
    ("Normal", "Notes text (style Normal)."),
    ("Notes Heading", "Contact"),
    ("Contact", "Name\nRole\nOrganisation\nTel. +00 000 000 000\nEmail: press@example.org"),
    ("Notes Heading", "About the organisation"),
    ("Boilerplate", "Boilerplate text (style Boilerplate)."),
)


def _specimen(document: DocumentObject) -> None:
    """A sample of every style, so the document shows what it styles (the writer clears it)."""
    document.element.body.clear_content()
    for style, content in SPECIMEN:
        paragraph = document.add_paragraph(style=document.styles[style])
        segments = [Segment(content)] if isinstance(content, str) else list(content)
        append_segments(paragraph._p, segments, document.part, "Hyperlink")


def _properties(document: DocumentObject) -> None:
    props = document.core_properties
    props.title = "Press release: reference document"
    props.subject = "Styles and page setup of the Word version"
    props.author = props.last_modified_by = "pressexport"
    props.comments = ("Replace this file with your own letterhead document; keep the style names.")
    props.keywords = props.category = props.content_status = props.identifier = ""
    props.version = ""
    props.language = "en"
    props.created = props.modified = FIXED_TIME
    props.revision = 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
