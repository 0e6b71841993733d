"""The PDF: the release's print HTML typeset by WeasyPrint; tagged, self-contained, reproducible."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pressexport import libraries  # noqa: F401  (first: it imports WeasyPrint quickly)

# isort: split
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from pressexport import fonts, templates
from pressexport.canonical import canonical_yaml
from pressexport.errors import BuildError, InputError, Problem, display_path
from pressexport.fetch import SOURCE_URL, TEMPLATES_URL, LocalFetcher, RefusedURL, mounts
from pressexport.layout import document_path
from pressexport.writers import Artifact, Context
from pressexport.writers import html as html_writer

if TYPE_CHECKING:
    from weasyprint.document import Document

    from pressexport.model import Release
    from pressexport.view import ReleaseView

#: PDF/A-3a: archival (fonts embedded, sRGB output intent, XMP metadata) *and* level "a",
#: which requires the tagged logical structure that makes the PDF accessible. Of WeasyPrint's
#: single-choice variants it is the only one that is tagged and archival and keeps the YAML
#: attachment (PDF/A-1 and -2 drop non-PDF attachments; PDF/UA-1 is tagged but not archival).
VARIANT = "pdf/a-3a"
OPTIONS = {"pdf_variant": VARIANT}
PAGE_SIZES = {"A4": "A4", "Letter": "letter"}

# One font configuration and one parsed stylesheet set per process, reused for every release.
FONT_CONFIG = FontConfiguration()
_STYLESHEETS: dict[tuple[object, ...], list[CSS]] = {}
_PAGE_SHEETS: dict[str, CSS] = {}
_FETCHERS: dict[tuple[object, ...], LocalFetcher] = {}


class _WeasyPrintLog(logging.Handler):
    """WeasyPrint's log: an error (an image it could not load) fails the release instead of
    leaving a hole; a warning (say, an unsupported CSS property in a user's stylesheet) is shown
    once; what this writer reports better itself is dropped."""

    OWN = ("Using fontTools instead of HarfBuzz", ".notdef glyph rendered")

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[str] = []
        self.shown: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        """Collect errors; print each new warning once."""
        message = record.getMessage()
        if str(record.msg).startswith(self.OWN):
            return
        if record.levelno >= logging.ERROR:
            message = message.rstrip(": ")
            if message.startswith("Failed to load image"):
                message += " (is it a JPEG, PNG, GIF, WebP or SVG file?)"
            self.errors.append(message)
        elif message not in self.shown:
            self.shown.add(message)
            print(f"pressexport: WeasyPrint: {message}", file=sys.stderr)


_LOG = _WeasyPrintLog()
logging.getLogger("weasyprint").addHandler(_LOG)
_warned = False


def warn_without_harfbuzz_subset() -> None:
    """Say once, on stderr, that fonts are subset by the slow fontTools fallback."""
    global _warned
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    if _warned or (harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0)):
        return
    _warned = True
    print("pressexport: warning: libharfbuzz-subset (HarfBuzz >= 4.1) is not installed, so "
          "PDF fonts are subset by fontTools, about 7 times slower; install it with "
          "'apt-get install libharfbuzz-subset0'.", file=sys.stderr)


warn_without_harfbuzz_subset()  # at import: the build imports writers once, before forking


def fetcher(ctx: Context) -> LocalFetcher:
    """The URL fetcher for `ctx`: source/media/ and the template folders, nothing else."""
    return _fetcher(ctx.project.media_dir, ctx.templates)


def _fetcher(media_dir: Path, user_templates: Path | None) -> LocalFetcher:
    folders = templates.search_path(user_templates)
    key = mounts(media_dir, folders)
    if key not in _FETCHERS:
        _FETCHERS[key] = LocalFetcher(media_dir, folders)
    return _FETCHERS[key]


def stylesheets(ctx: Context, page_size: str) -> list[CSS]:
    """The print stylesheets, parsed once per process (again only if a file changes)."""
    return _stylesheets(ctx.project.media_dir, ctx.templates, page_size)


def warm_up(source: Path, user_templates: Path | None) -> None:
    """Parse the print stylesheets and compile the page template ahead of the first release
    (a worker does it while the build is still loading the sources)."""
    for page_size in PAGE_SIZES:  # the files are parsed once; each size is one @page rule
        sheets = _stylesheets(source / "media", user_templates, page_size)
    html_writer.warm_up(source, user_templates)
    # One small page, so that the fonts are found, loaded and subset once before it counts.
    sample = '<html lang="en"><body><h1>A</h1><p>A <b>b</b> <i>c</i></p></body></html>'
    HTML(string=sample).render(stylesheets=sheets, font_config=FONT_CONFIG).write_pdf()


def _stylesheets(media_dir: Path, user_templates: Path | None, page_size: str) -> list[CSS]:
    names = html_writer.STYLESHEETS["print"]
    paths = [templates.find(user_templates, name) for name in names]
    fetch = _fetcher(media_dir, user_templates)
    key = (*((p, p.stat().st_mtime_ns, p.stat().st_size) for p in paths), fetch.key)
    if key not in _STYLESHEETS:
        # Virtual base URLs: what a stylesheet imports is found on the template search path.
        _STYLESHEETS[key] = [CSS(string=path.read_text(encoding="utf-8"),
                                 base_url=TEMPLATES_URL + name, url_fetcher=fetch,
                                 font_config=FONT_CONFIG)
                             for name, path in zip(names, paths, strict=True)]
    if page_size not in _PAGE_SHEETS:
        _PAGE_SHEETS[page_size] = CSS(string=f"@page {{ size: {PAGE_SIZES[page_size]} }}",
                                      font_config=FONT_CONFIG)
    return [*_STYLESHEETS[key], _PAGE_SHEETS[page_size]]


def render_pdf(v: ReleaseView, ctx: Context) -> bytes:
    """The PDF of a release; a refused URL is an InputError, an uncovered character a
    BuildError."""
    warn_without_harfbuzz_subset()
    release = v.release
    html = html_writer.render(v, ctx, "print")
    _LOG.errors.clear()
    try:
        document = HTML(string=html, base_url=SOURCE_URL, url_fetcher=fetcher(ctx)).render(
            stylesheets=stylesheets(ctx, release.site.pdf.page_size), font_config=FONT_CONFIG,
            **OPTIONS)
        _set_metadata(document, release)
        with source_date_epoch(int(release.date.timestamp())):
            data = document.write_pdf(finisher=_one_af_entry, **OPTIONS)
    except FatalURLFetchingError as exc:
        # A refusal explains itself; an allowed file that could not be read has a cause.
        cause = "" if isinstance(exc, RefusedURL) else f": {exc.__cause__}"
        raise InputError([_problem(release, ctx, f"PDF: {exc}{cause} (check the templates)")]) \
            from None
    if _LOG.errors:
        raise InputError([_problem(release, ctx, f"PDF: {error}") for error in _LOG.errors])
    missing = {cp for font in document.fonts.values() for cp in font.missing}
    if missing:
        raise BuildError(f"PDF: {fonts.missing_message(missing)}")
    assert isinstance(data, bytes)
    return data


def _set_metadata(document: Document, release: Release) -> None:
    # Set here rather than read from <meta> tags, so that a user's template cannot lose them.
    meta = document.metadata
    date = release.date.isoformat(timespec="seconds")  # W3C date-time, as WeasyPrint expects
    meta.title = release.headline
    meta.authors = [release.site.organization.name]
    meta.description = release.summary
    # PDF readers show keywords joined by commas: a topic holding one joins them by semicolons.
    commas = any("," in topic for topic in release.topics)
    meta.keywords = ["; ".join(release.topics)] if commas else list(release.topics)
    meta.created = date
    meta.modified = (release.updated or release.date).isoformat(timespec="seconds")
    meta.lang = release.language
    meta.generator = "pressexport"
    meta.attachments = [_source_attachment(release)]


def _one_af_entry(document: Document, pdf: Any) -> None:
    """Name each attachment once in the catalog's /AF: WeasyPrint's PDF/A-3 step lists the YAML
    both from the name tree and from its file specification."""
    entries = pdf.catalog.get("AF")
    if entries is not None:
        unique = list(dict.fromkeys(entries))
        entries.clear()
        entries.extend(unique)


def _source_attachment(release: Release) -> Attachment:
    # Written afresh from the model: the source file's comments never reach journalists.
    # Dated with the release's dates (WeasyPrint writes them as UTC), never the build time.
    created = release.date.astimezone(UTC).replace(tzinfo=None)
    modified = (release.updated or release.date).astimezone(UTC).replace(tzinfo=None)
    return Attachment(url=f"pressexport:{release.source_name}", name=release.source_name,
                      url_fetcher=_Bytes(canonical_yaml(release), "application/yaml"),
                      description="The canonical data of this release (YAML)",
                      created=created, modified=modified, relationship="Source")


class _Bytes(URLFetcher):
    """Serves one in-memory file (with its MIME type, which WeasyPrint would otherwise guess
    from the machine's MIME database)."""

    def __init__(self, data: bytes, content_type: str) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.data = data
        self.content_type = content_type

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """The one file, whatever the URL."""
        return URLFetcherResponse(url, self.data, {"Content-Type": self.content_type})


@contextmanager
def source_date_epoch(seconds: int) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set for the duration (fontTools stamps fonts with it, not the clock)."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _problem(release: Release, ctx: Context, message: str) -> Problem:
    release_file = display_path(ctx.project.source / "releases" / release.source_name)
    return Problem(release_file, 1, 1, "", message)


def write(v: ReleaseView, ctx: Context, inputs: Mapping[str, bytes]) -> list[Artifact]:
    """out/SLUG/SLUG.pdf."""
    return [Artifact(document_path(v.release.slug, "pdf"), render_pdf(v, ctx))]
