"""Python's garbage collector, set for the worker processes.

A worker imports the writers' large libraries, which live as long as it does, then renders
document after document. Now and then CPython's collector walks every object the process
holds, the libraries' included: 0.2-0.25 s of a worker's 50 releases here (5 %), and a few
hundredths of a second of its start, on the path of every edit. So no collection runs while
the libraries are imported, and a worker (forked for one build) then leaves what it holds out
of every later collection. The documents' own objects are collected as before.

Every command also ends without that walk: while CPython tears a process down it collects
again, over everything loaded (0.05-0.1 s of an edit's one second here).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No collection inside: what is made there (modules, classes) is not garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def settle() -> None:
    """Leave every object this process holds now out of later collections (they stay until
    it exits, as a worker's libraries do)."""
    gc.freeze()


@functools.cache  # once a process
def quick_exit() -> None:
    """End this process without collecting what it holds: its objects are freed by their
    reference counts as its modules are torn down, and the system takes back the rest."""
    atexit.register(gc.freeze)
