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
        return f"{release.slug}/{release.slug}.{suffix}"


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
    "eml": ("text", "html", "pdf", "docx"),
}

SiteWriter = Callable[[Context, "datetime", Mapping[str, bytes]], list[Artifact]]

#: Writers of site-wide outputs (feeds, index), run after the releases with the files just made.
SITE_WRITERS: dict[str, str] = {
    "feeds": "pressexport.writers.feeds:write",
    "index": "pressexport.writers.index:write",
}

#: The files of each release that site writers read from `files` (feeds enclose them, the index
#: links them), as format → suffix of `SLUG/SLUG.suffix`. When a run has not made them, the build
#: takes them from out/, or renders them if the format's writer is registered.
SITE_INPUTS: dict[str, str] = {"pdf": "pdf", "docx": "docx"}


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
