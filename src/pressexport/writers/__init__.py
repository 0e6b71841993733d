"""The writers: one module per format (declared in pressexport.formats), imported when used.

A release writer takes the release's view, the context and the main files of the formats it
needs (format name → bytes) and returns its artifacts; it never touches the disk or the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pressexport.load import Project


@dataclass(frozen=True)
class Artifact:
    """One output file: its path relative to out/, and its bytes."""

    path: str
    data: bytes


@dataclass(frozen=True)
class Context:
    """What a writer may read besides the release's view: the project and the template folder."""

    project: Project
    templates: Path | None
