"""The web page, read back with html5lib (strict: any parse error fails), and its media copies."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from xml.etree import ElementTree

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import (
    ROOT,
    SEED_FACTS,
    SEED_FIRST_PARAGRAPH,
    SEED_HEADLINE,
    SEED_SLUG,
    run_cli,
    write_release,
)
from pressexport.fieldtypes import unprintable
from pressexport.load import load_project
from pressexport.view import view
from pressexport.writers import Context
from pressexport.writers import html as html_writer
from samples import (
    CHINESE_SLUG,
    KITCHEN_SLUG,
    MARKUP_HEADLINE,
    flat,
    in_order,
    layout_workspace,
    png_bytes,
    seed_parts_in_spec_order,
)

NS = {"h": "http://www.w3.org/1999/xhtml"}
BASE = "https://newsroom.example.org/iom-china/"


def parse(html: str | bytes) -> ElementTree.Element:
    """The document as html5lib parses it in strict mode (a parse error raises)."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(html)


def page(workspace: Path, slug: str) -> tuple[bytes, ElementTree.Element]:
    data = (workspace / "out" / slug / "index.html").read_bytes()
    return data, parse(data)


def body_text(doc: ElementTree.Element) -> str:
    return flat("".join(doc.find("h:body", NS).itertext()))


def meta(doc: ElementTree.Element, prop: str) -> list[str]:
    return [m.get("content") for m in doc.iterfind(".//h:meta", NS)
            if prop in (m.get("property"), m.get("name"))]


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and the samples, with a photo and a logo, built once by `pressexport html`."""
    folder = layout_workspace(tmp_path_factory.mktemp("layout"))
    result = run_cli(folder, "html", "-q", "--now", "2024-12-01T00:00")
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def seed_release():
    project = load_project(ROOT / "source")
    return project.release(SEED_SLUG), Context(project, None)


def test_seed_page_is_valid_html5_with_every_fact(layout: Path) -> None:
    data, doc = page(layout, SEED_SLUG)
    assert data.startswith(b"<!DOCTYPE html>\n<html lang=\"en\">")
    assert doc.findtext("h:head/h:title", namespaces=NS) == flat(SEED_HEADLINE)
    text = body_text(doc)
    for fact in SEED_FACTS:
        assert flat(fact) in text, fact
    in_order(text, seed_parts_in_spec_order(SEED_FACTS))
    assert "Email" not in text
    # The dateline leads into the first paragraph itself.
    first = doc.find(".//h:div[@class='body']/h:p", NS)
    assert flat("".join(first.itertext())).startswith("Hangzhou, 8 September 2017 – IOM, the UN")


def test_open_graph_and_feed_discovery(layout: Path) -> None:
    _, doc = page(layout, SEED_SLUG)
    url = f"{BASE}{SEED_SLUG}/"
    assert meta(doc, "og:type") == ["article"]
    assert meta(doc, "og:title") == [flat(SEED_HEADLINE)]
    assert meta(doc, "og:description") == [flat(SEED_FIRST_PARAGRAPH)]  # the summary
    assert meta(doc, "og:url") == [url]
    assert meta(doc, "og:image") == []  # the seed has no image file
    feeds = [(link.get("type"), link.get("title"), link.get("href"))
             for link in doc.iterfind(".//h:link", NS)
             if link.get("rel") == "alternate" and link.get("type")]
    assert feeds == [("application/atom+xml", "IOM China press releases (Atom)", BASE + "atom.xml"),
                     ("application/rss+xml", "IOM China press releases (RSS)", BASE + "rss.xml")]


def test_images_copied_and_linked(layout: Path) -> None:
    _, doc = page(layout, KITCHEN_SLUG)
    out = layout / "out" / KITCHEN_SLUG
    media = layout / "source" / "media"
    image = doc.find(".//h:figure/h:img", NS)
    assert image.get("src") == "media/photos/training%20session.png"
    assert image.get("alt") == "Participants sitting around a table"
    assert (out / "media" / "photos" / "training session.png").read_bytes() == png_bytes()
    assert (out / "media" / "logo.svg").read_bytes() == (media / "logo.svg").read_bytes()
    assert doc.find(".//h:img[@class='logo']", NS).get("src") == "media/logo.svg"
    assert meta(doc, "og:image") == [f"{BASE}{KITCHEN_SLUG}/media/photos/training%20session.png"]
    caption = doc.find(".//h:figure/h:figcaption", NS)
    assert flat("".join(caption.itertext())) == (
        "Participants during the training session. Photo: Example Org 2024 Full resolution")
    # Each picture links its full-resolution copy beside the page.
    (full,) = caption.iterfind(".//h:a[@class='full-resolution']", NS)
    assert full.get("href") == "media/photos/training%20session.png"
    # A media url is its caption, linked; neither file nor url: a photo note.
    links = {a.get("href"): flat("".join(a.itertext())) for a in doc.iterfind(".//h:a", NS)}
    assert links["https://example.org/video"] == "Video of the opening session"
    assert "A photo note without an image. Photo: Example Org" in body_text(doc)


def test_translations_linked_with_hreflang(layout: Path) -> None:
    _, doc = page(layout, KITCHEN_SLUG)
    url = f"{BASE}{CHINESE_SLUG}/"
    head = [(link.get("hreflang"), link.get("href")) for link in doc.iterfind(".//h:link", NS)
            if link.get("hreflang")]
    # Search engines want the page itself listed among its alternates too.
    assert head == [("en", f"{BASE}{KITCHEN_SLUG}/"), ("zh-Hans", url)]
    link = doc.find(".//h:p[@class='also-available']/h:a", NS)
    assert (link.get("hreflang"), link.get("href"), link.text) == (
        "zh-Hans", url, "Chinese (Simplified)")
    _, chinese = page(layout, CHINESE_SLUG)
    assert chinese.get("lang") == "zh-Hans"


def test_markup_in_fields_is_escaped(layout: Path) -> None:
    data, doc = page(layout, KITCHEN_SLUG)
    assert b"<script>" not in data and b"<b>" not in data
    assert doc.findtext("h:head/h:title", namespaces=NS) == MARKUP_HEADLINE
    assert flat("".join(doc.find(".//h:h1", NS).itertext())) == MARKUP_HEADLINE
    assert meta(doc, "og:title") == [MARKUP_HEADLINE]
    assert doc.find(".//h:script", NS) is None


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1)
       .filter(lambda text: text.strip() and not unprintable(text)))  # as validated
def test_any_headline_is_text(seed_release, headline: str) -> None:
    release, ctx = seed_release
    release = dataclasses.replace(release, headline=headline)
    doc = parse(html_writer.render(view(release), ctx, "screen"))
    assert "".join(doc.find(".//h:h1", NS).itertext()) == headline


def test_screen_and_print_from_one_template(seed_release) -> None:
    release, ctx = seed_release
    screen = html_writer.render(view(release), ctx, "screen")
    printed = html_writer.render(view(release), ctx, "print")
    assert "<style>" in screen and 'property="og:title"' in screen
    assert "<style>" not in printed and "og:title" not in printed
    assert '<p class="folio-page">Page <span class="page"></span> of <span class="pages">' \
        in printed
    body = screen[screen.index("<main>"):screen.index("</main>")]
    assert body == printed[printed.index("<main>"):printed.index("</main>")]


@pytest.mark.parametrize(("house", "dateline"), [("un", "Hangzhou, 8 September 2017"),
                                                 ("ap", "HANGZHOU, Sept. 8, 2017")])
def test_dateline_stands_alone_before_a_leading_subhead(workspace: Path, house: str,
                                                       dateline: str) -> None:
    import io

    import docx

    from pressexport.writers import text as text_writer
    from pressexport.writers import word as word_writer

    site = workspace / "source" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("house: un", f"house: {house}"),
                    encoding="utf-8")
    seed = workspace / "source" / "releases" / f"{SEED_SLUG}.yaml"
    text = seed.read_text(encoding="utf-8").replace("body: |\n", "body: |\n  ## Training\n\n")
    write_release(workspace, SEED_SLUG, text)
    project = load_project(workspace / "source")
    release, ctx = project.release(SEED_SLUG), Context(project, None)
    html = html_writer.render(view(release), ctx)
    assert f'<p class="dateline">{dateline}</p>\n<h2>Training</h2>' in html
    assert f"\n\n{dateline}\n\nTraining\n\n" in text_writer.render(view(release), ctx)
    paragraphs = docx.Document(io.BytesIO(word_writer.render(view(release), ctx))).paragraphs
    at = [p.text for p in paragraphs].index(dateline)
    assert paragraphs[at].runs[0].style.name == "Dateline"
    assert (paragraphs[at + 1].text, paragraphs[at + 1].style.name) == ("Training", "Heading 2")
