"""The formats: one declaration each, from which the CLI, downloads, attachments, feed enclosures,
the build and `verify` derive everything they know about a format. Light: imports no writer."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pressexport.errors import BuildError
from pressexport.layout import document_path, page_path


@dataclass(frozen=True)
class Format:
    """One output of every release.

    `writer` and `reader` are "module:function" names, imported only when used: the writer
    renders the release's files, the reader gives `verify` the text an independent library reads
    back. `needs` are the formats whose main file this one's writer reads (the .eml attaches the
    PDF and the DOCX). A `download` is offered as a document: linked from the page and the index,
    enclosed in the feeds. A `document` is sent to journalists before an embargo, so it is built
    (into embargoed/) while the release is held back; the web page is not a document: it exists
    only once the release is published.
    """

    name: str
    suffix: str
    mime: str
    writer: str
    reader: str
    command: str  # the CLI command that builds it
    needs: tuple[str, ...] = ()
    download: bool = False
    document: bool = True
    label: str | None = None  # a download's link text: the name of its i18n label
    templates: tuple[str, ...] = ()  # what it renders with (what these refer to is followed)

    def path(self, slug: str) -> str:
        """Where the format's main file lives, relative to out/ (or embargoed/)."""
        return page_path(slug) if self.suffix == "html" else document_path(slug, self.suffix)

    def write(self) -> Callable[..., Any]:
        """The writer function (imported now)."""
        return _import(self.writer)

    def read(self) -> Callable[..., Any]:
        """The verify reader function (imported now)."""
        return _import(self.reader)

    def warm_up(self, source: Path, user_templates: Path | None) -> None:
        """Let the writer's module prepare what every release reuses (its `warm_up`, if it has
        one: parsed stylesheets, compiled templates); a problem is left for the render to
        report."""
        module = importlib.import_module(self.writer.partition(":")[0])
        with contextlib.suppress(Exception):
            getattr(module, "warm_up", lambda *args: None)(source, user_templates)


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: The templates, by what they are for (each found on the template search path, so a user's
#: file of the same name overrides it).
PAGE_TEMPLATE = "html/release.html.j2"
TEXT_TEMPLATE = "text/release.txt.j2"
REFERENCE_DOCX = "docx/reference.docx"
FEED_CONTENT_TEMPLATE = "feeds/content.html.j2"
INDEX_TEMPLATE = "html/index.html.j2"
INDEX_STYLESHEET = "html/index.css"
#: The stylesheets of each purpose of the page template, in cascade order; html/languages.css
#: (scripts, right to left) comes last in every one.
STYLESHEETS: dict[str, tuple[str, ...]] = {
    "screen": ("html/release.css", "html/screen.css", "html/languages.css"),
    "print": ("html/release.css", "html/print.css", "html/languages.css"),
    "email": ("html/release.css", "html/screen.css", "html/languages.css"),
}

#: Every format, in build order (a format after those it needs).
FORMATS: tuple[Format, ...] = (
    Format("text", "txt", "text/plain", "pressexport.writers.text:write",
           "pressexport.verify:read_text", command="email", templates=(TEXT_TEMPLATE,)),
    Format("pdf", "pdf", "application/pdf", "pressexport.writers.pdf:write",
           "pressexport.verify:read_pdf", command="pdf", download=True, label="pdf",
           templates=(PAGE_TEMPLATE, *STYLESHEETS["print"])),
    Format("docx", "docx", DOCX_MIME, "pressexport.writers.word:write",
           "pressexport.verify:read_docx", command="docx", download=True, label="docx",
           templates=(REFERENCE_DOCX,)),
    # The page links the PDF and the DOCX with their sizes.
    Format("html", "html", "text/html", "pressexport.writers.html:write",
           "pressexport.verify:read_html", command="html", needs=("pdf", "docx"),
           document=False, templates=(PAGE_TEMPLATE, *STYLESHEETS["screen"])),
    Format("eml", "eml", "message/rfc822", "pressexport.writers.mail:write",
           "pressexport.verify:read_eml", command="email", needs=("pdf", "docx"),
           templates=(TEXT_TEMPLATE, PAGE_TEMPLATE, *STYLESHEETS["email"])),
)
BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}
#: The documents each release is offered as, in this order (the feeds enclose them).
DOWNLOADS: tuple[Format, ...] = tuple(f for f in FORMATS if f.download)
#: CLI command → the formats it builds.
COMMANDS: dict[str, tuple[str, ...]] = {}
for _format in FORMATS:
    COMMANDS.setdefault(_format.command, ())
    COMMANDS[_format.command] += (_format.name,)


def get(name: str) -> Format:
    """The format called `name`; an unknown name is a clear error."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise BuildError(f"unknown format '{name}' (known: {', '.join(sorted(BY_NAME))})") \
            from None


def with_needs(names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """`names` plus the formats they need, in build order."""
    wanted: set[str] = set()

    def add(name: str) -> None:
        wanted.add(get(name).name)
        for need in BY_NAME[name].needs:
            add(need)

    for name in names:
        add(name)
    return tuple(f.name for f in FORMATS if f.name in wanted)


@dataclass(frozen=True)
class SiteWriter:
    """A writer of site-wide outputs (the feeds, the index), run after the releases."""

    name: str
    writer: str
    templates: tuple[str, ...]

    def write(self) -> Callable[..., Any]:
        """The writer function (imported now)."""
        return _import(self.writer)

    def listing(self, room: Any) -> Any:
        """What the writer's outputs list, as (channel, releases) pairs: its `listing`, if it
        has one, else every release of the newsroom `room` (then any edit renders it again)."""
        module = importlib.import_module(self.writer.partition(":")[0])
        return getattr(module, "listing", lambda room: [("", room.releases)])(room)

    def prepare(self, *args: Any) -> None:
        """Let the writer make ahead what needs no document of this build (its `prepare`, if
        it has one); a problem is left for the writer to report."""
        module = importlib.import_module(self.writer.partition(":")[0])
        with contextlib.suppress(Exception):
            getattr(module, "prepare", lambda *args: None)(*args)


SITE_WRITERS: tuple[SiteWriter, ...] = (
    SiteWriter("feeds", "pressexport.writers.feeds:write", (FEED_CONTENT_TEMPLATE,)),
    SiteWriter("index", "pressexport.writers.index:write", (INDEX_TEMPLATE, INDEX_STYLESHEET)),
)


def _import(target: str) -> Callable[..., Any]:
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)
