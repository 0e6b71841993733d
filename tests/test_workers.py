"""The worker processes: jobs carry their release, a worker that dies fails only its job."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEED_SLUG, every_construct_release
from pressexport import formats
from pressexport.load import load_project
from pressexport.stage import Stage, Trees
from pressexport.workers import Job, WarmUp, Workers
from pressexport.writers import Artifact, Context


def die(v: object, ctx: object, inputs: object) -> list[Artifact]:
    """A writer whose process dies mid-render (as one killed for memory would)."""
    os._exit(3)


def test_a_worker_that_dies_fails_its_release_and_the_others_go_on(
        workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    every_construct_release(workspace, "2024-11-20-other")
    crash = formats.Format("crash", "crash", "text/plain", f"{__name__}:die", "", "crash")
    monkeypatch.setitem(formats.BY_NAME, "crash", crash)  # before the workers are forked
    project = load_project(workspace / "source")
    ctx = Context(project.without_releases(), None)
    stage = Stage(workspace / "stage", Trees(workspace / "out", workspace / "embargoed"))

    def job(slug: str, name: str) -> Job:
        return Job(project.release(slug), (name,), "out", {}, frozenset(), ctx, stage)

    with Workers(2, WarmUp(workspace / "source", None)) as workers:
        outcomes = list(workers.run([job(SEED_SLUG, "crash"), job("2024-11-20-other", "text"),
                                     job("2024-11-20-other", "text"), job(SEED_SLUG, "text")]))
    failed = [o for o in outcomes if o.error]
    assert [(o.slug, o.error) for o in failed] == [
        (SEED_SLUG, "the worker process rendering it died (exit status 3)")]
    # The other worker took the remaining jobs.
    assert sorted(o.slug for o in outcomes if o.rendered) == [SEED_SLUG, "2024-11-20-other",
                                                             "2024-11-20-other"]
    assert stage.path("out", f"{SEED_SLUG}/{SEED_SLUG}.txt").is_file()


WATCH_SUBPROCESSES = """
import subprocess, sys
ran = []
class Recorded(subprocess.Popen):
    def __init__(self, args, *rest, **options):
        ran.append(args)
        super().__init__(args, *rest, **options)
subprocess.Popen = Recorded
import pressexport.writers.pdf
from weasyprint.text import ffi
print(repr(ran), ffi.harfbuzz_subset is not None)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the search is Linux's")
def test_a_worker_imports_weasyprint_without_running_the_compiler() -> None:
    # ctypes' find_library runs ldconfig, gcc and ld for every name WeasyPrint tries: a fifth
    # of a second or more on the path of every incremental build.
    printed = subprocess.run([sys.executable, "-c", WATCH_SUBPROCESSES], capture_output=True,
                             text=True, check=True).stdout
    assert printed == "[] True\n"



ONLY_THE_SEARCH_FINDS = """
import ctypes.util, cffi, sys
search, dlopen = ctypes.util.find_library, cffi.FFI.dlopen
def opened_only_by_path(self, name, flags=0):
    if ctypes.util.find_library is not search and name == sys.argv[1]:
        raise OSError("not by its soname")  # as a library only gcc's search path knows
    return dlopen(self, name, flags)
cffi.FFI.dlopen = opened_only_by_path
import pressexport.writers.pdf
from weasyprint.text import ffi
print(ffi.pango is not None, ffi.harfbuzz_subset is not None, ctypes.util.find_library is search)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the search is Linux's")
@pytest.mark.parametrize("soname", ["libpango-1.0.so.0", "libharfbuzz-subset.so.0"])
def test_a_library_that_only_the_search_finds_is_still_opened(soname: str) -> None:
    printed = subprocess.run([sys.executable, "-c", ONLY_THE_SEARCH_FINDS, soname],
                             capture_output=True, text=True, check=True).stdout
    assert printed == "True True True\n"  # and WeasyPrint's message of the first try kept quiet
