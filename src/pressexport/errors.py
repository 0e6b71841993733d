"""The error hierarchy: input problems (located, reported together) and build failures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an input file: `FILE:LINE:COL: field.path: message`."""

    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}:{self.col}: {where}{self.message}"


class PressexportError(Exception):
    """Base of every error pressexport reports to its user."""

    exit_status = 1


class InputError(PressexportError):
    """The sources are invalid; carries every problem found, sorted by file and position."""

    exit_status = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(PressexportError):
    """The command line asks for something that cannot be done (unknown slug, missing folder)."""

    exit_status = 2


class BuildError(PressexportError):
    """A build step failed after the input was found valid."""

    exit_status = 1


def display_path(path: Path) -> str:
    """Show `path` relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
