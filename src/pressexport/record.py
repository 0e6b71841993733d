"""The build record: what the last builds made, from which inputs, and where it lies.

It lives outside out/ (out/ is published whole; the record never is), in a `.pressexport/`
folder beside it. A missing, unreadable or foreign record is an empty one: it costs a full
build, never a wrong one, because an output is trusted only when its key (the digest of its
inputs) is unchanged and its files are still there as they were written.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from pressexport.output import write_atomic

SCHEMA = 2


@dataclass(frozen=True)
class FileState:
    """A file as a build left it: its content digest, size and modification time."""

    digest: str
    size: int
    mtime_ns: int = 0

    def matches(self, path: str | os.PathLike[str]) -> bool:
        """True while the file at `path` is still the one written (size and mtime unchanged)."""
        try:
            stat = os.stat(path)
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
    images: frozenset[str] = frozenset()  # digests of media images found good by a decode
    stamp: tuple[int, ...] = field(default=(), compare=False)  # the file's, when read

    def made(self, slug: str, name: str) -> Made | None:
        """What the record holds for release `slug` in format `name`."""
        return self.releases.get(slug, {}).get(name)


def location(out: Path) -> Path:
    """The record's file: `.pressexport/OUT.json` beside the output folder."""
    return out.resolve().parent / ".pressexport" / f"{out.resolve().name}.json"


def load(out: Path, embargoed: Path) -> Record:
    """The record of the builds into `out` and `embargoed`; empty when missing or unusable."""
    path = location(out)
    try:
        stamp = _stamp(path)
        data = json.loads(path.read_bytes())
        if data.get("schema") != SCHEMA or data.get("embargoed") != _relative(embargoed, out):
            return Record()
        return Record(
            releases={slug: {name: _made(m) for name, m in formats.items()}
                      for slug, formats in data["releases"].items()},
            site={name: _made(m) for name, m in data["site"].items()},
            images=frozenset(str(d) for d in data["images"]),
            stamp=stamp,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return Record()


def reload(record: Record, out: Path, embargoed: Path) -> Record:
    """`record` again, read anew only if its file changed since (another build ran)."""
    try:
        if record.stamp and _stamp(location(out)) == record.stamp:
            return record
    except OSError:
        pass
    return load(out, embargoed)


def _stamp(path: Path) -> tuple[int, ...]:
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def _made(data: list) -> Made:
    key, tree, files = data
    return Made(str(key), str(tree), {str(path): FileState(str(d), int(s), int(t))
                                      for path, (d, s, t) in files.items()})


def _data(made: Made) -> list:
    return [made.key, made.tree, {path: [f.digest, f.size, f.mtime_ns]
                                  for path, f in sorted(made.files.items())}]


def save(record: Record, out: Path, embargoed: Path) -> None:
    """Write the record atomically beside `out`."""
    data = {
        "schema": SCHEMA,
        "embargoed": _relative(embargoed, out),
        "releases": {slug: {name: _data(m) for name, m in sorted(formats.items())}
                     for slug, formats in sorted(record.releases.items())},
        "site": {name: _data(m) for name, m in sorted(record.site.items())},
        "images": sorted(record.images),
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
