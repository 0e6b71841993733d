"""Atomic writes of single files (a release created by `new`, the build record): a temporary
file beside the target, then a rename. Builds write out/ through the stage (stage.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pressexport.errors import BuildError


def write_atomic(root: Path, relative: str, data: bytes) -> bool:
    """Write `data` to `root/relative` atomically; return False when the file already held it."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise BuildError(f"refusing to write outside {root}: {relative}")
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise BuildError(f"cannot write {root / relative}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True
