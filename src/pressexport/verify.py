"""`pressexport verify`: read every output back with independent readers; report missing facts."""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

from pressexport import formats
from pressexport.layout import ATOM, RSS
from pressexport.load import Project
from pressexport.markup import Markdown, inline_text, walk
from pressexport.model import Release
from pressexport.newsroom import channels, listed
from pressexport.stage import Trees
from pressexport.view import subject, view

ATOM_NS = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class Fact:
    """One thing the YAML says that every document must show."""

    field: str
    text: str


@dataclass(frozen=True)
class Finding:
    """A fact missing or different in one output file."""

    output: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.output}: {self.field}: {self.message}"


def facts(release: Release, document: bool = True) -> list[Fact]:
    """Every fact of `release` as its documents (or, not `document`, its web page) word it."""
    v = view(release)
    status = v.status if document else v.page_status
    found = [Fact("status", status), Fact("organization", v.organization),
             Fact("headline", v.headline), Fact("dateline", v.dateline)]
    if v.subheadline:
        found.append(Fact("subheadline", v.subheadline))
    found += [Fact("topics", topic) for topic in v.release.topics]
    found += _markdown_facts("body", v.body)
    for i, item in enumerate(v.media):
        found.append(Fact(f"media[{i}].caption", item.caption))
        if item.credit:
            found.append(Fact(f"media[{i}].credit", item.credit))
    found.append(Fact("end mark", v.end_mark))
    if v.update:
        found.append(Fact("updated", v.update.title))
        if v.update.correction:
            found += _markdown_facts("correction", v.update.correction)
    for name, section in (("notes_to_editors", v.notes), ("boilerplate", v.about)):
        if section:
            found += _markdown_facts(name, section.text)
    for i, contact in enumerate(v.contacts):
        found += [Fact(f"contacts[{i}]", line.text) for line in contact.lines]
    return found


def _markdown_facts(name: str, markdown: Markdown) -> list[Fact]:
    return [Fact(name, inline_text(node)) for node in walk(markdown.tree) if node.type == "inline"]


def normalize(text: str) -> str:
    """Compare text across formats: NFC, no whitespace, no hyphens (hyphenation, line breaks)."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[\s\u00ad\-‐]+", "", text)


def verify(project: Project, trees: Trees, now: datetime) -> list[Finding]:
    """Every finding across every release's outputs, the public tree and the feeds."""
    findings: list[Finding] = []
    for release in project.releases:
        findings += _verify_documents(release, trees, release.held_back(now))
    findings += _verify_public_tree(project, trees.out, now)
    findings += _verify_feeds(project, trees.out, now)
    return findings


def _verify_documents(release: Release, trees: Trees, held_back: bool) -> Iterator[Finding]:
    """Each output of a published release in out/; of one under embargo, its documents in
    embargoed/."""
    root = trees.embargoed if held_back else trees.out
    for output in formats.FORMATS:
        if held_back and not output.document:
            continue
        wanted = facts(release, output.document)
        reader = output.read()
        relative = output.path(release.slug)
        path, shown = root / relative, f"{root.name}/{relative}"
        if not path.is_file():
            yield Finding(shown, "file", "missing (run pressexport all)")
            continue
        try:
            text = normalize(reader(path, release))
        except Exception as exc:  # an unreadable output is itself a finding
            yield Finding(shown, "file", f"unreadable: {type(exc).__name__}: {exc}")
            continue
        for fact in wanted:
            if normalize(fact.text) not in text:
                yield Finding(shown, fact.field, f"missing '{_short(fact.text)}'")


def _short(text: str) -> str:
    return text if len(text) < 60 else text[:57] + "..."


_LINK_REFERENCE = re.compile(r" ?\[\d+\]")


def read_text(path: Path, release: Release) -> str:
    """The text of the plain-text output, as an independent reader sees it."""
    # The text version marks links as "text [1]"; the fact is the text.
    return _LINK_REFERENCE.sub("", path.read_text(encoding="utf-8"))


def read_pdf(path: Path, release: Release) -> str:
    """The text of the PDF output, as an independent reader sees it."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    # A printed link is followed by its reference number ("a link[2]"): not the release's text.
    return re.sub(r"\[\d+\]", "", text)


def read_docx(path: Path, release: Release) -> str:
    """The text of the DOCX output, as an independent reader sees it."""
    import zipfile

    # The document's own XML, not python-docx's view of it: every w:t in order, all parts.
    with zipfile.ZipFile(path) as archive:
        parts = [n for n in archive.namelist()
                 if re.match(r"word/(document|header\d*|footer\d*)\.xml", n)]
        texts = []
        for name in sorted(parts, key=lambda n: n != "word/document.xml"):
            root = ET.fromstring(archive.read(name))
            texts += [t.text or "" for t in root.iter(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")]
    return "".join(texts)


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("style", "script", "head")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "script", "head")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def read_html(path: Path, release: Release) -> str:
    """The text of the HTML output, as an independent reader sees it."""
    parser = _HTMLText()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def read_eml(path: Path, release: Release) -> str:
    """The text of the EML output, as an independent reader sees it."""
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    if str(message["Subject"]) != subject(release):
        raise ValueError(f"Subject is '{message['Subject']}', expected '{subject(release)}'")
    names = sorted(part.get_filename() or "" for part in message.iter_attachments())
    expected = sorted([f"{release.slug}.docx", f"{release.slug}.pdf"])
    if names != expected:
        raise ValueError(f"attachments are {names}, expected {expected}")
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return _LINK_REFERENCE.sub("", f"{message['Subject']}\n{body.get_content()}")


def _verify_public_tree(project: Project, out: Path, now: datetime) -> Iterator[Finding]:
    """Nothing in out/ shows or names a release still under embargo: no folder, no link."""
    held = [r for r in project.releases if r.held_back(now)]
    if not held or not out.is_dir():
        return
    for release in held:
        if (out / release.slug).exists():
            yield Finding(f"{out.name}/{release.slug}/", release.slug,
                          "an embargoed release's folder is in the public tree")
    needles = {release.slug: (release.url, f"{release.slug}/", release.id) for release in held}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        text = _public_text(path)
        for slug, marks in needles.items():
            if any(mark in text for mark in marks):
                yield Finding(f"{out.name}/{path.relative_to(out).as_posix()}", slug,
                              "names a release still under embargo")


def _public_text(path: Path) -> str:
    """Everything a file shows or links to, as text (PDF text and link targets, the XML of
    every part of a DOCX, every part of a message)."""
    try:
        if path.suffix == ".pdf":
            from pypdf import PdfReader

            reader = PdfReader(path)
            links = [str(a.get_object().get("/A", {}).get("/URI", ""))
                     for page in reader.pages for a in page.get("/Annots") or []]
            return "\n".join([*(page.extract_text() or "" for page in reader.pages), *links])
        if path.suffix == ".docx":
            import zipfile

            with zipfile.ZipFile(path) as archive:
                return "\n".join(archive.read(n).decode("utf-8", "replace")
                                 for n in archive.namelist() if n.endswith((".xml", ".rels")))
        if path.suffix == ".eml":
            from email import message_from_bytes, policy

            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            return "\n".join(str(part.get_content()) for part in message.walk()
                             if part.get_content_maintype() == "text")
    except Exception as exc:  # unreadable: say so rather than pass it
        return f"unreadable {type(exc).__name__}"
    return path.read_bytes().decode("utf-8", "replace")


def _verify_feeds(project: Project, out: Path, now: datetime) -> Iterator[Finding]:
    """Each feed (site and topics, Atom and RSS) lists exactly the releases it should."""
    expected: dict[str, tuple[Release, ...]] = {
        channel.path(name): channel.releases[: project.site.feed.limit]
        for channel in channels(listed(project.releases, now)) for name in (ATOM, RSS)
    }
    expected.setdefault(ATOM, ())
    expected.setdefault(RSS, ())
    # Feeds on disk that should not exist any more are read too: they may leak an embargo.
    on_disk = {str(p.relative_to(out)) for p in out.glob("topics/*/*.xml")}
    held_back = {r.id for r in project.releases if r.held_back(now)}
    for feed in sorted(expected.keys() | on_disk):
        where, path = f"{out.name}/{feed}", out / feed
        if not path.is_file():
            yield Finding(where, "file", "missing (run pressexport all)")
            continue
        try:
            entries = (_rss_items if feed.endswith(RSS) else _atom_entries)(path)
        except ET.ParseError as exc:  # truncated or not XML: a finding like any other
            yield Finding(where, "file", f"unreadable: not well-formed XML ({exc})")
            continue
        for release in expected.get(feed, ()):
            if release.id not in entries:
                yield Finding(where, release.slug, f"no entry with id {release.id}")
                continue
            title, categories = entries[release.id]
            if title != release.headline:
                yield Finding(where, release.slug, "title differs from the headline")
            if sorted(categories) != sorted(release.topics):
                yield Finding(where, release.slug, f"categories {categories} differ from the "
                                                   f"topics {list(release.topics)}")
        for entry_id in sorted(held_back & entries.keys()):
            yield Finding(where, entry_id, "embargoed release is in the feed")


FeedEntries = dict[str, tuple[str, list[str]]]


def _atom_entries(path: Path) -> FeedEntries:
    """Entry id → (title, categories), read with ElementTree (not feedgen, which wrote it)."""
    root = ET.parse(path).getroot()
    return {e.findtext(f"{ATOM_NS}id") or "": (
        e.findtext(f"{ATOM_NS}title") or "",
        [c.get("label") or c.get("term") or "" for c in e.iter(f"{ATOM_NS}category")],
    ) for e in root.iter(f"{ATOM_NS}entry")}


def _rss_items(path: Path) -> FeedEntries:
    """Item guid → (title, categories)."""
    root = ET.parse(path).getroot()
    return {item.findtext("guid") or "": (
        item.findtext("title") or "", [c.text or "" for c in item.iter("category")],
    ) for item in root.iter("item")}
