"""The six UN languages in every format, read back by independent readers: pdftotext (text and
word boxes), python-docx and the DOCX XML, LibreOffice, html5lib, feedparser, lxml + RELAX NG,
the email parser. The corpus (tests/languages_corpus.py) is built once for the module."""

from __future__ import annotations

import email
import re
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date
from email import policy
from pathlib import Path

import feedparser
import html5lib
import pytest
from babel.dates import format_date
from docx import Document
from lxml import etree

from conftest import SEED_FIRST_PARAGRAPH, libreoffice, run_cli
from languages_corpus import AR, AR_LATIN_NAME, AR_PHONE, PARAGRAPHS, SLUGS, languages_workspace
from pressexport import i18n
from samples import CHINESE_SENTENCE
from test_feeds import atom_schema

DATES = {"ar": date(2020, 7, 28), "fr": date(2025, 2, 7), "es": date(2023, 5, 12),
         "ru": date(2004, 12, 26), "zh-Hans": date(2024, 11, 20), "en": date(2017, 9, 8)}
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                       "\u2066\u2067\u2068\u2069"))
BASE = "https://newsroom.example.org/iom-china/"


@dataclass(frozen=True)
class Corpus:
    """The built workspace, and the Arabic DOCX rendered by LibreOffice."""

    root: Path
    docx_pdf: dict[str, Path]

    @property
    def out(self) -> Path:
        """out/ of the build."""
        return self.root / "out"

    def document(self, language: str, suffix: str) -> Path:
        """The release's document in `suffix` (pdf, docx, txt, eml)."""
        slug = SLUGS[language]
        return self.out / slug / f"{slug}.{suffix}"

    def page(self, language: str) -> bytes:
        """The release's web page."""
        return (self.out / SLUGS[language] / "index.html").read_bytes()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = languages_workspace(tmp_path_factory.mktemp("languages"))
    result = run_cli(root, "all", "-q", "--now", "2025-03-01T00:00Z")
    assert result.returncode == 0, result.stderr
    # One LibreOffice run converts every DOCX: the slow part, done once.
    pdfs = libreoffice([root / "out" / slug / f"{slug}.docx" for slug in SLUGS.values()], "pdf",
                       root / "docx-pdf")
    return Corpus(root, {lang: pdfs[slug] for lang, slug in SLUGS.items()})


def plain(text: str) -> str:
    """Text compared across formats: bidi controls dropped, every space (the thin no-break
    space of French typography, line breaks) one space."""
    text = unicodedata.normalize("NFC", text.translate(BIDI_CONTROLS))
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def pdf_text(path: Path) -> str:
    """pdftotext's reading, automatic hyphens (U+2010 at a line end) joined back, as are words
    with a hyphen of their own broken after it (trente-/septième)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.replace("\u2010\n", "").replace("-\n", "-")


def docx_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def html_text(data: bytes | str) -> str:
    tree = html5lib.parse(data, treebuilder="lxml", namespaceHTMLElements=False)
    return "".join(tree.getroot().itertext())


def feed_entry(corpus: Corpus, language: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((corpus.out / "atom.xml").read_bytes())
    return next(e for e in parsed.entries if e.link.endswith(f"/{SLUGS[language]}/"))


def letters(word: str) -> str:
    """A word's letters in order-free form: the PDF text layer gives Arabic ligatures (lam-alef)
    in glyph order, so Arabic words are compared as letter sets."""
    return "".join(sorted(c for c in word if unicodedata.category(c)[0] == "L"))


def texts(corpus: Corpus, language: str) -> dict[str, str]:
    """The release's text in each format, by its own reader."""
    return {
        "pdf": pdf_text(corpus.document(language, "pdf")),
        "docx": docx_text(corpus.document(language, "docx")),
        "txt": corpus.document(language, "txt").read_text(encoding="utf-8"),
        "html": html_text(corpus.page(language)),
        "feed": html_text(feed_entry(corpus, language).content[0].value),
    }


@pytest.mark.parametrize("language", ["fr", "es", "ru", "ar"])
def test_every_body_paragraph_survives_into_every_format(corpus: Corpus, language: str) -> None:
    for fmt, text in texts(corpus, language).items():
        if fmt == "pdf" and language == "ar":
            # Arabic PDF text comes in glyph order: every word is there, as letters.
            found = {letters(word) for word in plain(text).split()}
            for paragraph in PARAGRAPHS[language]:
                missing = [w for w in plain(paragraph).split() if letters(w)
                           and letters(w) not in found]
                assert not missing, (fmt, missing)
            continue
        flat = plain(text)
        if fmt == "txt":  # wrapped at 72 columns: lines joined again
            flat = plain(" ".join(text.split("\n")))
        for paragraph in PARAGRAPHS[language]:
            expected = plain(paragraph)
            if fmt == "pdf":  # pdftotext drops a word's own hyphen at a line end (Nord-/Kivu)
                expected, flat = expected.replace("-", ""), flat.replace("-", "")
            assert expected in flat, (fmt, paragraph[:40])


def test_chinese_and_english_survive_too(corpus: Corpus) -> None:
    for fmt, text in texts(corpus, "zh-Hans").items():
        assert CHINESE_SENTENCE in "".join(text.split()), fmt
    for fmt, text in texts(corpus, "en").items():
        flat = plain(" ".join(text.split("\n")))
        assert plain(SEED_FIRST_PARAGRAPH) in flat, fmt


def english_labels() -> list[str]:
    """The distinctive fixed text of each English label (its longest literal piece)."""
    out = []
    for key, text in vars(i18n.labels("en")).items():
        pieces = [p.strip(" :,") for p in re.split(r"\{\w+\}", text)]
        piece = max(pieces, key=len)
        if len(piece) >= 4 and key not in ("pdf", "docx", "list_sep", "dateline_sep"):
            out.append(piece)
    return out


@pytest.mark.parametrize("language", ["fr", "es", "ru", "ar", "zh-Hans"])
def test_no_english_label_leaks_into_another_language(corpus: Corpus, language: str) -> None:
    own = " ".join(vars(i18n.labels(language)).values())
    leaks = [label for label in english_labels() if label not in own]
    outputs = texts(corpus, language)
    message = email.message_from_bytes(corpus.document(language, "eml").read_bytes(),
                                       policy=policy.default)
    outputs["eml"] = str(message["Subject"]) + message.get_body(("plain",)).get_content()
    for fmt, text in outputs.items():
        found = [label for label in leaks if label in plain(text)]
        assert not found, (fmt, found)


@pytest.mark.parametrize("language", ["fr", "es", "ru", "ar", "zh-Hans", "en"])
def test_dates_are_babels_long_format(corpus: Corpus, language: str) -> None:
    day = DATES[language]
    pattern = "d MMMM y" if language == "en" else "long"
    expected = format_date(day, pattern, locale=language.replace("-", "_"))
    for fmt, text in texts(corpus, language).items():
        if fmt == "pdf" and language == "ar":
            continue  # glyph order; the DOCX, page, text and feed show it in logical order
        assert plain(expected) in plain(text), (fmt, expected)


def test_labels_are_the_languages_own(corpus: Corpus) -> None:
    french = texts(corpus, "fr")
    assert "POUR DIFFUSION IMMÉDIATE" in french["pdf"]
    assert "Page 1 sur 1" in plain(french["pdf"])
    assert "Tél.\u202f: +41 22 000 00 00" in french["txt"]  # thin no-break space
    assert "PARA DIFUSIÓN INMEDIATA" in texts(corpus, "es")["docx"]
    assert "ДЛЯ НЕМЕДЛЕННОГО РАСПРОСТРАНЕНИЯ" in texts(corpus, "ru")["txt"]
    assert "للنشر الفوري" in texts(corpus, "ar")["docx"]


def test_french_typography_is_applied_once_for_every_format(corpus: Corpus) -> None:
    outputs = texts(corpus, "fr")
    del outputs["pdf"]  # pdftotext reads the PDF's thin spaces as spaces
    for fmt, text in outputs.items():
        joined = " ".join(text.split("\n")) if fmt == "txt" else text
        assert "«\u202fTout cela" in joined, fmt
        assert "abus\u202f»" in joined, fmt
        assert "Congo :" not in joined.replace("\n", " "), fmt  # the space became thin
    headline = Document(str(corpus.document("fr", "docx"))).paragraphs[2].text
    assert "Congo\u202f: M. Türk" in headline


def test_chinese_dateline_dash_and_latin_runs(corpus: Corpus) -> None:
    text = corpus.document("zh-Hans", "txt").read_text(encoding="utf-8")
    assert "日内瓦，2024年11月20日——这是" in text
    page = corpus.page("zh-Hans").decode()
    assert '<span lang="en">Example Org</span>' in page
    xml = zipfile.ZipFile(corpus.document("zh-Hans", "docx")).read("word/document.xml")
    run = etree.fromstring(xml).xpath(
        "//w:r[w:t='Example Org']", namespaces={"w": W[1:-1]})[0]
    lang = run.find(f"{W}rPr/{W}lang")
    assert lang.get(f"{W}val") == "en" and lang.get(f"{W}eastAsia") == "en"


def test_arabic_page_index_and_feed_content_are_right_to_left(corpus: Corpus) -> None:
    page = html5lib.parse(corpus.page("ar"), treebuilder="lxml", namespaceHTMLElements=False)
    root = page.getroot()
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")
    name = root.xpath(f"//span[text()='{AR_LATIN_NAME}']")[0]
    assert (name.get("lang"), name.get("dir")) == ("en", "ltr")
    phone = root.xpath(f"//span[text()='{AR_PHONE}']")[0]
    assert phone.get("dir") == "ltr"
    index = html5lib.parse((corpus.out / "index.html").read_bytes(), treebuilder="lxml",
                           namespaceHTMLElements=False)
    item = index.getroot().xpath(f"//li[.//a[@href='{AR}/']]")[0]
    assert (item.get("lang"), item.get("dir")) == ("ar", "rtl")
    content = html5lib.parse(feed_entry(corpus, "ar").content[0].value, treebuilder="lxml",
                             namespaceHTMLElements=False).getroot().find("body")[0]
    assert (content.tag, content.get("lang"), content.get("dir")) == ("div", "ar", "rtl")


def lines(path: Path, page: int = 1, join: bool = True) -> list[tuple[float, float, float, str]]:
    """(xMin, xMax, yMax, text) of each printed line on `page`: the pieces pdftotext
    -bbox-layout finds (it cuts a line where the font or direction changes) joined by their
    common baseline."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page),
                            str(path), "-"], check=True, capture_output=True).stdout
    tree = etree.fromstring(xhtml)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    joined: dict[int, tuple[float, float, float, str]] = {}
    for line in tree.iterfind(".//h:line", ns):
        text = " ".join(w.text or "" for w in line.iterfind("h:word", ns))
        x_min, x_max, y = (float(line.get(k)) for k in ("xMin", "xMax", "yMax"))
        key = round(y) if join else len(joined)
        if key in joined:
            old = joined[key]
            x_min, x_max, text = min(x_min, old[0]), max(x_max, old[1]), old[3] + " " + text
        joined[key] = (x_min, x_max, y, text)
    return sorted(joined.values(), key=lambda line: line[2])


def words(path: Path) -> list[tuple[float, float, str]]:
    """(xMin, yMin, text) of every word on page 1."""
    xhtml = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
                           check=True, capture_output=True).stdout
    tree = etree.fromstring(xhtml)
    return [(float(w.get("xMin")), float(w.get("yMin")), w.text or "")
            for w in tree.iter("{http://www.w3.org/1999/xhtml}word")]


def test_arabic_pdf_is_set_right_to_left(corpus: Corpus) -> None:
    found = lines(corpus.document("ar", "pdf"))
    body = [line for line in found if len(line[3]) > 30 and line[2] < 380]
    assert len(body) >= 4
    rights = {round(x_max) for _, x_max, _, _ in body}
    lefts = {round(x_min) for x_min, _, _, _ in body}
    assert max(rights) - min(rights) <= 45  # lines end at the right margin (list, quote in)
    assert max(lefts) - min(lefts) > 40  # and start wherever they run out
    english = [line for line in lines(corpus.document("en", "pdf")) if len(line[3]) > 30]
    assert max(x for _, x, _, _ in english) - min(x for _, x, _, _ in english) > 40
    # The page number is centred: the same either way.
    footer = [line for line in found if line[2] > 780]
    assert footer and all(abs((x0 + x1) / 2 - 297.6) < 5 for x0, x1, _, _ in footer), footer


def test_arabic_running_header_is_mirrored(corpus: Corpus, tmp_path: Path) -> None:
    """From page two on, the organisation heads the page on the right, the status on the left
    (the Arabic release is one page: an override of print.css breaks it before the end mark)."""
    from pressexport import templates
    from pressexport.load import load_project
    from pressexport.view import view
    from pressexport.writers import Context
    from pressexport.writers.pdf import render_pdf

    override = tmp_path / "templates" / "html"
    override.mkdir(parents=True)
    default = templates.find(None, "html/print.css").read_text(encoding="utf-8")
    (override / "print.css").write_text(default + "\n.end-mark { break-before: page; }\n",
                                        encoding="utf-8")
    project = load_project(corpus.root / "source")
    ctx = Context(project, tmp_path / "templates")
    pdf = tmp_path / "ar.pdf"
    pdf.write_bytes(render_pdf(view(project.release(AR)), ctx))
    header = [line for line in lines(pdf, page=2, join=False) if line[2] < 60]

    def line_of(word: str) -> tuple[float, float, float, str]:
        return next(line for line in header
                    if letters(word) in {letters(w) for w in line[3].split()})

    organization, status = line_of("المتحدة"), line_of("الفوري")  # glyph order: as letters
    assert organization[1] > 500 and status[0] < 100, header


@pytest.mark.parametrize("source", ["pdf", "docx"])
def test_latin_runs_and_numbers_in_arabic_keep_their_order(corpus: Corpus, source: str) -> None:
    path = corpus.document("ar", "pdf") if source == "pdf" else corpus.docx_pdf["ar"]
    found = words(path)

    def x(text: str) -> float:
        return next(x for x, _, word in found
                    if word.translate(BIDI_CONTROLS).lstrip("+") == text)

    assert x("Samir") < x("Ghattas")
    groups = AR_PHONE.lstrip("+").split()
    positions = [x(group) for group in groups]
    assert positions == sorted(positions), list(zip(groups, positions, strict=True))


def test_arabic_docx_is_right_to_left_by_its_own_structure(corpus: Corpus) -> None:
    package = zipfile.ZipFile(corpus.document("ar", "docx"))
    body = etree.fromstring(package.read("word/document.xml"))
    ns = {"w": W[1:-1]}
    paragraphs = body.xpath("//w:body/w:p", namespaces=ns)
    assert all(p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs)
    assert body.xpath("//w:sectPr/w:bidi", namespaces=ns)
    for run in body.xpath("//w:r[w:t]", namespaces=ns):
        text = "".join(run.xpath("w:t/text()", namespaces=ns))
        arabic = any("\u0600" <= c <= "\u06ff" for c in text)
        assert (run.find(f"{W}rPr/{W}rtl") is not None) == arabic, text
    name = body.xpath(f"//w:r[w:t='{AR_LATIN_NAME}']", namespaces=ns)[0]
    assert name.find(f"{W}rPr/{W}lang").get(f"{W}val") == "en"
    styles = package.read("word/styles.xml").decode()
    assert 'w:cs="Noto Sans Arabic"' in styles
    assert 'w:bidi="ar"' in styles
    header = next(n for n in package.namelist() if n.startswith("word/header"))
    assert b"<w:bidi/>" in package.read(header)


def test_arabic_mail_html_keeps_its_direction_and_face(corpus: Corpus) -> None:
    message = email.message_from_bytes(corpus.document("ar", "eml").read_bytes(),
                                       policy=policy.default)
    html = html5lib.parse(message.get_body(("html",)).get_content(), treebuilder="lxml",
                          namespaceHTMLElements=False).getroot()
    style = html.get("style")  # the CSS inlined for mail clients
    assert html.get("dir") == "rtl" and "direction: rtl" in style
    assert "Noto Sans Arabic" in style and "Arial" in style


def test_arabic_text_and_message(corpus: Corpus) -> None:
    text = corpus.document("ar", "txt").read_text(encoding="utf-8")
    assert AR_PHONE in text  # logical order, no control characters
    assert not set(text) & {chr(c) for c in BIDI_CONTROLS}
    message = email.message_from_bytes(corpus.document("ar", "eml").read_bytes(),
                                       policy=policy.default)
    assert message["Content-Language"] == "ar"


@pytest.mark.parametrize("language", sorted(SLUGS))
def test_each_language_has_its_own_newsroom(corpus: Corpus, language: str) -> None:
    folder = corpus.out / "languages" / language.lower()
    atom = etree.parse(str(folder / "atom.xml")).getroot()
    assert atom.get(XML_LANG) == language
    assert atom_schema().validate(atom), atom_schema().error_log
    entries = atom.findall(f"{ATOM}entry")
    assert [e.get(XML_LANG) for e in entries] == [language]
    title = atom.findtext(f"{ATOM}title")
    assert title.endswith(i18n.native_name(language))
    rss = feedparser.parse((folder / "rss.xml").read_bytes())
    assert not rss.bozo and rss.feed.language == language
    assert [e.link for e in rss.entries] == [f"{BASE}{SLUGS[language]}/"]
    index = html5lib.parse((folder / "index.html").read_bytes(), treebuilder="lxml",
                           namespaceHTMLElements=False).getroot()
    assert index.get("lang") == language
    assert index.get("dir") == ("rtl" if language == "ar" else "ltr")
    feeds = index.xpath("//link[@rel='alternate'][@type='application/atom+xml']/@href")
    assert feeds[:2] == [f"../../languages/{language.lower()}/atom.xml", "../../atom.xml"]
    hrefs = index.xpath("//ol[@class='releases']//h2/a/@href")
    assert hrefs == [f"../../{SLUGS[language]}/"]
    # The release page advertises its language's feeds.
    page = html5lib.parse(corpus.page(language), treebuilder="lxml",
                          namespaceHTMLElements=False).getroot()
    advertised = page.xpath("//link[@type='application/atom+xml']/@href")
    assert advertised[0] == f"{BASE}languages/{language.lower()}/atom.xml"


def test_the_site_index_names_every_language_in_its_own_language(corpus: Corpus) -> None:
    index = html5lib.parse((corpus.out / "index.html").read_bytes(), treebuilder="lxml",
                           namespaceHTMLElements=False).getroot()
    names = index.xpath("//nav[@class='languages']/a/text()")
    assert sorted(names) == sorted(["العربية", "English", "Español", "Français", "Русский",
                                    "中文"])


def test_site_text_is_in_the_releases_language(corpus: Corpus) -> None:
    assert "Organisation des Nations Unies (ONU)" in plain(texts(corpus, "fr")["pdf"])
    assert "Организация Объединенных Наций (ООН)" in plain(texts(corpus, "ru")["html"])
    assert "联合国" in texts(corpus, "zh-Hans")["docx"]
    assert "(UN)" not in plain(texts(corpus, "ar")["html"])


def test_each_script_is_set_in_its_own_face(corpus: Corpus) -> None:
    def fonts(language: str) -> str:
        return subprocess.run(["pdffonts", str(corpus.document(language, "pdf"))], check=True,
                              capture_output=True, text=True).stdout

    assert "Noto-Sans-Arabic" in fonts("ar")
    assert "CJK" not in fonts("ru") and "Carlito" in fonts("ru")
    chinese = fonts("zh-Hans")
    assert "Noto-Sans-CJK-SC" in chinese
    assert "Carlito" in chinese  # the Latin run "Example Org", in the house face


def test_latin_page_has_no_language_marks(corpus: Corpus) -> None:
    page = corpus.page("fr").decode()
    assert "<span lang=" not in page[page.index("<main>"):]


def test_the_arabic_docx_imports_back_its_phone_number_without_isolates(corpus: Corpus) -> None:
    target = corpus.root / "source" / "releases" / "ar-imported.yaml"
    try:
        result = run_cli(corpus.root, "import", str(corpus.document("ar", "docx")),
                         "--slug", "ar-imported")
        assert result.returncode == 0, result.stderr
        assert f"phone: {AR_PHONE}\n" in target.read_text(encoding="utf-8")
    finally:
        target.unlink(missing_ok=True)
