"""The PDF, read back with independent readers: poppler (pdftotext, pdffonts) and pypdf."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import (
    ROOT,
    SEED_FACTS,
    SEED_FIRST_PARAGRAPH,
    SEED_HEADLINE,
    SEED_SLUG,
    built_sample,
    run_cli,
    tree_bytes,
    write_release,
)
from samples import (
    CHINESE_HEADLINE,
    CHINESE_SENTENCE,
    CHINESE_SLUG,
    KITCHEN_SLUG,
    MARKUP_HEADLINE,
    flat,
    in_order,
    layout_workspace,
    seed_parts_in_spec_order,
)

NOW = ("--now", "2024-12-01T00:00")


def pdf_path(workspace: Path, slug: str) -> Path:
    return workspace / "out" / slug / f"{slug}.pdf"


def pdf_text(path: Path) -> str:
    """pdftotext's reading, with automatic hyphens (U+2010 at a line end) joined back."""
    # -raw: content-stream order; the default joins a line ending in "-" (the -ENDS- mark)
    # to the next as if it were hyphenated.
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.replace("\u2010\n", "")


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed built once through the CLI (`pressexport pdf`), in an A4 workspace."""
    return pdf_path(built_sample(tmp_path_factory.mktemp("seed"), "pdf"), SEED_SLUG)


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sample releases (every construct, Chinese), a photo and a logo, Letter paper, built once."""
    folder = layout_workspace(tmp_path_factory.mktemp("layout"), page_size="Letter")
    result = run_cli(folder, "pdf", "-q", *NOW)
    assert result.returncode == 0, result.stderr
    return folder


def test_seed_text_shows_every_fact_in_spec_order(seed: Path) -> None:
    text = flat(pdf_text(seed))
    for fact in SEED_FACTS:
        assert flat(fact) in text, fact
    in_order(text, seed_parts_in_spec_order(SEED_FACTS))
    assert "Email" not in text  # the seed's contact has no address: no empty label


def test_seed_page_footer_and_size(seed: Path) -> None:
    reader = PdfReader(seed)
    assert "Page 1 of 1" in flat(pdf_text(seed))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4


def test_letter_paper_and_page_numbers_across_pages(layout: Path) -> None:
    path = pdf_path(layout, KITCHEN_SLUG)
    reader = PdfReader(path)
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)
    pages = [flat(page) for page in pdf_text(path).split("\f") if page.strip()]
    for n, page in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in page
        # An embargo shows on every page.
        assert "EMBARGOED UNTIL 10:00 China Standard Time (02:00 UTC), 20 November 2024" in page


def test_metadata(seed: Path, layout: Path) -> None:
    meta = PdfReader(seed).metadata
    assert meta is not None
    assert meta.title == flat(SEED_HEADLINE)
    assert meta.author == "International Organization for Migration"
    assert meta.subject == flat(SEED_FIRST_PARAGRAPH)  # the default summary: the first paragraph
    assert meta["/Keywords"] == "Capacity Building"
    release_date = datetime(2017, 9, 8, tzinfo=timezone(timedelta(hours=8)))
    assert meta.creation_date == release_date
    assert meta.modification_date == release_date
    reader = PdfReader(pdf_path(layout, KITCHEN_SLUG))
    assert reader.metadata is not None
    assert reader.metadata.title == MARKUP_HEADLINE
    assert reader.metadata["/Keywords"] == "Capacity Building; Migration, Law"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_tagged_pdf_a3a(seed: Path) -> None:
    reader = PdfReader(seed)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r'pdfaid:part="3"', xmp) and re.search(r'pdfaid:conformance="A"', xmp)


def structure(node: object) -> list[tuple[str, str | None]]:
    """The structure tree's elements in order: (type, alternate text)."""
    node = node.get_object()  # type: ignore[attr-defined]
    if not isinstance(node, dict):
        return []
    found = [(str(node["/S"]), node.get("/Alt"))] if "/S" in node else []
    kids = node.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        found += structure(kid)
    return found


def test_images_tagged_with_alternate_text(layout: Path) -> None:
    root = PdfReader(pdf_path(layout, KITCHEN_SLUG)).trailer["/Root"]
    elements = structure(root["/StructTreeRoot"])
    assert ("/Figure", "International Organization for Migration") in elements  # the logo
    assert ("/Figure", "Participants sitting around a table") in elements
    kinds = [kind for kind, _ in elements]
    assert kinds.count("/H1") == 1 and "/H2" in kinds and "/Link" in kinds


def test_source_yaml_attached(seed: Path, layout: Path) -> None:
    for path, slug in ((seed, SEED_SLUG), (pdf_path(layout, KITCHEN_SLUG), KITCHEN_SLUG)):
        reader = PdfReader(path)
        source = path.parents[2] / "source" / "releases" / f"{slug}.yaml"
        (attached,) = reader.attachments[f"{slug}.yaml"]
        # Written afresh from the validated model: the same data, none of the source's comments.
        assert yaml.safe_load(attached)["headline"] == yaml.safe_load(source.read_bytes())[
            "headline"]
        assert b"IOM press release from its China office" not in attached  # a seed comment
        # Named once in the catalog's /AF (PDF/A-3 associated files), dated by the release.
        assert len(reader.trailer["/Root"]["/AF"]) == 1


def test_fonts_embedded(seed: Path, layout: Path) -> None:
    for path in (seed, pdf_path(layout, CHINESE_SLUG)):
        listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                                 text=True).stdout.splitlines()[2:]
        assert listing
        for line in listing:
            # columns: name type encoding emb sub uni object ID
            assert line.split()[-5] == "yes", line


def test_links_are_annotations(layout: Path) -> None:
    uris = {annot.get_object()["/A"]["/URI"]
            for page in PdfReader(pdf_path(layout, KITCHEN_SLUG)).pages
            for annot in page.get("/Annots", [])
            if annot.get_object()["/Subtype"] == "/Link"}
    assert {"https://example.org/a", "https://example.org/b", "https://example.org/c",
            "https://example.org/notes",
            "https://example.org/video", "mailto:jane.doe@example.org",
            f"https://newsroom.example.org/iom-china/{CHINESE_SLUG}/"} <= uris


def test_markup_characters_intact_in_text(layout: Path) -> None:
    assert MARKUP_HEADLINE in flat(pdf_text(pdf_path(layout, KITCHEN_SLUG)))


def test_chinese_release_renders(layout: Path) -> None:
    path = pdf_path(layout, CHINESE_SLUG)
    text = flat(pdf_text(path))
    assert CHINESE_HEADLINE in text
    assert CHINESE_SENTENCE in text.replace(" ", "")
    assert "第 1 页，共 1 页" in text
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                           text=True).stdout
    assert "CJK" in fonts


def test_identical_input_gives_identical_bytes(layout: Path, tmp_path: Path) -> None:
    # Another folder, time zone and hash seed, a later clock: the same bytes.
    again = layout_workspace(tmp_path / "elsewhere", page_size="Letter")
    env = {"TZ": "America/New_York", "PYTHONHASHSEED": "12345"}
    result = run_cli(again, "pdf", "-q", "-j", "1", "--now", "2030-01-01T00:00", env=env)
    assert result.returncode == 0, result.stderr
    for slug in (SEED_SLUG, KITCHEN_SLUG, CHINESE_SLUG):
        assert pdf_path(again, slug).read_bytes() == pdf_path(layout, slug).read_bytes(), slug


REFUSED = {
    "http": "http://127.0.0.1:9/logo.png",
    "https": "https://example.org/logo.png",
    "file elsewhere": "file:///etc/hostname",
    "ftp": "ftp://example.org/logo.png",
    "../ escape": "../../../../../../etc/hostname",
    "big data: URI": "data:image/png;base64," + "A" * 40_000,
}


@pytest.mark.parametrize("kind", REFUSED)
def test_refused_url_in_a_template_fails_the_build(kind: str, workspace: Path) -> None:
    url = REFUSED[kind]
    override = workspace / "mytemplates" / "html"
    override.mkdir(parents=True)
    (override / "release.html.j2").write_text(
        '{% extends "default/html/release.html.j2" %}\n'
        f'{{% block body %}}<img src="{url}" alt="">{{{{ super() }}}}{{% endblock %}}\n',
        encoding="utf-8")
    result = run_cli(workspace, "pdf", "--templates", "mytemplates")
    assert result.returncode == 2, result.stderr
    assert f"releases/{SEED_SLUG}.yaml:1:1: PDF: refused to read '" in result.stderr
    shown = url if not url.startswith("../") else "file:///etc/hostname"
    assert shown[:60] in result.stderr
    assert not (workspace / "out" / SEED_SLUG / f"{SEED_SLUG}.pdf").exists()


def test_input_error_found_while_rendering_leaves_out_as_it_was(workspace: Path) -> None:
    assert run_cli(workspace, "all", "-q").returncode == 0
    before = tree_bytes(workspace / "out")
    override = workspace / "mytemplates" / "html"
    override.mkdir(parents=True)
    (override / "print.css").write_text('@import url("https://example.org/x.css");\n',
                                        encoding="utf-8")
    seed = workspace / "source" / "releases" / f"{SEED_SLUG}.yaml"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Liu Liu.", "Liu Liu (changed)."),
                    encoding="utf-8")
    result = run_cli(workspace, "all", "--templates", "mytemplates")
    assert result.returncode == 2
    assert tree_bytes(workspace / "out") == before  # not even the text or DOCX were written


def test_refused_import_in_a_stylesheet_fails_the_build(workspace: Path) -> None:
    override = workspace / "mytemplates" / "html"
    override.mkdir(parents=True)
    (override / "print.css").write_text('@import url("https://example.org/x.css");\n',
                                        encoding="utf-8")
    result = run_cli(workspace, "pdf", "--templates", "mytemplates")
    assert result.returncode == 2
    assert "refused to read 'https://example.org/x.css'" in result.stderr


def test_unreadable_image_fails_the_build_instead_of_leaving_a_hole(workspace: Path) -> None:
    (workspace / "source" / "media").mkdir(exist_ok=True)
    (workspace / "source" / "media" / "photo.jpg").write_bytes(b"HEIC, not JPEG")
    seed = workspace / "source" / "releases" / f"{SEED_SLUG}.yaml"
    credit = "    credit: IOM 2017\n"
    write_release(workspace, SEED_SLUG, seed.read_text(encoding="utf-8").replace(
        credit, credit + "    file: photo.jpg\n    alt: Delegates\n"))
    for command in ("validate", "pdf"):  # found before any rendering, located in the YAML
        result = run_cli(workspace, command)
        assert result.returncode == 2
        assert f"{SEED_SLUG}.yaml:26:11: media[0].file: 'photo.jpg' is not a readable image" \
            in result.stderr, result.stderr
    assert not pdf_path(workspace, SEED_SLUG).exists()


def test_character_without_font_names_it_and_the_package(workspace: Path) -> None:
    char = _uncovered_character()
    text = (workspace / "source" / "releases" / f"{SEED_SLUG}.yaml").read_text(encoding="utf-8")
    write_release(workspace, SEED_SLUG, text.replace("dateline: Hangzhou",
                                                     f"dateline: Hangzhou {char}"))
    before = tree_bytes(workspace / "out")
    result = run_cli(workspace, "pdf")
    assert result.returncode == 1
    assert f"U+{ord(char):04X}" in result.stderr
    assert "apt-get install fonts-noto-color-emoji" in result.stderr
    assert tree_bytes(workspace / "out") == before  # no PDF with empty boxes


def _uncovered_character(candidates: tuple[str, ...] = ("\U0001f9ff", "\U0001fae8",
                                                        "\U0001fa7b")) -> str:
    """An emoji (or another of `candidates`) that no installed font has (fontconfig's own
    answer)."""
    for char in candidates:
        covering = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"],
                                  capture_output=True, text=True).stdout
        if not covering.strip():
            return char
    pytest.skip("every candidate emoji has an installed font here")


# The fetcher, on its own.


@pytest.fixture
def fetcher(tmp_path: Path):
    from pressexport.fetch import LocalFetcher

    (tmp_path / "media" / "photos").mkdir(parents=True)
    (tmp_path / "media" / "photos" / "a b.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "media" / "link.txt").symlink_to(tmp_path / "secret.txt")
    for name, text in (("user", "user"), ("default", "default")):
        (tmp_path / name / "html").mkdir(parents=True)
        (tmp_path / name / "html" / "both.css").write_text(text)
    (tmp_path / "default" / "html" / "only-default.css").write_text("fallback")
    return LocalFetcher(tmp_path / "media", [tmp_path / "user", tmp_path / "default"])


def test_fetcher_serves_media_and_templates_in_search_order(fetcher) -> None:
    assert fetcher.fetch("file:///source/media/photos/a%20b.png").read() == b"png"
    assert fetcher.fetch("file:///templates/html/both.css").read() == b"user"
    assert fetcher.fetch("file:///templates/html/only-default.css").read() == b"fallback"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    with pytest.raises(FileNotFoundError):  # allowed, but missing: WeasyPrint stops on it
        fetcher.fetch("file:///source/media/none.png")


@pytest.mark.parametrize("url", [
    "file:///source/media/link.txt",                       # a symbolic link out of media/
    "file:///source/media/%2e%2e/secret.txt",               # an encoded '..'
    "file:///source/site.yaml",                             # the source folder, not media/
    "file:///etc/hostname",
    "file://otherhost/source/media/photos/a%20b.png",
    "https://example.org/source/media/photos/a%20b.png",
    "ftp://example.org/x",
    "data:text/plain," + "x" * 40_000,
])
def test_fetcher_refuses(fetcher, url: str) -> None:
    from pressexport.fetch import RefusedURL

    with pytest.raises(RefusedURL):
        fetcher.fetch(url)


def test_fontools_fallback_is_reproducible(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """Without libharfbuzz-subset, fontTools subsets the fonts and would stamp them with the
    clock; SOURCE_DATE_EPOCH (set from the release date) keeps the bytes identical."""
    import time

    import weasyprint.pdf.fonts
    import weasyprint.text.ffi

    from pressexport.load import load_project
    from pressexport.view import view
    from pressexport.writers import Context, pdf

    project = load_project(ROOT / "source")
    release, ctx = project.release(SEED_SLUG), Context(project, None)
    with_harfbuzz = pdf.render_pdf(view(release), ctx)
    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    monkeypatch.setattr(weasyprint.text.ffi, "harfbuzz_subset", None)
    monkeypatch.setattr(pdf, "_warned", False)
    first = pdf.render_pdf(view(release), ctx)
    time.sleep(1.1)  # fontTools' timestamps have one-second resolution
    assert pdf.render_pdf(view(release), ctx) == first
    assert first != with_harfbuzz  # the fallback did subset these fonts
    # ... and the user was told, once.
    assert capsys.readouterr().err.count("apt-get install libharfbuzz-subset0") == 1


def test_no_subhead_ends_a_page(workspace: Path, tmp_path: Path) -> None:
    """Many subheads with paragraphs of varied length put page breaks everywhere; none may
    leave a subhead as the last line of a page."""
    words = ["migration", "governance", "training", "officials", "partners", "cooperation",
             "standards", "law", "provincial", "national", "international", "framework"]
    sections = []
    for n in range(1, 81):
        length = 6 + (n * 37) % 60
        text = " ".join(words[(n + i) % len(words)] for i in range(length)).capitalize() + "."
        sections.append(f"  ## Subhead {n}\n\n  {text}\n")
    write_release(workspace, "2024-11-20-long", "headline: A long release\ndate: 2024-11-20\n"
                  "dateline: Geneva\nbody: |\n" + "\n".join(sections))
    result = run_cli(workspace, "pdf", "-q", "2024-11-20-long")
    assert result.returncode == 0, result.stderr
    pages = pdf_text(pdf_path(workspace, "2024-11-20-long")).split("\f")[:-1]
    assert len(pages) >= 4
    for page in pages:
        lines = [line for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith(("FOR IMMEDIATE", "Page "))]
        assert not re.fullmatch(r"Subhead \d+", body[-1]), body[-3:]
