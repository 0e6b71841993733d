"""The writers: one module per format, listed in one explicit registry, imported when used."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pressexport.errors import BuildError

if TYPE_CHECKING:
    from datetime import datetime

    from pressexport.i18n import Labels
    from pressexport.load import Project
    from pressexport.model import Release


@dataclass(frozen=True)
class Artifact:
    """One output file: its path relative to out/, and its bytes."""

    path: str
    data: bytes


@dataclass(frozen=True)
class Context:
    """What a writer may read besides the release: the project and the template folder."""

    project: Project
    templates: Path | None

    def release_path(self, release: Release, suffix: str) -> str:
        """`SLUG/SLUG.suffix`, relative to out/."""
        return document_path(release.slug, suffix)


def document_path(slug: str, suffix: str) -> str:
    """Where a release's document lives, relative to out/: `SLUG/SLUG.suffix`."""
    return f"{slug}/{slug}.{suffix}"


def page_path(slug: str) -> str:
    """Where a release's web page lives, relative to out/: `SLUG/index.html`."""
    return f"{slug}/index.html"


ReleaseWriter = Callable[["Release", Context, Mapping[str, bytes]], list[Artifact]]

#: format name → "module:function"; a writer returns the artifacts of one release. Each format
#: lists the formats whose bytes it needs (the .eml: the text and the page as its body, the PDF
#: and the DOCX attached).
RELEASE_WRITERS: dict[str, str] = {
    "text": "pressexport.writers.text:write",
    "html": "pressexport.writers.html:write",
    "pdf": "pressexport.writers.pdf:write",
    "docx": "pressexport.writers.word:write",
    "eml": "pressexport.writers.mail:write",
}
NEEDS: dict[str, tuple[str, ...]] = {
    "eml": ("html", "pdf", "docx"),
}

SiteWriter = Callable[[Context, "datetime", Mapping[str, bytes]], list[Artifact]]

#: Writers of site-wide outputs (feeds, index), run after the releases with the files just made.
SITE_WRITERS: dict[str, str] = {
    "feeds": "pressexport.writers.feeds:write",
    "index": "pressexport.writers.index:write",
}



@dataclass(frozen=True)
class DocumentType:
    """A document each release is offered as: the format writing it, its suffix, its MIME type."""

    format: str
    suffix: str
    mime: str

    def label(self, labels: Labels) -> str:
        """What a link to it says, in the release's language: `PDF`, `Word (DOCX)`."""
        return labels.docx if self.suffix == "docx" else self.suffix.upper()


#: The documents of each release that the feeds enclose and the index links, in that order.
DOWNLOADS = (
    DocumentType("pdf", "pdf", "application/pdf"),
    DocumentType("docx", "docx",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
)

#: The files of each release that site writers read from `files` (the downloads), as format →
#: suffix of `SLUG/SLUG.suffix`. When a run has not made them, the build takes them from out/,
#: or renders them if the format's writer is registered.
SITE_INPUTS: dict[str, str] = {document.format: document.suffix for document in DOWNLOADS}


def release_writer(name: str) -> ReleaseWriter:
    """The writer function registered as `name`; an unknown name is a clear error."""
    try:
        target = RELEASE_WRITERS[name]
    except KeyError:
        known = ", ".join(sorted(RELEASE_WRITERS))
        raise BuildError(f"unknown format '{name}' (known: {known})") from None
    return _import(target)


def site_writer(name: str) -> SiteWriter:
    """The site writer registered as `name`."""
    return _import(SITE_WRITERS[name])


def _import(target: str) -> Callable[..., list[Artifact]]:
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)
