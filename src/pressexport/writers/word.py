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
from docx.shared import Emu, Twips
from docx.styles import BabelFish

from pressexport import i18n, templates
from pressexport.errors import BuildError
from pressexport.layout import document_path
from pressexport.view import ContactView, MediaView, ReleaseView
from pressexport.writers import Artifact, Context, docx_bidi, docx_xml
from pressexport.writers.docx_xml import Segment
from pressexport.writers.word_walk import LIST_LEVELS, WordWalker

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.oxml.text.paragraph import CT_P
    from lxml.etree import _Element

    from pressexport.model import Release

REFERENCE = "docx/reference.docx"
PAGE_SIZES = {"A4": (Twips(11906), Twips(16838)), "Letter": (Twips(12240), Twips(15840))}
#: The Word fields that count what `Page {page} of {pages}` names.
PAGE_FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}
PROPERTY_LIMIT = 255  # characters Word keeps in a core property
#: Every style the writer uses; the reference document must define each one.
STYLES = (
    "Normal", "Release Status", "Organization", "Title", "Subtitle", "Topics", "Also Available",
    "Heading 2", "Heading 3", "Quote", "Figure", "Caption", "End Mark", "Notes Heading", "Contact",
    "Boilerplate", "Header", "Footer", "Dateline", "Hyperlink",
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
    _front(out, v)
    walker.body(v)
    for item in v.media:
        _media(out, item)
    _back(out, walker, v)
    _header_footer(out, v)
    _properties(document, release, v)
    docx_xml.set_document_language(document.styles.element, release.language)
    docx_bidi.finish(document, release.language)
    buffer = io.BytesIO()
    document.save(buffer)
    return docx_xml.reproducible_zip(buffer.getvalue())


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

    def picture(self, file: str, alt: str) -> None:
        """An image as wide as the text (at most half the page high), described by `alt`."""
        path = self.media_dir / file
        try:
            image = Image.from_file(str(path))
        except UnrecognizedImageError:
            raise BuildError(f"media/{file}: Word cannot embed this image format; "
                             "use PNG, JPEG or GIF") from None
        section = self.document.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin
        max_height = (section.page_height - section.top_margin - section.bottom_margin) // 2
        height = width * image.px_height // image.px_width
        if height > max_height:
            width, height = width * max_height // height, max_height
        inline = self.part.new_pic_inline(str(path), Emu(width), Emu(height))
        docx_xml.finish_picture(inline, alt)
        self.paragraph("Figure").add_r().add_drawing(inline)


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


def _front(out: WordBuilder, v: ReleaseView) -> None:
    out.text("Release Status", v.status)
    out.text("Organization", v.organization)
    out.text("Title", v.headline)
    if v.subheadline:
        out.text("Subtitle", v.subheadline)
    if v.topics:
        out.text("Topics", v.topics)
    if v.also_available:
        out.text("Also Available", v.also_available)


def _media(out: WordBuilder, item: MediaView) -> None:
    """The picture when embedded, then the caption (linked when the photo is online), credit."""
    if item.file:
        out.picture(item.file, item.alt or item.caption)
    segments = [Segment(item.caption, href=item.url)]
    if item.credit:
        segments.append(Segment("\n" + item.credit))
    out.paragraph("Caption", segments)


def _back(out: WordBuilder, walker: WordWalker, v: ReleaseView) -> None:
    out.text("End Mark", v.end_mark)
    for section in (v.correction, v.notes):
        if section:
            out.text("Notes Heading", section.title)
            walker.render(section.text, "Normal")
    if v.contacts:
        out.text("Notes Heading", v.contacts_title)
        for contact in v.contacts:
            out.paragraph("Contact", _contact_segments(contact))
    if v.about:
        out.text("Notes Heading", v.about.title)
        walker.render(v.about.text, "Boilerplate")


def _contact_segments(contact: ContactView) -> list[Segment]:
    """One line per field, the email address a mailto: link."""
    segments: list[Segment] = []
    for i, line in enumerate(contact.lines):
        segments += [Segment(("\n" if i else "") + line.label),
                     Segment(line.value, href=line.href)]
    return segments


def _header_footer(out: WordBuilder, v: ReleaseView) -> None:
    """Headers: organisation and status; footers: `Page N of M` from PAGE/NUMPAGES fields.

    A reference whose first page has a header of its own (a letterhead) keeps it there.
    """
    section = out.document.sections[-1]
    headers, footers = [section.header], [section.footer]
    if section.different_first_page_header_footer:
        footers.append(section.first_page_footer)
        if not _has_content(section.first_page_header.part.element):
            headers.append(section.first_page_header)
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


def _has_content(element: _Element) -> bool:
    """True when a header part shows something: text, a picture or a shape."""
    return bool(element.xpath(".//w:t[normalize-space()] | .//w:drawing | .//w:pict"))


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
