"""The build record: what the last builds made, from which inputs, and where it lies.

It lives outside out/ (out/ is published whole; the record never is), in a `.pressexport/`
folder beside it. A missing, unreadable or foreign record is an empty one: it costs a full
build, never a wrong one, because an output is trusted only when its key (the digest of its
inputs) is unchanged and its files are still there as they were written.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pressexport.output import write_atomic

SCHEMA = 1


@dataclass(frozen=True)
class FileState:
    """A file as a build left it: its content digest, size and modification time."""

    digest: str
    size: int
    mtime_ns: int = 0

    def matches(self, path: Path) -> bool:
        """True while the file at `path` is still the one written (size and mtime unchanged)."""
        try:
            stat = path.stat()
        except OSError:
            return False
        return stat.st_size == self.size and stat.st_mtime_ns == self.mtime_ns


@dataclass(frozen=True)
class Made:
    """One output as built: its key, the tree it lies in (`out` or `embargoed`), its files."""

    key: str
    tree: str
    files: dict[str, FileState]


@dataclass
class Record:
    """Every output of the last builds: releases' by slug and format, the site's by writer."""

    releases: dict[str, dict[str, Made]] = field(default_factory=dict)
    site: dict[str, Made] = field(default_factory=dict)

    def made(self, slug: str, name: str) -> Made | None:
        """What the record holds for release `slug` in format `name`."""
        return self.releases.get(slug, {}).get(name)


def location(out: Path) -> Path:
    """The record's file: `.pressexport/OUT.json` beside the output folder."""
    return out.resolve().parent / ".pressexport" / f"{out.resolve().name}.json"


def load(out: Path, embargoed: Path) -> Record:
    """The record of the builds into `out` and `embargoed`; empty when missing or unusable."""
    try:
        data = json.loads(location(out).read_text(encoding="utf-8"))
        if data.get("schema") != SCHEMA or data.get("embargoed") != _relative(embargoed, out):
            return Record()
        return Record(
            releases={slug: {name: _made(m) for name, m in formats.items()}
                      for slug, formats in data["releases"].items()},
            site={name: _made(m) for name, m in data["site"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Record()


def _made(data: dict) -> Made:
    return Made(str(data["key"]), str(data["tree"]),
                {str(path): FileState(**state) for path, state in data["files"].items()})


def save(record: Record, out: Path, embargoed: Path) -> None:
    """Write the record atomically beside `out`."""
    data = {
        "schema": SCHEMA,
        "embargoed": _relative(embargoed, out),
        "releases": {slug: {name: asdict(m) for name, m in sorted(formats.items())}
                     for slug, formats in sorted(record.releases.items())},
        "site": {name: asdict(m) for name, m in sorted(record.site.items())},
    }
    path = location(out)
    write_atomic(path.parent, path.name, json.dumps(data, separators=(",", ":")).encode("utf-8"))


def _relative(embargoed: Path, out: Path) -> str:
    """The embargoed folder as seen from the record's folder (so a copied workspace keeps its
    record)."""
    return os.path.relpath(embargoed.resolve(), location(out).parent)


def state_of(path: Path, digest: str) -> FileState:
    """The state of a file just put in place."""
    stat = os.stat(path)
    return FileState(digest, stat.st_size, stat.st_mtime_ns)
