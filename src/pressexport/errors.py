"""The error hierarchy: input problems (located, reported together) and build failures."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: What a terminal may act on (C0 and C1 controls, DEL: clear the screen, set the window title,
#: ...), line and paragraph separators, the bidirectional overrides that reorder what is shown,
#: and lone surrogates (from YAML escapes), which no terminal encoding can write.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                       "\ud800-\udfff]")


def escaped(text: str, keep: str = "") -> str:
    """`text` with each control character (but those in `keep`) shown as an escape, `\\x1b`."""

    def escape(found: re.Match[str]) -> str:
        char = found.group()
        return char if char in keep else repr(char)[1:-1]

    return _CONTROLS.sub(escape, text)


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an input file: `FILE:LINE:COL: field.path: message`."""

    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        # Values from the input are echoed in messages: escaped, on a terminal and in a pipe.
        where = f"{self.path}: " if self.path else ""
        return escaped(f"{self.file}:{self.line}:{self.col}: {where}{self.message}")


class PressexportError(Exception):
    """Base of every error pressexport reports to its user."""

    exit_status = 1

    def __str__(self) -> str:
        # One problem a line: line breaks stay, every other control character is escaped.
        return escaped(super().__str__(), keep="\n")


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
    # Made absolute but not resolved: a symbolic link is shown by its own name, not its target's.
    absolute = os.path.abspath(path)
    for cwd in _working_directories(os.getcwd()):
        if absolute == cwd:
            return "."
        if absolute.startswith(cwd):
            return absolute[len(cwd):]
    return str(path)


@lru_cache(maxsize=8)
def _working_directories(cwd: str) -> tuple[str, ...]:
    """The working directory as given and resolved, each ending in a separator (resolved once:
    a load shows thousands of paths)."""
    return tuple(dict.fromkeys(os.path.join(folder, "") for folder in
                               (cwd, os.path.realpath(cwd))))
