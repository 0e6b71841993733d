"""Reading an input file safely: regular files only, and never more than a limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: What a path that is not a regular file is, in words.
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


class RefusedFile(Exception):
    """The file cannot or may not be read; the message says why, without the file's name."""


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path` (symbolic links followed), or RefusedFile when it
    is missing, not a regular file (a pipe or a device would hang or never end) or over `limit`
    bytes: the read stops there, whatever the file's size claims."""
    try:
        _regular(os.stat(path).st_mode)  # a device is not even opened
        # O_NONBLOCK: should the path become a named pipe after the check, opening it cannot hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise RefusedFile(f"cannot be read: {exc.strerror}") from None
    with open(fd, "rb") as handle:
        info = os.fstat(fd)
        _regular(info.st_mode)
        try:
            # The size is a hint for the first read (a file in /proc says 0), not a limit.
            first = min(info.st_size, limit) + 1
            data = handle.read(first)
            if len(data) == first:
                data += handle.read(limit + 1 - first)
        except OSError as exc:
            raise RefusedFile(f"cannot be read: {exc.strerror}") from None
    if len(data) > limit:
        raise RefusedFile(f"is larger than {_size(limit)}: refused")
    return data


def _regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((word for test, word in _KINDS if test(mode)), "a special file")
        raise RefusedFile(f"is {kind}, not a regular file: refused")


def _size(limit: int) -> str:
    """`1 MiB`, `50 MiB`; bytes when not a whole number of MiB."""
    mib = 1024 * 1024
    return f"{limit // mib} MiB" if limit % mib == 0 else f"{limit:,} bytes"
