"""Python's garbage collector, set for the worker processes.

A worker imports the writers' large libraries, which live as long as it does, then renders
document after document. Now and then CPython's collector walks every object the process
holds, the libraries' included: 0.2-0.25 s of a worker's 50 releases here (5 %), and a few
hundredths of a second of its start, on the path of every edit. So no collection runs while
the libraries are imported, and a worker (forked for one build) then leaves what it holds out
of every later collection. The documents' own objects are collected as before.
"""

from __future__ import annotations

import contextlib
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
