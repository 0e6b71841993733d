"""The seed and the test corpus (tests/samples.py), built once, read back by independent readers:
SpamAssassin for the messages, poppler for the PDF and for the DOCX through LibreOffice,
python-docx, feedparser, lxml. What a press office would check before sending."""

from __future__ import annotations

import io
import mailbox
import re
import shutil
import subprocess
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from xml.etree import ElementTree

import docx
import feedparser
import pytest
from lxml import html as lxml_html
from PIL import Image
from pypdf import PdfReader

from conftest import SEED_SLUG, built_sample, libreoffice, run_cli
from pressexport.load import load_project
from pressexport.view import ReleaseView, view
from samples import (
    CORPUS_NOW,
    EMBARGOED_SLUG,
    EMOJI,
    EMOJI_SLUG,
    GERMAN_SLUG,
    GERMAN_WORD,
    LARGE_PHOTO,
    LONG_SLUG,
    PHOTO_FR_SLUG,
    PHOTO_SLUG,
    SMALL_PHOTO,
    corpus_workspace,
    flat,
)

BASE = "https://newsroom.example.org/"
PT_PER_MM = 72 / 25.4
#: The text block's side margins (html/print.css, the reference DOCX): 25 mm.
SIDE_MARGIN = 25 * PT_PER_MM
#: A picture printed at its pixels gets PRINT_PPI; a rounding of pdfimages' or ours may take 1.
MIN_PPI = 149


@dataclass(frozen=True)
class Built:
    """The documents of every release, wherever the build put them (out/ or embargoed/)."""

    folders: dict[str, Path]  # slug -> the folder holding its documents
    views: dict[str, ReleaseView]  # slug -> what its documents show, worded (for labels)

    def file(self, slug: str, suffix: str) -> Path:
        return self.folders[slug] / f"{slug}.{suffix}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The seed under its own site.yaml, and the corpus at CORPUS_NOW (one release embargoed)."""
    seed = built_sample(tmp_path_factory.mktemp("seed"), "all")
    corpus = corpus_workspace(tmp_path_factory.mktemp("corpus"))
    result = run_cli(corpus, "all", "-q", "--now", CORPUS_NOW)
    assert result.returncode == 0, result.stderr
    folders = {SEED_SLUG: seed / "out" / SEED_SLUG}
    for tree in ("out", "embargoed"):
        folders |= {p.parent.name: p.parent for p in (corpus / tree).glob("*/*.docx")}
    assert EMBARGOED_SLUG in folders and folders[EMBARGOED_SLUG].parent.name == "embargoed"
    assert len(folders) == 10
    projects = [load_project(seed / "source"), load_project(corpus / "source")]
    views = {r.slug: view(r) for project in projects for r in project.releases}
    return Built(folders, views)


@pytest.fixture(scope="module")
def word_pdfs(built: Built, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every DOCX as LibreOffice prints it: one soffice run for all of them."""
    return libreoffice([built.file(slug, "docx") for slug in built.folders], "pdf",
                       tmp_path_factory.mktemp("libreoffice"))


@dataclass(frozen=True)
class Line:
    """A line of text as pdftotext -bbox-layout places it (points, from the top left)."""

    text: str
    x_min: float
    x_max: float
    y_min: float
    y_max: float
    word_heights: tuple[float, ...]


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    lines: tuple[Line, ...]

    def body(self) -> list[Line]:
        """The lines between the running header and the footer (20 mm and 25 mm margins)."""
        return [line for line in self.lines
                if line.y_min > 18 * PT_PER_MM and line.y_max < self.height - 22 * PT_PER_MM]


def pages(pdf: Path) -> list[Page]:
    """Every page's lines, read by pdftotext -bbox-layout."""
    # Replaced, not strict: poppler writes the <title> of a title with an emoji (LibreOffice's
    # metadata) as CESU-8 surrogates; the page text is proper UTF-8.
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"],
                         check=True, capture_output=True).stdout.decode("utf-8", "replace")
    root = ElementTree.fromstring(re.sub(r'\sxmlns="[^"]+"', "", xml, count=1))
    found = []
    for page in root.iter("page"):
        lines = []
        for line in page.iter("line"):
            words = list(line.iter("word"))
            lines.append(Line(" ".join(w.text or "" for w in words), float(line.get("xMin")),
                              float(line.get("xMax")), float(line.get("yMin")),
                              float(line.get("yMax")),
                              tuple(float(w.get("yMax")) - float(w.get("yMin")) for w in words)))
        lines.sort(key=lambda line: (round(line.y_min), line.x_min))
        found.append(Page(float(page.get("width")), float(page.get("height")), tuple(lines)))
    return found


def page_count(pdf: Path) -> int:
    """pdfinfo's page count."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)$", info, re.M)
    assert match, info
    return int(match.group(1))


def parse(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


# -- mail that arrives ----------------------------------------------------------------------------

def test_spamassassin_scores_every_message_under_one_point(built: Built, tmp_path: Path) -> None:
    """SpamAssassin 4 with its shipped rules, local tests only, one run over an mbox of all."""
    if not shutil.which("spamassassin"):
        pytest.fail("SpamAssassin (Debian spamassassin) is required")
    messages = {slug: built.file(slug, "eml").read_bytes() for slug in built.folders}
    # The case TO_NO_BRKTS_PCNT was made for: a percentage, and no bracketed To address.
    long = parse(built.file(LONG_SLUG, "eml"))
    assert long["To"] == "undisclosed-recipients:;"
    plain = long.get_body(preferencelist=("plain",))
    assert plain is not None and re.search(r"\d\s?%", plain.get_content())
    box = tmp_path / "all.mbox"
    with box.open("wb") as out:
        for data in messages.values():
            assert b"\nFrom " not in data  # nothing for mbox to quote
            out.write(b"From press@newsroom.example.org Thu Jan  1 00:00:00 1970\n" + data +
                      b"\n")
    result = subprocess.run(["spamassassin", "-L", "-t", "--mbox"], stdin=box.open("rb"),
                            capture_output=True, timeout=600,
                            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    (tmp_path / "scored.mbox").write_bytes(result.stdout)
    scores = {}
    for scored in mailbox.mbox(tmp_path / "scored.mbox"):
        status = re.sub(r",\s+", ",", " ".join(str(scored["X-Spam-Status"]).split()))
        match = re.search(r"score=(-?[\d.]+) .*tests=(\S*)", status)
        assert match, status
        scores[str(scored["Message-ID"])] = (float(match.group(1)), match.group(2).split(","))
    for slug in messages:
        score, rules = scores[str(parse(built.file(slug, "eml"))["Message-ID"])]
        assert score < 1, (slug, score, rules)
        assert "TO_NO_BRKTS_PCNT" not in rules and not any(
            rule.startswith(("HTML_IMAGE_ONLY", "FONT_INVIS", "WORD_INVIS")) for rule in rules)


# -- pages a typographer would sign ------------------------------------------------------------

def test_pdf_and_docx_have_the_same_page_count(built: Built, word_pdfs: dict[str, Path]) -> None:
    counts = {slug: (page_count(built.file(slug, "pdf")), page_count(word_pdfs[slug]))
              for slug in built.folders}
    assert all(pdf == word for pdf, word in counts.values()), counts
    assert counts[LONG_SLUG][0] >= 3  # the long release runs over: the keeping is tested


def test_no_last_page_holds_only_the_back_matter(built: Built,
                                                 word_pdfs: dict[str, Path]) -> None:
    """The end mark, notes, contacts and About keep with the text before them: the page that
    ends a release has some of the release's text above its end mark."""
    for slug in built.folders:
        mark = built.views[slug].end_mark
        for pdf in (built.file(slug, "pdf"), word_pdfs[slug]):
            last = [line.text for line in pages(pdf)[-1].body()]
            assert mark in last and last.index(mark) > 0, (pdf, last)


def test_embargo_notice_is_the_first_line_at_least_body_size(
        built: Built, word_pdfs: dict[str, Path]) -> None:
    notice = ("EMBARGOED UNTIL 10:00 Central European Standard Time (09:00 UTC), "
              "3 December 2024")
    for pdf in (built.file(EMBARGOED_SLUG, "pdf"), word_pdfs[EMBARGOED_SLUG]):
        first = pages(pdf)[0]
        assert first.lines[0].text == notice, (pdf, first.lines[0])
        body = next(line for line in first.lines if line.text.startswith("Geneva, 30 November"))
        assert min(first.lines[0].word_heights) >= max(body.word_heights) - 0.05, pdf
        assert "Bold" in first_font(pdf), pdf


def first_font(pdf: Path) -> str:
    """The name of the font pypdf finds the first text of page one set in."""
    fonts: list[str] = []

    def visit(text: str, cm: object, tm: object, font: dict | None, size: float) -> None:
        if text.strip() and font is not None:
            fonts.append(str(font.get("/BaseFont")))

    PdfReader(pdf).pages[0].extract_text(visitor_text=visit)
    return fonts[0]


def test_pictures_never_print_below_150_ppi(built: Built) -> None:
    """pdfimages' resolution of every picture in the PDF; the DOCX's extent against the pixels
    of the image it shows."""
    for slug in built.folders:
        listing = subprocess.run(["pdfimages", "-list", str(built.file(slug, "pdf"))],
                                 check=True, capture_output=True, text=True).stdout
        for row in listing.splitlines()[2:]:
            columns = row.split()
            if columns[2] == "smask":
                continue  # the alpha channel of the picture on the line before
            assert min(int(columns[12]), int(columns[13])) >= MIN_PPI, (slug, row)
    for slug in built.folders:
        document = docx.Document(str(built.file(slug, "docx")))
        for shape in document.inline_shapes:
            rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
            pixels = Image.open(io.BytesIO(document.part.related_parts[rid].blob)).size
            inches = (shape.width / 914400, shape.height / 914400)
            assert min(p / i for p, i in zip(pixels, inches, strict=True)) >= MIN_PPI, slug
    # The small photo is not blown up: at 150 ppi, 320 px is 5.4 cm, in both documents.
    small = docx.Document(str(built.file(PHOTO_SLUG, "docx"))).inline_shapes
    widths = sorted(round(shape.width / 914400 * 2.54, 1) for shape in small)
    assert round(SMALL_PHOTO[1][0] / 150 * 2.54, 1) in widths
    assert LARGE_PHOTO[1][0] / 150 * 2.54 > 16 >= max(widths)  # the large one: the text width


def test_a_word_longer_than_the_line_breaks_inside_the_page(
        built: Built, word_pdfs: dict[str, Path]) -> None:
    for pdf in (built.file(GERMAN_SLUG, "pdf"), word_pdfs[GERMAN_SLUG]):
        page = pages(pdf)[0]
        joined = "".join(line.text for line in page.lines).replace(" ", "")
        assert joined.count(GERMAN_WORD) == 2, pdf  # the headline and the body, every letter
        for line in page.lines:
            assert line.x_min >= SIDE_MARGIN - 1 and line.x_max <= page.width - SIDE_MARGIN + 1, \
                (pdf, line)


def test_the_emoji_release_builds_in_every_format(built: Built,
                                                  word_pdfs: dict[str, Path]) -> None:
    folder = built.folders[EMOJI_SLUG]
    assert EMOJI in built.file(EMOJI_SLUG, "txt").read_text(encoding="utf-8")
    document = docx.Document(str(built.file(EMOJI_SLUG, "docx")))
    assert all(EMOJI in p.text for p in document.paragraphs[:4] if p.style.name == "Title")
    assert EMOJI in "".join(p.text for p in document.paragraphs if p.style.name == "Normal")
    for pdf in (built.file(EMOJI_SLUG, "pdf"), word_pdfs[EMOJI_SLUG]):
        assert EMOJI in "".join(line.text for page in pages(pdf) for line in page.lines)
    page = lxml_html.document_fromstring((folder / "index.html").read_bytes())
    assert EMOJI in page.find(".//h1").text_content()
    message = parse(built.file(EMOJI_SLUG, "eml"))
    assert EMOJI in str(message["Subject"])
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        assert part is not None and EMOJI in part.get_content()
    feed = feedparser.parse((folder.parent / "atom.xml").read_bytes())
    assert any(EMOJI in entry.title for entry in feed.entries)
    assert not feed.bozo


# -- links ----------------------------------------------------------------------------------------

TRANSLATIONS = {PHOTO_SLUG: f"{BASE}{PHOTO_FR_SLUG}/", PHOTO_FR_SLUG: f"{BASE}{PHOTO_SLUG}/"}


def test_also_available_is_a_link_in_every_format(built: Built) -> None:
    for slug, url in TRANSLATIONS.items():
        also = built.views[slug].also_available  # "Also available in Français", worded
        assert also is not None
        # Text, and so the mail's text part: a numbered reference listed under the text.
        text = built.file(slug, "txt").read_text(encoding="utf-8")
        plain = parse(built.file(slug, "eml")).get_body(preferencelist=("plain",))
        assert plain is not None
        for version in (text, plain.get_content()):
            line = next(x for x in version.splitlines() if x.startswith(also))
            number = re.fullmatch(re.escape(also) + r" \[(\d+)\]", line.rstrip())
            assert number, (slug, line)
            assert f"[{number.group(1)}] {url}" in flat(version), slug
        # The page and the mail's HTML part: a link with hreflang.
        html_part = parse(built.file(slug, "eml")).get_body(preferencelist=("html",))
        assert html_part is not None
        for page in (lxml_html.document_fromstring(
                (built.folders[slug] / "index.html").read_bytes()),
                lxml_html.document_fromstring(html_part.get_content())):
            links = page.find_class("also-available")[0].iter("a")
            assert [a.get("href") for a in links] == [url], slug
        # The PDF: a link annotation, and the URL printed in its list of links.
        reader = PdfReader(built.file(slug, "pdf"))
        uris = {a.get_object()["/A"].get("/URI") for p in reader.pages
                for a in p.get("/Annots", []) if a.get_object()["/Subtype"] == "/Link"}
        assert url in uris, slug
        printed_text = "".join(p.extract_text() for p in reader.pages).replace(" ", "")
        assert f"({url})" in printed_text.replace("\n", ""), slug  # where it is named
        # The DOCX: a hyperlink in the "Also Available" paragraph.
        document = docx.Document(str(built.file(slug, "docx")))
        paragraph = next(p for p in document.paragraphs if p.style.name == "Also Available")
        assert [link.address for link in paragraph.hyperlinks] == [url], slug


def test_the_page_links_its_documents_pictures_and_the_index(built: Built) -> None:
    folder = built.folders[PHOTO_SLUG]
    page = lxml_html.document_fromstring((folder / "index.html").read_bytes())
    links = {a.get("href"): " ".join(a.text_content().split()) for a in page.iter("a")}
    for suffix in ("pdf", "docx"):
        size = built.file(PHOTO_SLUG, suffix).stat().st_size
        label = links[f"{PHOTO_SLUG}.{suffix}"]
        kb = re.fullmatch(r"(?:PDF|Word \(DOCX\)), (\d+) kB", label)
        assert kb and abs(int(kb.group(1)) - size / 1000) <= 1, (label, size)
    for name, _ in (LARGE_PHOTO, SMALL_PHOTO):
        href = f"media/{name}"
        assert links[href] == "Full resolution"
        assert (folder / href).read_bytes() == (
            folder.parents[1] / "source" / "media" / name).read_bytes()
    assert links[BASE] == "All press releases"


def test_the_mail_shows_the_logo_and_photos_from_the_newsroom(built: Built) -> None:
    """Journalists' clients load the pictures from the web copies, by absolute URL; an
    embargoed release's copies (its logo's too) are not online yet, so its mail shows none."""
    expected = {PHOTO_SLUG: ["logo.png", LARGE_PHOTO[0], SMALL_PHOTO[0]], EMBARGOED_SLUG: []}
    for slug, names in expected.items():
        html_part = parse(built.file(slug, "eml")).get_body(preferencelist=("html",))
        assert html_part is not None
        page = lxml_html.document_fromstring(html_part.get_content())
        assert [img.get("src") for img in page.iter("img")] == [
            f"{BASE}{slug}/media/{name}" for name in names], slug
