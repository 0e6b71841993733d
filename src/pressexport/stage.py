"""The staging folder beside out/: outputs are written there as they are made, and moved into
out/ (or embargoed/) only when the whole build has succeeded.

Everything here happens in `.pressexport/` beside the output folder, under a lock, so two
builds into one folder never interleave. A build killed half way leaves at most a stage folder
(removed by the next build) and, if killed while moving files into place, files whose record
no longer matches them (rebuilt by the next build): never a half-written output.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pressexport.deps import digest
from pressexport.errors import BuildError, display_path

#: The trees a build writes: the public newsroom, and the documents held back by an embargo.
OUT, EMBARGOED = "out", "embargoed"
#: A temporary file of an atomic write (see output.write_atomic): `.NAME.XXXXXXXX.tmp`.
TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


@dataclass(frozen=True)
class Trees:
    """Where the trees lie: the output folder and the embargoed folder."""

    out: Path
    embargoed: Path

    def root(self, tree: str) -> Path:
        """The folder of `tree`."""
        return self.out if tree == OUT else self.embargoed

    @property
    def work(self) -> Path:
        """`.pressexport/` beside the output folder: the record, the lock, the stages."""
        return self.out.resolve().parent / ".pressexport"


@dataclass(frozen=True)
class Stage:
    """One build's staging folder, for the trees it will be moved into."""

    root: Path
    trees: Trees

    def path(self, tree: str, relative: str) -> Path:
        """Where a file of `tree` is staged."""
        return self.root / tree / relative

    def write(self, tree: str, relative: str, data: bytes) -> tuple[str, int]:
        """Stage a file; return its digest and size."""
        path = self.path(tree, relative)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:  # a full disk, say: named as the file it was to become
            target = display_path(self.trees.root(tree) / relative)
            raise BuildError(f"cannot write {target}: {exc.strerror}") from None
        return digest(data), len(data)


@contextlib.contextmanager
def locked(trees: Trees) -> Iterator[Path]:
    """Hold the build lock of these trees; remove what an interrupted build left behind."""
    work = trees.work
    try:
        work.mkdir(parents=True, exist_ok=True)
        lock = (work / "lock").open("a")
    except OSError as exc:
        raise BuildError(f"cannot write {display_path(trees.out)}/ ({display_path(work)}/: "
                         f"{exc.strerror})") from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for leftover in work.glob("stage-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        if (work / "committing").exists():
            # A build died while moving files into place: no temporary file may stay.
            for tree in (trees.out, trees.embargoed):
                remove_temporaries(tree)
        yield work


@contextlib.contextmanager
def staging(work: Path, trees: Trees) -> Iterator[Stage]:
    """A fresh stage folder for `trees`, removed afterwards whatever happens."""
    root = Path(tempfile.mkdtemp(prefix="stage-", dir=work))
    try:
        yield Stage(root, trees)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def committing(work: Path) -> Iterator[None]:
    """Mark the moves into place, so that a build killed among them is cleaned up after."""
    marker = work / "committing"
    marker.touch()
    yield
    marker.unlink(missing_ok=True)


def put(source: Path, target: Path) -> None:
    """Move a staged or existing file to `target`, atomically (rename, or copy then rename
    across file systems)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=".tmp")
            with os.fdopen(fd, "wb") as handle, source.open("rb") as data:
                shutil.copyfileobj(data, handle)
            os.replace(temp, target)
            source.unlink()
    except OSError as exc:
        raise BuildError(f"cannot write {display_path(target)}: {exc.strerror}") from None
    os.chmod(target, 0o644)


def remove(path: Path, root: Path) -> None:
    """Delete a file and the folders it leaves empty, up to (not including) `root`."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    folder = path.parent
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:  # not empty: something else still lives there
            break
        folder = folder.parent


def remove_temporaries(tree: Path) -> None:
    """Delete the temporary files an interrupted atomic write left in `tree`."""
    if tree.is_dir():
        for path in tree.rglob(".*.tmp"):
            if TEMPORARY.match(path.name) and path.is_file():
                path.unlink(missing_ok=True)


def sync() -> None:
    """Flush every staged file to disk before the renames that publish them (one sync for the
    whole build, rather than one per file)."""
    os.sync()
