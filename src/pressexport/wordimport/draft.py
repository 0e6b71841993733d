"""A release as read from a Word document, before the command's options and site.yaml's
defaults are applied."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from pressexport.errors import Problem


@dataclass(frozen=True)
class Draft:
    """Every field a document gave (None: it gave none), and what could not be placed."""

    headline: str | None = None
    subheadline: str | None = None
    date: date | datetime | None = None
    updated: datetime | None = None
    correction: str | None = None
    id: str | None = None
    embargo: datetime | None = None
    language: str | None = None
    dateline: str | None = None
    topics: tuple[str, ...] = ()
    summary: str | None = None
    body: str | None = None
    notes_to_editors: str | None = None
    media: tuple[Mapping[str, str], ...] = ()
    contacts: tuple[Mapping[str, str], ...] | None = None
    boilerplate: str | None = None
    translations: Mapping[str, str] = field(default_factory=dict)
    #: The release the document was made from (our own documents only).
    source_slug: str | None = None
    source_language: str | None = None
    warnings: tuple[Problem, ...] = ()


def located(file: str, number: int, field_path: str, message: str) -> Problem:
    """A problem at paragraph `number` of a document, as validate locates them (`FILE:N:1:`)."""
    return Problem(file, number, 1, field_path, message)
