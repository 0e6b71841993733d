"""The Word version: the reference document's styles, the body walked from the shared Markdown tree,
real hyperlinks, page fields and the release's own metadata, zipped reproducibly."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Twips
from docx.styles import BabelFish

from pressexport import formats, i18n, templates
from pressexport.errors import BuildError
from pressexport.layout import document_path
from pressexport.view import ContactView, MediaView, ReleaseView
from pressexport.writers import Artifact, Context, docx_bidi, docx_meta, docx_xml
from pressexport.writers.docx_xml import Segment
from pressexport.writers.word_walk import LIST_LEVELS, WordWalker

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.oxml.text.paragraph import CT_P
    from lxml.etree import _Element

    from pressexport.model import Release

REFERENCE = formats.REFERENCE_DOCX
PAGE_SIZES = {"A4": (Twips(11906), Twips(16838)), "Letter": (Twips(12240), Twips(15840))}
#: The Word fields that count what `Page {page} of {pages}` names.
PAGE_FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}
PROPERTY_LIMIT = 255  # characters Word keeps in a core property
#: Pictures are never printed at fewer pixels per inch than this (as the PDF's image-resolution).
PRINT_PPI = 150
EMU_PER_INCH = 914400
LOGO_HEIGHT, LOGO_WIDTH, LOGO_GAP = Mm(12), Mm(45), Mm(3)  # as the PDF's letterhead
PICTURE_HEIGHT = Mm(90)  # as the PDF's tallest picture
#: What python-docx can embed; an SVG logo is left out of the Word version (validate says so).
WORD_IMAGES = (".png", ".jpg", ".jpeg", ".gif")
#: Every style the writer uses; the reference document must define each one.
STYLES = (
    "Normal", "Release Status", "Updated", "Correction", "Organization", "Title", "Subtitle",
    "Topics", "Also Available", "Heading 2", "Heading 3", "Quote", "Figure", "Caption",
    "End Mark", "Notes Heading", "Contact", "Boilerplate", "Header", "Footer", "Dateline",
    "Embargo", "Letterhead Address", "Hyperlink",
    *(f"{kind}{'' if level == 1 else f' {level}'}"
      for kind in ("List Bullet", "List Number", "List Continue")
      for level in range(1, LIST_LEVELS + 1)),
)


def write(v: ReleaseView, ctx: Context, inputs: Mapping[str, bytes]) -> list[Artifact]:
    """out/SLUG/SLUG.docx."""
    return [Artifact(document_path(v.release.slug, "docx"), render(v, ctx))]


def render(v: ReleaseView, ctx: Context) -> bytes:
    """The Word version of a release as DOCX bytes, identical for identical input."""
    release = v.release
    reference = templates.find(ctx.templates, REFERENCE)
    document = Document(str(reference))
    out = WordBuilder(document, reference, ctx.project.media_dir, v.language, v.site_language)
    out.page_size(release.site.pdf.page_size)
    walker = WordWalker(out)
    _front(out, walker, v)
    walker.body(v)
    for item in v.media:
        _media(out, item)
    end_mark = len(out.body.xpath("./w:p"))
    _back(out, walker, v)
    _keep_end_together(out, end_mark)
    _header_footer(out, v)
    _properties(document, release, v)
    docx_xml.set_document_language(document.styles.element, release.language)
    docx_bidi.finish(document, release.language)
    docx_meta.embed(document, release)  # what the document does not print, for `import`
    return docx_xml.package_zip(document)


class WordBuilder:
    """Appends styled paragraphs to a reference document whose body it has cleared."""

    def __init__(self, document: DocumentObject, reference: Path, media_dir: Path,
                 language: str = "en", site_language: str = "en") -> None:
        self.document = document
        self.language = language
        self.site_language = site_language
        self.part = document.part
        self.media_dir = media_dir
        self.body = document.element.body
        self.body.clear_content()
        # The reference's sample text may have linked pages or pictures: drop what it related.
        for rid, rel in list(self.part.rels.items()):
            if rel.reltype in (RT.HYPERLINK, RT.IMAGE):
                del self.part.rels[rid]
        self.styles, self.list_nums = _styles(document, reference)

    def paragraph(self, style: str, segments: Iterable[Segment] = ()) -> CT_P:
        """A new body paragraph in `style` holding `segments`."""
        p = self.body.add_p()
        p.style = self.styles[style]
        self.append(p, segments)
        return p

    def append(self, p: CT_P, segments: Iterable[Segment]) -> None:
        """Append `segments` to `p`, each run of another script marked with its language."""
        docx_xml.append_segments(p, docx_bidi.split(segments, self.language, self.site_language),
                                 self.part, self.styles["Hyperlink"])

    def text(self, style: str, text: str) -> CT_P:
        """A paragraph of plain text (markup characters stay literal)."""
        return self.paragraph(style, [Segment(text)])

    def restart_list(self, style: str, level: int, start: int) -> int | None:
        """A fresh numbering sequence for one ordered list (None: the style has no numbering)."""
        num_id = self.list_nums.get(style)
        if num_id is None:
            return None
        return docx_xml.restart_list(self.part.numbering_part.element, num_id, level, start)

    def page_size(self, name: str) -> None:
        """The site's paper size (pdf.page_size), keeping the reference's margins; the running
        header's right-aligned tab moves with the right margin."""
        section = self.document.sections[-1]
        width, height = PAGE_SIZES[name]
        wider = Emu(width - (section.page_width or width)).twips
        section.page_width, section.page_height = width, height
        header = self.document.styles.element.get_by_id(self.styles["Header"])
        for tab in header.xpath("./w:pPr/w:tabs/w:tab[@w:val='right']") if wider else ():
            tab.set(qn("w:pos"), str(int(tab.get(qn("w:pos"))) + wider))

    def picture(self, file: str, alt: str) -> int:
        """An image at most as wide as the text and 90 mm high (as the PDF's), never enlarged
        past PRINT_PPI, described by `alt`; returns its width (EMU)."""
        section = self.document.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin
        inline = self.inline_picture(file, alt, width, PICTURE_HEIGHT)
        self.paragraph("Figure").add_r().add_drawing(inline)
        return int(inline.extent.cx)

    def inline_picture(self, file: str, alt: str, width: int, height: int) -> _Element:
        """A wp:inline of `file` fitting `width` x `height` (EMU) at no more than PRINT_PPI."""
        picture = _embeddable(self.media_dir / file)
        image = Image.from_file(picture)
        cx, cy = fit_picture(image.px_width, image.px_height, width, height)
        inline = self.part.new_pic_inline(picture, Emu(cx), Emu(cy))
        docx_xml.finish_picture(inline, alt)
        return inline


def fit_picture(px_width: int, px_height: int, width: int, height: int) -> tuple[int, int]:
    """The size (EMU) of a picture of px_width x px_height within `width` x `height`, keeping
    its proportions and never enlarged past PRINT_PPI (a small photo is not blown up)."""
    scale = min(width / px_width, height / px_height, EMU_PER_INCH / PRINT_PPI)
    return max(1, round(px_width * scale)), max(1, round(px_height * scale))


def _embeddable(path: Path) -> str | io.BytesIO:
    """The image file at `path`, or the same picture in RGB where python-docx cannot read the
    file: a CMYK or Adobe JPEG (no JFIF or Exif header) is still a JPEG every other writer takes."""
    try:
        Image.from_file(str(path))
    except UnrecognizedImageError:
        from PIL import Image as Pillow

        with Pillow.open(path) as original:
            kind = "JPEG" if original.format in ("JPEG", "MPO") else "PNG"
            converted = original.convert("RGB" if kind == "JPEG" else "RGBA")
        data = io.BytesIO()
        converted.save(data, kind, quality=95)
        return data
    return str(path)


def _styles(document: DocumentObject, reference: Path) -> tuple[dict[str, str], dict[str, int]]:
    """Style name -> id for every style used; and the numId each List Number style names."""
    defined = {BabelFish.internal2ui(s.name_val): s for s in document.styles.element.style_lst
               if s.name_val}
    missing = [name for name in STYLES if name not in defined]
    if missing:
        raise BuildError(f"{reference}: the reference document lacks the style(s) "
                         f"{', '.join(missing)} (the default reference defines them all)")
    ids = {name: defined[name].styleId for name in STYLES}
    nums = {name: num for name in STYLES if name.startswith("List Number")
            if (num := docx_xml.style_num_id(defined[name])) is not None}
    return ids, nums


def _front(out: WordBuilder, walker: WordWalker, v: ReleaseView) -> None:
    out.paragraph("Release Status", [Segment(v.status, style=out.styles["Embargo"]
                                             if v.embargoed else None)])
    if v.update:
        out.text("Updated", v.update.title)
        if v.update.correction:
            walker.render(v.update.correction, "Correction")
    _letterhead(out, v)
    out.text("Title", v.headline)
    if v.subheadline:
        out.text("Subtitle", v.subheadline)
    if v.topics:
        out.text("Topics", v.topics)
    if v.also_available:
        out.paragraph("Also Available", _also_available_segments(v))


def _letterhead(out: WordBuilder, v: ReleaseView) -> None:
    """The organisation, after its logo when Word can show it (PNG, JPEG, GIF): the name at the
    logo's foot, the address under the name (hanging beside the logo, not under it)."""
    p = out.paragraph("Organization")
    logo = v.letterhead.logo
    if logo and logo.lower().endswith(WORD_IMAGES):
        inline = out.inline_picture(logo, v.organization, LOGO_WIDTH, LOGO_HEIGHT)
        p.add_r().add_drawing(inline)
        p.append(docx_xml.run("\t"))  # to the hanging indent, Word's first tab stop
        docx_xml.set_hanging_indent(p, Emu(int(inline.extent.cx) + LOGO_GAP).twips)
    head = v.letterhead
    segments = [Segment(head.name)]
    if head.short_name:
        segments.append(Segment(f" ({head.short_name})", style=out.styles["Letterhead Address"]))
    address = " · ".join([*head.address, *([head.url_text] if head.url_text else [])])
    if address:
        segments.append(Segment("\n" + address, style=out.styles["Letterhead Address"]))
    docx_xml.append_segments(p, segments, out.part, out.styles["Hyperlink"])


def _also_available_segments(v: ReleaseView) -> list[Segment]:
    """`Also available in Chinese`, each language a hyperlink to its translation's page."""
    before, _, after = v.labels.also_available.partition("{languages}")
    segments = [Segment(before)]
    for i, translation in enumerate(v.translations):
        if i:
            segments.append(Segment(v.labels.list_sep))
        segments.append(Segment(translation.name, href=translation.url))
    return [*segments, Segment(after)]


def _media(out: WordBuilder, item: MediaView) -> None:
    """The picture when embedded, then the caption (linked when the photo is online), credit;
    under a picture, the caption is no wider than it."""
    width = out.picture(item.file, item.alt or item.caption) if item.file else None
    segments = [Segment(item.caption, href=item.url)]
    if item.credit:
        segments.append(Segment("\n" + item.credit))
    p = out.paragraph("Caption", segments)
    if width is not None:
        section = out.document.sections[-1]
        text_width = section.page_width - section.left_margin - section.right_margin
        if text_width - width > 0:
            docx_xml.set_right_indent(p, Emu(text_width - width).twips)


def _back(out: WordBuilder, walker: WordWalker, v: ReleaseView) -> None:
    out.text("End Mark", v.end_mark)
    if v.notes:
        out.text("Notes Heading", v.notes.title)
        walker.render(v.notes.text, "Normal")
    if v.contacts:
        out.text("Notes Heading", v.contacts_title)
        for contact in v.contacts:
            out.paragraph("Contact", _contact_segments(contact))
    if v.about:
        out.text("Notes Heading", v.about.title)
        walker.render(v.about.text, "Boilerplate")


def _keep_end_together(out: WordBuilder, end_mark: int) -> None:
    """Keep the end mark and all that follows (notes, contacts, About) together, unbroken, and
    with the paragraph before it (the body's last lines, or the last caption, itself kept with
    its picture): no page holds only contacts or About. As html/print.css keeps the PDF."""
    paragraphs = out.body.xpath("./w:p")
    for p in paragraphs[end_mark - 1:-1]:
        p.get_or_add_pPr().keepNext_val = True
    for p in paragraphs[end_mark:]:
        p.get_or_add_pPr().keepLines_val = True


def _contact_segments(contact: ContactView) -> list[Segment]:
    """One line per field, the name in bold, the email address a mailto: link."""
    segments: list[Segment] = []
    for i, line in enumerate(contact.lines):
        segments += [Segment(("\n" if i else "") + line.label),
                     Segment(line.value, bold=i == 0, href=line.href)]
    return segments


def _header_footer(out: WordBuilder, v: ReleaseView) -> None:
    """Headers: organisation and status; footers: `Page N of M` from PAGE/NUMPAGES fields.

    A reference whose first page has a header of its own (a letterhead) keeps it there.
    """
    section = out.document.sections[-1]
    # Page one carries the letterhead and the status in the body: its header stays empty (or
    # the reference's own first-page letterhead), the running header starts on page two.
    section.different_first_page_header_footer = True
    headers, footers = [section.header], [section.footer, section.first_page_footer]
    for header in headers:
        p = _cleared(header.part.element).add_p()
        p.style = out.styles["Header"]
        out.append(p, [Segment(f"{v.organization}\t{v.status}")])
    for footer in footers:
        p = _cleared(footer.part.element).add_p()
        p.style = out.styles["Footer"]
        for piece in i18n.page_pieces(v.labels.page):
            if piece.number:
                docx_xml.append_field(p, PAGE_FIELDS[piece.number])
            else:
                p.append(docx_xml.run(piece.text))


def _cleared(element: _Element) -> _Element:
    """A w:hdr or w:ftr emptied of the reference's content."""
    for child in list(element):
        element.remove(child)
    return element


def _properties(document: DocumentObject, release: Release, v: ReleaseView) -> None:
    """Core properties from the release; nothing of the reference's or python-docx's is left."""
    props = document.core_properties
    props.title = fit(v.headline)
    props.subject = fit(release.summary)
    props.keywords = fit("; ".join(release.topics))
    props.author = props.last_modified_by = fit(v.organization)
    props.identifier = fit(release.id)
    props.language = release.language
    props.comments = props.category = props.content_status = props.version = ""
    props.created = _utc(release.date)
    props.modified = _utc(release.last_modified)
    props.revision = 1
    printed = props._element.find("{http://schemas.openxmlformats.org/package/2006/metadata/"
                                  "core-properties}lastPrinted")
    if printed is not None:
        props._element.remove(printed)


def _utc(moment: datetime) -> datetime:
    """python-docx writes the clock time with a Z, so hand it UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def fit(text: str, limit: int = PROPERTY_LIMIT) -> str:
    """`text` cut at a word boundary with `…` to fit `limit` characters (Word's 255)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # text without spaces (Chinese) is cut between characters
        cut = cut[:space]
    return cut.rstrip(" ,;:–—") + "…"
