"""Feeds and index, read back by independent readers: feedparser, lxml + RFC 4287's RELAX NG
schema, explicit RSS 2.0 / RFC 822 checks and html5lib."""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import feedparser
import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import ROOT, SEED_FACTS, SEED_SLUG, run_cli, tree_bytes, write_release
from feed_fixtures import (
    AFTER,
    BEFORE,
    CORRECTED,
    EMBARGO_SLUG,
    EN,
    IMAGE,
    ORDER_AFTER_EMBARGO,
    ORDER_BEFORE_EMBARGO,
    SCRIPT,
    SCRIPTED,
    TRICKY_TITLE,
    ZH,
    add_fake_documents,
    add_releases,
)
from pressexport import newsroom
from pressexport.load import Project, load_project
from pressexport.model import FeedSettings, Release
from pressexport.view import view
from pressexport.writers import Artifact, Context
from pressexport.writers import feeds as feeds_writer
from pressexport.writers import html as html_writer
from pressexport.writers import index as index_writer

A = "{http://www.w3.org/2005/Atom}"
BASE = "https://newsroom.example.org/iom-china/"


def site_write(writer: Any, ctx: Context, now: datetime) -> list[Artifact]:
    """A site writer's artifacts for the project at `now`, with no documents to enclose."""
    return writer.write(newsroom.newsroom(ctx.project.site, ctx.project.releases, now, {}), ctx)
AUTHOR = "IOM Office in China"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|"
                    r"Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")


@dataclasses.dataclass(frozen=True)
class Built:
    """A workspace with the fixture releases, its out/ and the command's output."""

    workspace: Path
    out: Path
    stdout: str

    @property
    def project(self) -> Project:
        """The sources as pressexport reads them (the oracle for ids and summaries)."""
        return _project(self.workspace)


@cache
def _project(workspace: Path) -> Project:
    return load_project(workspace / "source")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample sources plus the fixture releases (shared: never modified by a test)."""
    root = tmp_path_factory.mktemp("feeds")
    shutil.copytree(ROOT / "source", root / "source")
    add_releases(root)
    return root


def _feed_build(workspace: Path, name: str, now: str, env: dict[str, str] | None = None) -> Built:
    out = workspace / name
    add_fake_documents(out)
    result = run_cli(workspace, "feed", "--now", now, "--out", name, env=env)
    assert result.returncode == 0, result.stderr
    return Built(workspace, out, result.stdout)


@pytest.fixture(scope="module")
def before(workspace: Path) -> Built:
    """`pressexport feed` one second before the embargo ends."""
    return _feed_build(workspace, "out-before", BEFORE)


@pytest.fixture(scope="module")
def after(workspace: Path) -> Built:
    """`pressexport feed` at the instant the embargo ends."""
    return _feed_build(workspace, "out-after", AFTER)


def feed_files(out: Path, name: str) -> list[Path]:
    """Every feed called `name` (atom.xml or rss.xml) under out/."""
    return sorted(out.rglob(name))


def xml(path: Path) -> etree._Element:
    """The parsed feed document."""
    return etree.parse(str(path)).getroot()


def release_of(built: Built, slug: str) -> Release:
    """The release called `slug`, as loaded from the workspace."""
    return built.project.release(slug)


def documents(built: Built, slug: str) -> dict[str, tuple[str, int]]:
    """suffix → (absolute URL, size) of the PDF/DOCX that exist in out/ for `slug`."""
    found = {}
    for suffix in ("pdf", "docx"):
        path = built.out / slug / f"{slug}.{suffix}"
        if path.is_file():
            found[suffix] = (f"{BASE}{slug}/{slug}.{suffix}", path.stat().st_size)
    return found


def instant(text: str) -> datetime:
    """An RFC 3339 or RFC 822 date as an aware datetime."""
    return datetime.fromisoformat(text) if RFC3339.match(text) else parsedate_to_datetime(text)


def html_tree(fragment: str) -> etree._Element:
    """An HTML fragment parsed as a browser would (html5lib), as an lxml tree."""
    return html5lib.parse(f"<div>{fragment}</div>", treebuilder="lxml",
                          namespaceHTMLElements=False).getroot()


def text_of(fragment: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    return " ".join("".join(html_tree(fragment).itertext()).split())


# --- feedparser reads every field back -------------------------------------------------------


def test_feedparser_reads_every_atom_field(after: Built) -> None:
    parsed = feedparser.parse(str(after.out / "atom.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "IOM China press releases"
    assert parsed.feed.subtitle == "Press releases from the IOM Office in China"
    assert parsed.feed.id == BASE + "atom.xml"
    assert parsed.feed.link == BASE
    assert parsed.feed.language == "en"
    assert parsed.feed.author == AUTHOR
    assert [e.id for e in parsed.entries] == [release_of(after, s).id for s in ORDER_AFTER_EMBARGO]
    for entry in parsed.entries:
        release = next(r for r in after.project.releases if r.id == entry.id)
        assert entry.title == release.headline
        assert entry.link == release.url
        assert entry.summary == release.summary
        assert instant(entry.published) == release.published
        assert instant(entry.updated) == release.last_modified
        assert [t.term for t in entry.get("tags", [])] == list(release.topics)
        assert entry.author == AUTHOR
        assert entry.title_detail.language == release.language
        assert entry.content[0].type == "text/html"
        assert " ".join(release.body.first_paragraph().split()) in text_of(entry.content[0].value)
        enclosures = {e.type: (e.href, int(e.length)) for e in entry.get("enclosures", [])}
        expected = documents(after, release.slug)
        assert enclosures == {("application/pdf" if s == "pdf" else DOCX_TYPE): v
                              for s, v in expected.items()}


def test_feedparser_reads_every_rss_field(after: Built) -> None:
    parsed = feedparser.parse(str(after.out / "rss.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.title == "IOM China press releases"
    assert parsed.feed.link == BASE
    assert parsed.feed.language == "en"
    assert [e.id for e in parsed.entries] == [release_of(after, s).id for s in ORDER_AFTER_EMBARGO]
    for entry in parsed.entries:
        release = next(r for r in after.project.releases if r.id == entry.id)
        assert entry.title == release.headline
        assert entry.link == release.url
        assert entry.guidislink is False
        assert instant(entry.published) == release.published
        assert [t.term for t in entry.get("tags", [])] == list(release.topics)
        assert entry.author == AUTHOR
        assert entry.language == release.language
        assert text_of(entry.summary).startswith(" ".join(release.summary.split()))
        assert " ".join(release.body.first_paragraph().split()) in text_of(entry.content[0].value)
        expected = documents(after, release.slug)
        enclosures = [(e.href, int(e.length), e.type) for e in entry.get("enclosures", [])]
        assert enclosures == ([(*expected["pdf"], "application/pdf")] if "pdf" in expected else [])
        links = [a.get("href") for a in html_tree(entry.summary).iter("a")]
        assert links == [url for url, _ in expected.values()]  # PDF, then the DOCX


def test_seed_facts_reach_the_feeds(after: Built) -> None:
    for name in ("atom.xml", "rss.xml"):
        entry = next(e for e in feedparser.parse(str(after.out / name)).entries
                     if e.link.endswith(f"/{SEED_SLUG}/"))
        text = entry.title + " " + text_of(entry.content[0].value)
        topic = "Capacity Building"  # a feed carries the topic as the entry's category
        assert [tag.term for tag in entry.tags] == [topic]
        for fact in SEED_FACTS:
            if fact != topic:
                assert " ".join(fact.split()) in text, (name, fact)


# --- validity beyond parsing ------------------------------------------------------------------


@cache
def atom_schema() -> etree.RelaxNG:
    """RFC 4287 Appendix B, converted from the compact syntax by rnc2rng."""
    import rnc2rng

    rng = rnc2rng.dumps(rnc2rng.load(str(ROOT / "tests" / "data" / "atom.rnc")))
    # rnc2rng declares the empty `local` namespace as a prefix, which XML forbids; the
    # grammar itself names it with ns="" and never uses the prefix.
    rng = re.sub(r'\s+xmlns:local=""', "", rng)
    return etree.RelaxNG(etree.fromstring(rng.encode()))


def test_the_schema_rejects_what_rfc_4287_forbids(after: Built) -> None:
    raw = (after.out / "atom.xml").read_bytes()
    assert atom_schema().validate(etree.fromstring(raw))
    broken = [
        re.sub(rb"<updated>[^<]*</updated>", b"", raw, count=1),
        raw.replace(b'rel="enclosure" type="application/pdf"', b'rel="enclosure" type="pdf"', 1),
        re.sub(rb"<published>[^<]*</published>", b"<published>yesterday</published>", raw,
               count=1),
    ]
    for document in broken:
        assert document != raw
        assert not atom_schema().validate(etree.fromstring(document))


@pytest.mark.parametrize("which", ["before", "after"])
def test_every_atom_feed_is_valid_rfc_4287(which: str, request: pytest.FixtureRequest) -> None:
    built: Built = request.getfixturevalue(which)
    paths = feed_files(built.out, "atom.xml")
    assert len(paths) >= 4
    for path in paths:
        root = xml(path)
        assert atom_schema().validate(root), (path, atom_schema().error_log)
        _check_atom_rules(root, built.project.site.site.base_url + str(path.relative_to(built.out)))


def _check_atom_rules(feed: etree._Element, self_url: str) -> None:
    """RFC 4287's rules the schema cannot say (its Schematron rules and section 4 prose)."""
    for element in [feed, *feed.iterfind(f"{A}entry")]:
        for name in ("id", "title", "updated"):
            assert len(element.findall(f"{A}{name}")) == 1, name
        assert RFC3339.match(element.findtext(f"{A}updated"))
        assert _absolute(element.findtext(f"{A}id"))
        links = element.findall(f"{A}link")
        alternates = [(link.get("type"), link.get("hreflang")) for link in links
                      if link.get("rel", "alternate") == "alternate"]
        assert len(alternates) == len(set(alternates)), alternates
        for link in element.iterfind(f"{A}link"):
            assert _absolute(link.get("href"))
            if link.get("rel") == "enclosure":
                assert re.fullmatch(r".+/.+", link.get("type", ""))
                assert re.fullmatch(r"[1-9]\d*", link.get("length", ""))
    assert feed.find(f"{A}author/{A}name") is not None  # so no entry lacks an author
    self_links = [x.get("href") for x in feed.iterfind(f"{A}link") if x.get("rel") == "self"]
    assert self_links == [self_url]
    for entry in feed.iterfind(f"{A}entry"):
        assert entry.find(f"{A}content") is not None or any(
            link.get("rel", "alternate") == "alternate" for link in entry.iterfind(f"{A}link"))
        assert RFC3339.match(entry.findtext(f"{A}published"))
        for category in entry.iterfind(f"{A}category"):
            assert _absolute(category.get("scheme"))


def _absolute(iri: str | None) -> bool:
    parts = urlsplit(iri or "")
    return bool(parts.scheme) and (parts.scheme in ("tag", "mailto") or bool(parts.netloc))


@pytest.mark.parametrize("which", ["before", "after"])
def test_every_rss_feed_has_rss_2_required_elements(which: str,
                                                     request: pytest.FixtureRequest) -> None:
    built: Built = request.getfixturevalue(which)
    paths = feed_files(built.out, "rss.xml")
    assert len(paths) >= 4
    for path in paths:
        rss = xml(path)
        assert rss.tag == "rss" and rss.get("version") == "2.0"
        (channel,) = rss.findall("channel")
        for name in ("title", "link", "description"):
            assert (channel.findtext(name) or "").strip(), name
        assert channel.findtext("link") == BASE
        self_links = channel.findall(f"{A}link")
        assert [(x.get("rel"), x.get("href"), x.get("type")) for x in self_links] == [
            ("self", BASE + str(path.relative_to(built.out)), "application/rss+xml")]
        for name in ("lastBuildDate", "pubDate"):
            assert RFC822.match(channel.findtext(name)), name
        items = channel.findall("item")
        assert items
        for item in items:
            assert item.findtext("title") and item.findtext("description")
            assert item.find("guid").get("isPermaLink") == "false"
            assert RFC822.match(item.findtext("pubDate"))
            assert _absolute(item.findtext("link"))
            enclosures = item.findall("enclosure")
            assert len(enclosures) <= 1
            for enclosure in enclosures:
                assert _absolute(enclosure.get("url"))
                assert re.fullmatch(r"[1-9]\d*", enclosure.get("length"))
                assert enclosure.get("type") == "application/pdf"


# --- order, dates, limit ----------------------------------------------------------------------


def _slugs(path: Path) -> list[str]:
    root = xml(path)
    if root.tag == f"{A}feed":
        hrefs = [e.find(f"{A}link[@rel='alternate']").get("href") for e in root.iter(f"{A}entry")]
    else:
        hrefs = [item.findtext("link") for item in root.iter("item")]
    return [href.removeprefix(BASE).strip("/") for href in hrefs]


def test_newest_first_and_equal_dates_by_slug(before: Built, after: Built) -> None:
    # Feedgen prepends entries unless told otherwise: this order would come out reversed.
    for name in ("atom.xml", "rss.xml"):
        assert _slugs(before.out / name) == ORDER_BEFORE_EMBARGO
        assert _slugs(after.out / name) == ORDER_AFTER_EMBARGO
    assert _slugs(after.out / "topics" / "capacity-building" / "atom.xml") == [
        EMBARGO_SLUG, CORRECTED, SEED_SLUG]


def test_feed_dates_are_the_newest_entry_update_never_the_build_time(before: Built) -> None:
    # Without explicit dates feedgen stamps now(); the newest *updated* entry here is the
    # correction (1 Feb 2018), newer than the newest release date in this topic feed.
    topic = before.out / "topics" / "capacity-building"
    atom = xml(topic / "atom.xml")
    entry_updates = [instant(t) for t in atom.xpath("//a:entry/a:updated/text()",
                                                    namespaces={"a": A[1:-1]})]
    newest = max(entry_updates)
    assert newest == datetime.fromisoformat("2018-02-01T16:30:00+08:00")
    assert instant(atom.findtext(f"{A}updated")) == newest
    channel = xml(topic / "rss.xml").find("channel")
    assert instant(channel.findtext("lastBuildDate")) == newest
    assert instant(channel.findtext("pubDate")) == newest


def test_limit_applies_to_site_and_topic_feeds(after: Built) -> None:
    project = after.project
    site = project.site.model_copy(update={"feed": FeedSettings(title="T", limit=2)})
    artifacts = site_write(feeds_writer, Context(dataclasses.replace(project, site=site), None),
                           datetime.fromisoformat(AFTER + "+08:00"))
    counts = {a.path: len(feedparser.parse(a.data).entries) for a in artifacts}
    assert counts["atom.xml"] == counts["rss.xml"] == 2
    assert counts["topics/capacity-building/atom.xml"] == 2
    assert max(counts.values()) == 2
    assert _slugs_of(artifacts, "atom.xml") == ORDER_AFTER_EMBARGO[:2]


def _slugs_of(artifacts: list, path: str) -> list[str]:
    data = next(a.data for a in artifacts if a.path == path)
    return [e.link.removeprefix(BASE).strip("/") for e in feedparser.parse(data).entries]


# --- embargo, correction ----------------------------------------------------------------------


def test_embargo_keeps_a_release_out_of_feeds_and_index_until_it_passes(
        before: Built, after: Built) -> None:
    for path in [*before.out.rglob("*.xml"), before.out / "index.html"]:
        assert EMBARGO_SLUG not in path.read_text(encoding="utf-8"), path
    assert not (before.out / "topics" / "embargoed-only").exists()
    assert (f"held back (embargo): {EMBARGO_SLUG} "
            "until 10:00 China Standard Time (02:00 UTC), 20 November 2024") in before.stdout
    assert "held back" not in after.stdout
    assert (after.out / "topics" / "embargoed-only" / "atom.xml").is_file()
    assert EMBARGO_SLUG in (after.out / "index.html").read_text(encoding="utf-8")
    assert _slugs(after.out / "topics" / "embargoed-only" / "rss.xml") == [EMBARGO_SLUG]


def test_a_correction_moves_updated_and_shows_the_notice_keeping_the_id(after: Built) -> None:
    entry = next(e for e in feedparser.parse(str(after.out / "atom.xml")).entries
                 if e.link.endswith(f"/{CORRECTED}/"))
    assert entry.id == f"tag:newsroom.example.org,2018-01-05:{CORRECTED}"
    assert instant(entry.published) == datetime.fromisoformat("2018-01-05T09:00+08:00")
    assert instant(entry.updated) == datetime.fromisoformat("2018-02-01T16:30+08:00")
    content = text_of(entry.content[0].value)
    assert "Updated 1 February 2018 An earlier version of this test release gave a wrong " \
           "figure in the second paragraph." in content


# --- escaping -------------------------------------------------------------------------------


def test_markup_characters_in_titles_and_topics_round_trip_exactly(after: Built) -> None:
    for name in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse(str(after.out / name))
        entry = next(e for e in parsed.entries if e.link.endswith(f"/{CORRECTED}/"))
        assert entry.title == TRICKY_TITLE
        assert [t.term for t in entry.tags] == ["Capacity Building", "Health & <Safety>"]
    atom_titles = xml(after.out / "atom.xml").xpath("//a:entry/a:title/text()",
                                                     namespaces={"a": A[1:-1]})
    assert TRICKY_TITLE in atom_titles
    rss_titles = xml(after.out / "rss.xml").xpath("//item/title/text()")
    assert TRICKY_TITLE in rss_titles
    topic = feedparser.parse(str(after.out / "topics" / "health-safety" / "atom.xml"))
    assert topic.feed.title == "IOM China press releases: Health & <Safety>"
    index = html_tree((after.out / "index.html").read_text(encoding="utf-8"))
    assert TRICKY_TITLE in [" ".join("".join(h.itertext()).split()) for h in index.iter("h2")]


def _html_fields(root: etree._Element) -> Iterator[str]:
    """Every field of a feed document that a reader renders as HTML."""
    if root.tag == f"{A}feed":
        yield from root.xpath("//a:content/text()", namespaces={"a": A[1:-1]})
    else:
        yield from root.xpath("//item/description/text()")
        yield from root.xpath("//item/*[local-name()='encoded']/text()")


def _assert_inert(tree: etree._Element) -> None:
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag not in ("script", "iframe", "object", "style"), element.tag
        if element.tag == "img":  # only a release's own media, copied next to its page
            assert element.get("src", "").startswith(BASE), element.attrib
        assert not [a for a in element.attrib if a.lower().startswith("on")]
        for name in ("href", "src"):
            value = element.get(name, "")
            assert not value.lower().lstrip().startswith(("javascript:", "data:")), value


def test_markup_in_a_release_never_reaches_feed_content_as_markup(after: Built) -> None:
    seen_as_text = 0
    for path in [*after.out.rglob("atom.xml"), *after.out.rglob("rss.xml")]:
        root = xml(path)
        for fragment in _html_fields(root):
            tree = html_tree(fragment)
            _assert_inert(tree)
            seen_as_text += "".join(tree.itertext()).count(SCRIPT)
        # Titles and summaries are text constructs: they carry no child elements at all.
        for element in root.iter(f"{A}title", f"{A}summary", "title"):
            assert len(element) == 0
    assert seen_as_text >= 4  # caption, contact name, code span (headline is the title)
    entry = next(e for e in feedparser.parse(str(after.out / "atom.xml")).entries
                 if e.link.endswith(f"/{SCRIPTED}/"))
    assert entry.title == f"Alert {SCRIPT} headline"
    text = text_of(entry.content[0].value)
    for visible in ("<img src=x onerror=alert(2)>", "<script>alert(3)</script>",
                    f"Caption {SCRIPT}", f"Name {SCRIPT}", "Photo: Credit <b>bold</b>"):
        assert visible in text


def test_markup_in_a_release_never_reaches_the_index_as_markup(after: Built) -> None:
    page = (after.out / "index.html").read_text(encoding="utf-8")
    tree = html5lib.parse(page, treebuilder="lxml", namespaceHTMLElements=False)
    _assert_inert(tree.find("body"))
    assert f"Alert {SCRIPT} headline" in "".join(tree.find("body").itertext())


def test_content_urls_are_absolute(after: Built) -> None:
    for path in after.out.rglob("*.xml"):
        for fragment in _html_fields(xml(path)):
            for element in html_tree(fragment).iter():
                for name in ("href", "src"):
                    if isinstance(element.tag, str) and element.get(name) is not None:
                        assert urlsplit(element.get(name)).scheme in ("https", "http", "mailto")


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
                             blacklist_characters="\ufffe\uffff"), min_size=1).map(str.strip)
       .filter(bool))
def test_any_headline_round_trips_through_both_feeds(headline: str) -> None:
    project = _project(ROOT)
    release = dataclasses.replace(project.releases[0], headline=headline)
    ctx = Context(dataclasses.replace(project, releases=(release,)), None)
    artifacts = {a.path: a.data for a in site_write(feeds_writer, ctx, release.date)}
    for name in ("atom.xml", "rss.xml"):
        root = etree.fromstring(artifacts[name])
        titles = root.xpath("//a:entry/a:title/text() | //item/title/text()",
                            namespaces={"a": A[1:-1]})
        assert titles == [headline]


# --- enclosures, translations, feedgen workarounds --------------------------------------------


def test_without_documents_entries_have_no_enclosure(after: Built) -> None:
    artifacts = {a.path: a.data for a in site_write(
        feeds_writer, Context(after.project, None), datetime.fromisoformat(AFTER + "+08:00"))}
    assert b"enclosure" not in artifacts["atom.xml"]
    assert b"<enclosure" not in artifacts["rss.xml"]
    assert b".docx" not in artifacts["rss.xml"]
    assert atom_schema().validate(etree.fromstring(artifacts["atom.xml"]))


def test_atom_entry_links_keep_rel_type_and_length(after: Built) -> None:
    # lkiesow/python-feedgen issue 135: feedgen writes Atom entry links with href only.
    entry = next(e for e in xml(after.out / "atom.xml").iter(f"{A}entry")
                 if e.findtext(f"{A}id").endswith(SEED_SLUG))
    links = [(x.get("rel"), x.get("type"), x.get("length"), x.get("hreflang"))
             for x in entry.iter(f"{A}link")]
    sizes = {s: str(size) for s, (_, size) in documents(after, SEED_SLUG).items()}
    assert links == [("alternate", "text/html", None, "en"),
                     ("enclosure", "application/pdf", sizes["pdf"], None),
                     ("enclosure", DOCX_TYPE, sizes["docx"], None)]


def test_channel_links_name_the_page_and_the_feed_itself(after: Built) -> None:
    # feedgen's RSS channel <link> is whichever link() came last; its self link the first.
    channel = xml(after.out / "rss.xml").find("channel")
    assert channel.findtext("link") == BASE
    assert channel.find(f"{A}link").get("href") == BASE + "rss.xml"
    atom = xml(after.out / "atom.xml")
    assert [(x.get("rel"), x.get("href")) for x in atom.findall(f"{A}link")] == [
        ("self", BASE + "atom.xml"), ("alternate", BASE)]


def test_generator_names_pressexport_without_a_version(after: Built) -> None:
    for path in after.out.rglob("*.xml"):
        data = path.read_bytes()
        assert b"feedgen" not in data
        generator = xml(path).find(f".//{A}generator") if b"<feed" in data else \
            xml(path).find("channel/generator")
        assert generator.text == "pressexport" and generator.get("version") is None


def test_translations_are_linked_and_every_language_is_listed(after: Built) -> None:
    entry = next(e for e in xml(after.out / "atom.xml").iter(f"{A}entry")
                 if e.findtext(f"{A}id").endswith(EN))
    # Only the page itself is an alternate link: feedparser takes the last one as the link.
    alternates = [(x.get("hreflang"), x.get("href")) for x in entry.iter(f"{A}link")
                  if x.get("rel") == "alternate"]
    assert alternates == [("en", f"{BASE}{EN}/")]
    content = html_tree(entry.findtext(f"{A}content"))
    assert [(a.get("hreflang"), a.get("href"), a.text) for a in content.iter("a")
            if a.get("hreflang")] == [("zh", f"{BASE}{ZH}/", "Chinese")]
    zh_entry = next(e for e in xml(after.out / "atom.xml").iter(f"{A}entry")
                    if e.findtext(f"{A}id").endswith(ZH))
    assert zh_entry.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh"
    content = html_tree(zh_entry.findtext(f"{A}content"))
    assert [(a.get("hreflang"), a.get("href")) for a in content.iter("a")
            if a.get("hreflang")] == [("en", f"{BASE}{EN}/")]
    assert "其他语言版本" in "".join(content.itertext())
    assert (after.out / "topics" / "neng-li-jian-she" / "atom.xml").is_file()


# --- the index page ---------------------------------------------------------------------------


def _index(built: Built) -> etree._Element:
    page = (built.out / "index.html").read_text(encoding="utf-8")
    return html5lib.parse(page, treebuilder="lxml", namespaceHTMLElements=False).getroot()


def test_index_lists_releases_newest_first_with_their_documents(before: Built,
                                                                after: Built) -> None:
    for built, order in ((before, ORDER_BEFORE_EMBARGO), (after, ORDER_AFTER_EMBARGO)):
        items = _index(built).findall(".//li[@class='release']")
        assert [li.find(".//h2/a").get("href") for li in items] == [f"{s}/" for s in order]
        for li, slug in zip(items, order, strict=True):
            release = release_of(built, slug)
            assert li.get("lang") == release.language
            assert li.find(".//time").get("datetime") == release.date.isoformat()
            assert " ".join(li.findtext(".//p[@class='summary']").split()) == \
                " ".join(release.summary.split())
            hrefs = [a.get("href") for a in li.iterfind(".//a[@class='download']")]
            assert hrefs == [f"{slug}/{slug}.{s}" for s in documents(built, slug)]
            for href in hrefs:
                assert (built.out / href).is_file()


def test_index_has_feed_autodiscovery_and_lists_every_language(after: Built) -> None:
    root = _index(after)
    alternates = [(x.get("type"), x.get("href")) for x in root.iterfind("head/link")
                  if x.get("rel") == "alternate"]
    assert alternates[:2] == [("application/atom+xml", "atom.xml"),
                              ("application/rss+xml", "rss.xml")]
    for _, href in alternates:
        assert (after.out / href).is_file()
    assert ("application/atom+xml", "topics/neng-li-jian-she/atom.xml") in alternates
    assert root.find("head/link[@rel='stylesheet']").get("href") == "index.css"
    assert (after.out / "index.css").is_file()
    languages = {li.get("lang") for li in root.iterfind(".//li[@class='release']")}
    assert languages == {"en", "zh"}
    names = {" ".join(span.text.split()) for span in root.iterfind(".//span[@class='language']")}
    assert names == {"English", "中文"}
    zh_item = next(li for li in root.iterfind(".//li[@class='release']") if li.get("lang") == "zh")
    translation = zh_item.find(".//a[@class='translation']")
    assert (translation.get("hreflang"), translation.get("href")) == ("en", f"{EN}/")


# --- determinism, commands --------------------------------------------------------------------


def test_same_input_gives_byte_identical_feeds_and_index(workspace: Path, after: Built) -> None:
    # Another build time (still after the embargo), another zone, another folder.
    again = _feed_build(workspace, "out-again", "2030-01-01T00:00",
                        env={"TZ": "America/New_York"})
    names = [p.relative_to(after.out) for p in after.out.rglob("*")
             if p.suffix in (".xml", ".html", ".css")]
    assert len(names) >= 10
    for name in names:
        assert (again.out / name).read_bytes() == (after.out / name).read_bytes(), name


def test_all_builds_feeds_and_index(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "source", tmp_path / "source")
    result = run_cli(tmp_path, "all", "-q")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    for name in ("atom.xml", "rss.xml", "index.html", "index.css",
                 "topics/capacity-building/atom.xml", "topics/capacity-building/rss.xml"):
        assert (out / name).is_file(), name
    entry = feedparser.parse(str(out / "atom.xml")).entries[0]
    built = Built(tmp_path, out, result.stdout)
    assert {(e.href, int(e.length)) for e in entry.get("enclosures", [])} == set(
        documents(built, SEED_SLUG).values())


def test_feed_command_builds_what_the_feeds_link_to_and_nothing_else(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "source", tmp_path / "source")
    result = run_cli(tmp_path, "feed", "-q")
    assert result.returncode == 0, result.stderr
    # A feed never links to a page or a document that out/ lacks.
    release = tmp_path / "out" / SEED_SLUG
    assert (release / "index.html").is_file() and (release / f"{SEED_SLUG}.pdf").is_file()
    before = tree_bytes(release)
    seed = tmp_path / "source" / "releases" / f"{SEED_SLUG}.yaml"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Liu Liu.", "Liu Liu (feed)."),
                    encoding="utf-8")
    assert run_cli(tmp_path, "feed", "-q").returncode == 0
    assert tree_bytes(release) == before  # `feed` renders the feeds, not the documents
    assert "Liu Liu (feed)." in (tmp_path / "out" / "atom.xml").read_text(encoding="utf-8")


def test_an_unprintable_character_is_an_input_error_not_a_crash(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "source", tmp_path / "source")
    write_release(tmp_path, "2020-01-01-bell", 'headline: "Bell \\x07 here"\ndate: 2020-01-01\n'
                  "dateline: Testville\nbody: Text.\n")
    result = run_cli(tmp_path, "feed")
    assert result.returncode == 2
    assert "2020-01-01-bell.yaml:1:11: headline: contains the control character U+0007" \
        in result.stderr
    assert not (tmp_path / "out").exists()


def test_with_every_release_held_back_the_feeds_are_empty_valid_and_dated_reproducibly(
        after: Built) -> None:
    project = dataclasses.replace(after.project, releases=(release_of(after, EMBARGO_SLUG),))
    ctx = Context(project, None)
    now = datetime.fromisoformat(BEFORE + "+08:00")
    artifacts = {a.path: a.data for a in site_write(feeds_writer, ctx, now)}
    assert sorted(artifacts) == ["atom.xml", "rss.xml"]  # no topic keeps a feed
    atom = etree.fromstring(artifacts["atom.xml"])
    assert atom_schema().validate(atom)
    assert atom.find(f"{A}entry") is None
    assert atom.findtext(f"{A}updated") == "1970-01-01T00:00:00+00:00"
    assert site_write(feeds_writer, ctx, now)[0].data == artifacts["atom.xml"]
    page = site_write(index_writer, ctx, now)[0].data.decode()
    assert "No press releases yet." in page and EMBARGO_SLUG not in page


def test_feed_links_for_release_pages(after: Built) -> None:
    assert newsroom.feed_links(after.project.site) == [
        ("application/atom+xml", "IOM China press releases (Atom)", BASE + "atom.xml"),
        ("application/rss+xml", "IOM China press releases (RSS)", BASE + "rss.xml")]


PARTS_OVERRIDE = """\
{% import "default/html/parts.html.j2" as default %}
{% macro media(items, media_src) %}{{ default.media(items, media_src) }}{% endmacro %}
{% macro end_mark(v) %}<p class="end-mark">*** {{ v.end_mark }} ***</p>
{% endmacro %}
{% macro back_matter(v, markdown) %}{{ default.back_matter(v, markdown) }}{% endmacro %}
"""


def test_the_web_page_and_the_feed_content_end_with_the_same_overridable_parts(
        tmp_path: Path) -> None:
    shutil.copytree(ROOT / "source", tmp_path / "source")
    (tmp_path / "templates" / "html").mkdir(parents=True)
    (tmp_path / "templates" / "html" / "parts.html.j2").write_text(PARTS_OVERRIDE)
    project = load_project(tmp_path / "source")
    ctx = Context(project, tmp_path / "templates")
    release = project.release(SEED_SLUG)
    page = html_writer.render(view(release), ctx)
    end = page[page.index('<p class="end-mark">'):page.index("</article>")]
    assert end.startswith('<p class="end-mark">*** -ENDS- ***</p>\n<section class="contacts">')
    room = newsroom.newsroom(project.site, project.releases, release.date, {})
    assert feeds_writer.entry(release, room, ctx).content.endswith(end)


def test_an_embedded_image_is_an_absolute_percent_encoded_url_with_alt_text(after: Built) -> None:
    entry = next(e for e in xml(after.out / "atom.xml").iter(f"{A}entry")
                 if e.findtext(f"{A}id").endswith(CORRECTED))
    (image,) = html_tree(entry.findtext(f"{A}content")).iter("img")
    assert image.get("src") == f"{BASE}{CORRECTED}/media/{quote(IMAGE)}"
    assert image.get("alt") == "A grey square standing in for a photo."


def test_a_topic_feed_left_from_an_earlier_build_is_removed_when_its_topic_is_gone(
        tmp_path: Path) -> None:
    # Built once after the embargo (say with a wrong --now), then again before it: the topic
    # feed that only the embargoed release made must not stay behind, still serving it.
    shutil.copytree(ROOT / "source", tmp_path / "source")
    add_releases(tmp_path)
    assert run_cli(tmp_path, "feed", "-q", "--now", AFTER).returncode == 0
    topic = tmp_path / "out" / "topics" / "embargoed-only"
    assert (topic / "atom.xml").is_file()
    (tmp_path / "out" / "topics" / "notes.txt").write_text("not ours")
    result = run_cli(tmp_path, "feed", "--now", BEFORE)
    assert result.returncode == 0, result.stderr
    assert not topic.exists()
    assert "removed out/topics/embargoed-only/atom.xml" in result.stdout
    assert (tmp_path / "out" / "topics" / "notes.txt").is_file()
    assert (tmp_path / "out" / "topics" / "capacity-building" / "atom.xml").is_file()
    for path in (tmp_path / "out").rglob("*.xml"):
        assert EMBARGO_SLUG not in path.read_text(encoding="utf-8")
