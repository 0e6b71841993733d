"""The Word version, read back with python-docx, its XML, and LibreOffice + pdftotext."""

from __future__ import annotations

import importlib.util
import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from hypothesis import given
from hypothesis import strategies as st

from conftest import (
    ROOT,
    SEED_FACTS,
    SEED_SLUG,
    Run,
    every_construct_release,
    libreoffice,
    write_release,
)
from pressexport.errors import BuildError
from pressexport.load import load_project
from pressexport.view import view
from pressexport.writers import Context
from pressexport.writers.docx_xml import package_members
from pressexport.writers.word import PROPERTY_LIMIT, STYLES, fit, render

RICH = "2024-11-20-every-construct"
CHINESE = "2024-11-20-zh-every-construct"
SHARED = "2024-11-20-shared-every-construct"  # conftest's body, walked by every writer
HEADER_FOOTER_MARGIN = 60  # points cropped off each page's top and bottom before pdftotext

RICH_YAML = """\
headline: Rich release with *stars* and <b>tags</b> kept literal
subheadline: A subheadline
date: 2024-11-20T10:00
embargo: 2024-11-20T10:00
updated: 2024-11-21T09:00
correction: An earlier version misnamed the **venue**.
dateline: Geneva, Switzerland
topics: [Migration, Health]
summary: >-
  {summary}
translations:
  zh-Hans: 2024-11-20-zh-every-construct
body: |
  Opening paragraph with **bold text**, *italic text* and [a link](https://example.org/a).\\
  After a hard break.

  ## Subhead two

  - bullet one
  - bullet two
    - nested bullet
      - third level
        - fourth level
  - bullet three

  1. first number
  2. second number
     1. nested number
     2. nested again
  3. third number

  ### Subhead three

  > A quoted line with [a mail link](mailto:press@example.org).

  3. starts at three
  4. then four

  - loose item

    second paragraph of the loose item
notes_to_editors: Notes with [a notes link](https://example.org/notes).
media:
  - file: wide.png
    alt: Two delegates shaking hands
    caption: Wide photo caption.
    credit: Wide Credit
  - file: tall.png
    alt: A tall banner
    caption: Tall photo caption.
  - url: https://example.org/photo.jpg
    caption: Linked photo caption.
    credit: Linked Credit
  - caption: Photo note caption.
    credit: Note Credit
contacts:
  - name: Ana Example
    role: Spokesperson
    organization: Example Office
    phone: +41 22 000 00 00
    email: ana@example.org
boilerplate: About text with **bold**.
"""

CHINESE_YAML = """\
headline: 国际移民组织举办国际移民法培训
date: 2024-11-20
dateline: 杭州
language: zh-Hans
translations:
  en: 2024-11-20-every-construct
body: |
  国际移民组织今天在杭州举办培训，共有三十三名官员参加。

  培训旨在帮助学员更好地了解移民治理。
contacts:
  - name: 李明
    phone: +86 10 0000 0000
"""


def png(width: int, height: int) -> bytes:
    """A plain grey PNG, encoded by hand."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


LONG_SUMMARY = " ".join(["A summary sentence that is long enough to need cutting."] * 8)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample workspace plus a release using every construct and a Chinese translation."""
    folder = tmp_path_factory.mktemp("docx")
    shutil.copytree(ROOT / "source", folder / "source")
    (folder / "source" / "media").mkdir(exist_ok=True)
    (folder / "source" / "media" / "wide.png").write_bytes(png(160, 90))
    (folder / "source" / "media" / "tall.png").write_bytes(png(60, 240))
    write_release(folder, RICH, RICH_YAML.format(summary=LONG_SUMMARY))
    write_release(folder, CHINESE, CHINESE_YAML)
    every_construct_release(folder, SHARED)
    return folder


@pytest.fixture(scope="module")
def ctx(workspace: Path) -> Context:
    return Context(load_project(workspace / "source"), None)


@pytest.fixture(scope="module")
def built(ctx: Context, workspace: Path) -> dict[str, bytes]:
    """Each release's DOCX, built once for the module (also written out for LibreOffice)."""
    out = workspace / "docx"
    out.mkdir()
    files = {}
    for slug in (SEED_SLUG, RICH, CHINESE, SHARED):
        files[slug] = render(view(ctx.project.release(slug)), ctx)
        (out / f"{slug}.docx").write_bytes(files[slug])
    return files


@pytest.fixture(scope="module")
def pdf_text(built: dict[str, bytes], workspace: Path) -> dict[str, str]:
    """LibreOffice converts every DOCX in one run; pdftotext reads the body area of each page."""
    pdfs = libreoffice(sorted((workspace / "docx").glob("*.docx")), "pdf", workspace)
    return {slug: " ".join(_pdftotext(pdfs[slug]).split()) for slug in built}


def _pdftotext(pdf: Path) -> str:
    """The text between header and footer (A4: 595 x 842 points)."""
    return subprocess.run(
        ["pdftotext", "-layout", "-x", "0", "-y", str(HEADER_FOOTER_MARGIN), "-W", "595", "-H",
         str(842 - 2 * HEADER_FOOTER_MARGIN), str(pdf), "-"],
        capture_output=True, text=True, check=True).stdout


def document(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def styled(data: bytes) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph, in order."""
    return [(p.style.name, p.text) for p in document(data).paragraphs]


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name).decode("utf-8")


def test_seed_paragraphs_use_named_styles_in_spec_order(built: dict[str, bytes]) -> None:
    paragraphs = styled(built[SEED_SLUG])
    assert [style for style, _ in paragraphs] == [
        "Release Status", "Organization", "Title", "Topics", *["Normal"] * 5, "Caption", "End Mark",
        "Notes Heading", "Contact",
    ]
    assert paragraphs[0][1] == "FOR IMMEDIATE RELEASE"
    assert paragraphs[-1][1] == "Etienne Micallef\nIOM Office in China\nTel: +861381120 9875"
    assert paragraphs[-3][1] == "-ENDS-"


def test_seed_facts_in_order_in_the_document(built: dict[str, bytes]) -> None:
    text = " ".join(" ".join(t.split()) for _, t in styled(built[SEED_SLUG]))
    position = 0
    for fact in SEED_FACTS:
        found = text.find(" ".join(fact.split()), position)
        assert found >= 0, fact
        position = found + 1


def test_dateline_is_a_character_style_run_leading_into_the_first_paragraph(
        built: dict[str, bytes]) -> None:
    first_body = document(built[SEED_SLUG]).paragraphs[4]
    lead = first_body.runs[0]
    assert lead.style.name == "Dateline"
    assert lead.text == "Hangzhou, 8 September 2017 – "
    assert first_body.text.startswith("Hangzhou, 8 September 2017 – IOM, the UN Migration Agency")
    assert lead.bold is None  # the style makes it bold, not direct formatting


def test_libreoffice_renders_every_seed_fact_in_order(pdf_text: dict[str, str]) -> None:
    position = 0
    for fact in SEED_FACTS:
        position = pdf_text[SEED_SLUG].find(" ".join(fact.split()), position) + 1
        assert position, fact


def test_core_properties_are_the_releases(built: dict[str, bytes], ctx: Context) -> None:
    release = ctx.project.release(SEED_SLUG)
    props = document(built[SEED_SLUG]).core_properties
    assert props.title == release.headline
    assert props.author == props.last_modified_by == "International Organization for Migration"
    # the seed's first paragraph is longer than Word's 255 characters: cut at a word
    assert props.subject == release.summary[:len(props.subject) - 1] + "…"
    assert props.subject.endswith(" officials from…")
    assert props.keywords == "Capacity Building"
    assert props.language == "en"
    assert props.identifier == release.id
    # 8 September 2017, midnight in Asia/Shanghai
    assert props.created == props.modified == datetime(2017, 9, 7, 16, 0, tzinfo=UTC)
    assert props.revision == 1
    assert props.comments == props.category == ""


def test_no_library_or_template_metadata_leaks(built: dict[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(built[SEED_SLUG])) as package:
        for name in package.namelist():
            data = package.read(name)
            assert b"python-docx" not in data, name
            assert b"2013-12-23" not in data, name
        core = package.read("docProps/core.xml").decode()
    assert "2024-01-01" not in core  # the reference document's own dates
    assert "reference document" not in core


def test_header_and_footer_carry_organisation_status_and_page_fields(
        built: dict[str, bytes]) -> None:
    section = document(built[SEED_SLUG]).sections[0]
    assert [(p.style.name, p.text) for p in section.header.paragraphs] == [
        ("Header", "International Organization for Migration\tFOR IMMEDIATE RELEASE")]
    # Page one shows the letterhead and status in the text: not again in its header.
    assert section.different_first_page_header_footer
    assert "".join(p.text for p in section.first_page_header.paragraphs) == ""
    for footer in (section.footer, section.first_page_footer):
        (paragraph,) = footer.paragraphs
        assert paragraph.style.name == "Footer"
        fields = [t.text.strip() for t in paragraph._p.iter(qn("w:instrText"))]
        assert fields == ["PAGE", "NUMPAGES"]
        assert paragraph.text == "Page 1 of 1"  # the cached results; Word recomputes them


def test_libreoffice_computes_page_numbers(workspace: Path, pdf_text: dict[str, str]) -> None:
    pdf = workspace / "pdf" / f"{SEED_SLUG}.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.count("\f")
    assert [f"Page {n} of {pages}" in text for n in range(1, pages + 1)] == [True] * pages


def test_every_construct_maps_to_its_style(built: dict[str, bytes]) -> None:
    paragraphs = styled(built[RICH])
    styles = [style for style, _ in paragraphs]
    assert styles == [
        "Release Status", "Updated", "Correction", "Organization", "Title", "Subtitle",
        "Topics", "Also Available", "Normal", "Heading 2",
        "List Bullet", "List Bullet", "List Bullet 2", "List Bullet 3", "List Bullet 3",
        "List Bullet",
        "List Number", "List Number", "List Number 2", "List Number 2", "List Number",
        "Heading 3", "Quote", "List Number", "List Number", "List Bullet", "List Continue",
        "Figure", "Caption", "Figure", "Caption", "Caption", "Caption",
        "End Mark", "Notes Heading", "Normal", "Notes Heading", "Contact", "Notes Heading",
        "Boilerplate",
    ]
    texts = dict(zip(styles, (t for _, t in paragraphs), strict=False))
    assert texts["Title"] == "Rich release with *stars* and <b>tags</b> kept literal"
    assert texts["Release Status"] == ("EMBARGOED UNTIL 10:00 China Standard Time "
                                       "(02:00 UTC), 20 November 2024")
    assert texts["Also Available"] == "Also available in 中文"  # named in its own language (SPEC)
    assert texts["Topics"] == "Migration, Health"
    assert texts["Updated"] == "Updated 21 November 2024"  # under the release line
    first = paragraphs[8][1]
    assert first.startswith("Geneva, Switzerland, 20 November 2024 – Opening paragraph")
    assert first.endswith("and a link.\nAfter a hard break.")


def test_the_shared_every_construct_body(built: dict[str, bytes],
                                        pdf_text: dict[str, str]) -> None:
    doc = document(built[SHARED])
    body = [(p.style.name, p.text) for p in doc.paragraphs][3:-3]
    assert body == [
        ("Normal", "Geneva, 20 November 2024 – The first paragraph has emphasis, strong text, "
                   "code, a link and a soft break."),
        ("Heading 2", "A subhead"), ("Heading 3", "A smaller subhead"),
        ("List Bullet", "A bullet with a second link"), ("List Bullet", "Another bullet"),
        ("List Bullet 2", "A nested bullet"),
        ("List Number", "First numbered"), ("List Number", "Second numbered"),
        ("List Number 2", "Nested numbered"),
        ("Quote", '"A block quote," said someone.'),
        ("Normal", "A line with a hard break\nafter it, and the first link again and "
                   "https://example.org/c."),
    ]
    assert [(h.text, h.address) for p in doc.paragraphs for h in p.hyperlinks] == [
        ("link", "https://example.org/a"), ("second link", "https://example.org/b"),
        ("first link again", "https://example.org/a"),
        ("https://example.org/c", "https://example.org/c"),
        ("ana@example.org", "mailto:ana@example.org"),
    ]
    assert "1. First numbered" in pdf_text[SHARED]


def test_inline_marks_are_runs_and_links_are_real_hyperlinks(built: dict[str, bytes]) -> None:
    doc = document(built[RICH])
    first = next(p for p in doc.paragraphs if "bold text" in p.text)
    marked = [(r.text, r.bold, r.italic) for r in first.runs if r.bold or r.italic]
    assert marked == [("bold text", True, None), ("italic text", None, True)]
    links = [(h.text, h.address, h.runs[0].style.name)
             for p in doc.paragraphs for h in p.hyperlinks]
    assert links == [
        ("中文", "https://newsroom.example.org/iom-china/"
         "2024-11-20-zh-every-construct/", "Hyperlink"),  # "Also available in": a real link
        ("a link", "https://example.org/a", "Hyperlink"),
        ("a mail link", "mailto:press@example.org", "Hyperlink"),
        ("Linked photo caption.", "https://example.org/photo.jpg", "Hyperlink"),
        ("a notes link", "https://example.org/notes", "Hyperlink"),
        ("ana@example.org", "mailto:ana@example.org", "Hyperlink"),
    ]
    rels = part(built[RICH], "word/_rels/document.xml.rels")
    assert rels.count('TargetMode="External"') == 6


def test_lists_have_real_numbering_that_restarts(built: dict[str, bytes],
                                                 pdf_text: dict[str, str]) -> None:
    doc = document(built[RICH])
    numbering = doc.part.numbering_part.element
    starts = {}
    for p in doc.paragraphs:
        numpr = p._p.pPr.numPr if p._p.pPr is not None else None
        if p.style.name.startswith("List Bullet"):
            assert numpr is None  # bullets number through their style
        if p.style.name.startswith("List Number"):
            num_id = numpr.numId.val
            start = numbering.xpath(f"./w:num[@w:numId='{num_id}']//w:startOverride/@w:val")
            starts.setdefault(num_id, (numpr.ilvl.val, int(start[0])))
    assert sorted(starts.values()) == [(0, 1), (0, 3), (1, 1)]
    text = pdf_text[RICH]
    for shown in ("1. first number", "2. second number", "a. nested number", "b. nested again",
                  "3. third number", "3. starts at three", "4. then four", "• bullet one",
                  "– nested bullet"):
        assert shown in text, shown


def test_pictures_fit_the_text_width_with_alt_text(built: dict[str, bytes]) -> None:
    doc = document(built[RICH])
    section = doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    wide, tall = doc.inline_shapes
    # Never enlarged past 150 pixels an inch: a 160 x 90 px photo prints 160/150 inch wide.
    emu_per_px = 914400 // 150
    assert (wide.width, wide.height) == (160 * emu_per_px, 90 * emu_per_px) < (text_width, 1)
    assert (tall.width, tall.height) == (60 * emu_per_px, 240 * emu_per_px)
    # Each caption no wider than its picture (the rest of the line indented away).
    indents = [p.paragraph_format.right_indent for p in doc.paragraphs
               if p.style.name == "Caption"][:2]
    assert indents == [text_width - wide.width, text_width - tall.width]
    descr = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert descr == ["Two delegates shaking hands", "A tall banner"]
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == ["Wide photo caption.\nPhoto: Wide Credit", "Tall photo caption.",
                        "Linked photo caption.\nPhoto: Linked Credit",
                        "Photo note caption.\nPhoto: Note Credit"]


def test_rich_release_metadata(built: dict[str, bytes]) -> None:
    props = document(built[RICH]).core_properties
    assert props.keywords == "Migration; Health"
    assert len(props.subject) <= PROPERTY_LIMIT and props.subject.endswith("…")
    assert LONG_SUMMARY.startswith(props.subject[:-1])
    assert props.created == datetime(2024, 11, 20, 2, 0, tzinfo=UTC)
    assert props.modified == datetime(2024, 11, 21, 1, 0, tzinfo=UTC)  # the correction's time


def test_chinese_release_sets_east_asian_language_and_keeps_its_text(
        built: dict[str, bytes], pdf_text: dict[str, str]) -> None:
    styles = part(built[CHINESE], "word/styles.xml")
    assert '<w:lang w:val="zh-CN" w:eastAsia="zh-CN"/>' in styles
    assert 'w:eastAsia="Microsoft YaHei"' in styles  # the Chinese face Word users have
    assert '<w:lang w:val="en"/>' in part(built[SEED_SLUG], "word/styles.xml")
    paragraphs = styled(built[CHINESE])
    assert paragraphs[2] == ("Title", "国际移民组织举办国际移民法培训")
    assert paragraphs[3] == ("Also Available", "其他语言版本：English")
    assert paragraphs[4][1] == ("杭州，2024年11月20日——"
                                "国际移民组织今天在杭州举办培训，共有三十三名官员参加。")
    footer = document(built[CHINESE]).sections[0].footer.paragraphs[0].text
    assert footer == "第 1 页，共 1 页"
    for text in ("国际移民组织举办国际移民法培训", "培训旨在帮助学员更好地了解移民治理。", "李明"):
        assert text in pdf_text[CHINESE].replace(" ", ""), text


def test_rendering_twice_gives_identical_bytes(ctx: Context, built: dict[str, bytes]) -> None:
    assert render(view(ctx.project.release(RICH)), ctx) == built[RICH]


def test_zip_entries_have_fixed_times_and_order(built: dict[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(built[RICH])) as package:
        infos = package.infolist()
    names = [i.filename for i in infos]
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert names[2:] == sorted(names[2:])
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_the_package_holds_what_python_docx_saves_and_stores_the_pictures(
        built: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(built[RICH]))
    members = package_members(document)
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as theirs:
        assert members == {name: theirs.read(name) for name in theirs.namelist()}
    with zipfile.ZipFile(io.BytesIO(built[RICH])) as package:
        kinds = {info.filename: info.compress_type for info in package.infolist()}
    pictures = {name for name in kinds if name.startswith("word/media/")}
    assert pictures
    assert {kinds[name] for name in pictures} == {zipfile.ZIP_STORED}
    assert {kinds[name] for name in kinds.keys() - pictures} == {zipfile.ZIP_DEFLATED}


def test_cli_builds_are_byte_identical_across_folders_and_time_zones(
        tmp_path: Path, run: Run) -> None:
    outputs = []
    for name, tz in (("one", "UTC"), ("two", "America/Los_Angeles")):
        shutil.copytree(ROOT / "source", tmp_path / name / "source")
        result = run(tmp_path / name, "docx", "-q", env={"TZ": tz})
        assert result.returncode == 0, result.stderr
        outputs.append((tmp_path / name / "out" / SEED_SLUG / f"{SEED_SLUG}.docx").read_bytes())
    assert outputs[0] == outputs[1]


def test_reference_document_is_generated_by_its_script() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_reference_docx", ROOT / "scripts" / "make_reference_docx.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.build() == (ROOT / "templates" / "docx" / "reference.docx").read_bytes()


def test_reference_defines_every_style_the_writer_uses() -> None:
    reference = docx.Document(str(ROOT / "templates" / "docx" / "reference.docx"))
    defined = {s.name for s in reference.styles}  # w:style elements, not latent styles
    assert set(STYLES) <= defined
    section = reference.sections[0]
    assert (section.page_width, section.page_height) == (Twips(11906), Twips(16838))  # A4


def test_an_organisation_reference_document_overrides_the_default(
        ctx: Context, tmp_path: Path) -> None:
    letterhead = docx.Document(str(ROOT / "templates" / "docx" / "reference.docx"))
    letterhead.styles["Title"].font.size = Pt(30)
    letterhead.core_properties.category = "Letterhead"
    letterhead.add_paragraph("Sample text").add_run().add_picture(
        io.BytesIO(png(10, 10)))  # sample content the writer must clear
    (tmp_path / "docx").mkdir()
    letterhead.save(str(tmp_path / "docx" / "reference.docx"))
    data = render(view(ctx.project.release(SEED_SLUG)), Context(ctx.project, tmp_path))
    doc = document(data)
    assert doc.styles["Title"].font.size == Pt(30)
    assert doc.core_properties.category == ""
    assert "Sample text" not in [p.text for p in doc.paragraphs]
    assert not doc.inline_shapes
    assert b"media/image" not in data


def test_a_reference_without_a_needed_style_is_a_clear_error(
        ctx: Context, tmp_path: Path) -> None:
    letterhead = docx.Document(str(ROOT / "templates" / "docx" / "reference.docx"))
    style = letterhead.styles["End Mark"].element
    style.getparent().remove(style)
    (tmp_path / "docx").mkdir()
    letterhead.save(str(tmp_path / "docx" / "reference.docx"))
    with pytest.raises(BuildError, match=r"lacks the style.*End Mark"):
        render(view(ctx.project.release(SEED_SLUG)), Context(ctx.project, tmp_path))


def test_letter_paper_keeps_margins_and_moves_the_header_tab(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "source", tmp_path / "source")
    site = tmp_path / "source" / "site.yaml"
    site.write_text(site.read_text().replace("page_size: A4", "page_size: Letter"))
    ctx = Context(load_project(tmp_path / "source"), None)
    doc = document(render(view(ctx.project.release(SEED_SLUG)), ctx))
    section = doc.sections[0]
    assert (section.page_width, section.page_height) == (Twips(12240), Twips(15840))
    assert section.left_margin == section.right_margin == Twips(1418)
    (tab,) = doc.styles["Header"].paragraph_format.tab_stops
    assert tab.position == section.page_width - section.left_margin - section.right_margin


@given(st.text(alphabet=st.sampled_from("ab 中文,."), max_size=600))
def test_fit_cuts_at_a_word_boundary_with_an_ellipsis(text: str) -> None:
    result = fit(text)
    normal = " ".join(text.split())
    assert len(result) <= PROPERTY_LIMIT
    if len(normal) <= PROPERTY_LIMIT:
        assert result == normal
    else:
        assert result.endswith("…") and normal.startswith(result[:-1])
        following = normal[len(result) - 1]
        # cut before a space (or dropped punctuation), unless the long text has no spaces
        assert following in " ,;:" or " " not in normal[PROPERTY_LIMIT // 2:PROPERTY_LIMIT - 1]
