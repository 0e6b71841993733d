"""The worker processes: jobs carry their release, a worker that dies fails only its job."""

from __future__ import annotations

import gc
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


def collector_state(v: object, ctx: object, inputs: object) -> list[Artifact]:
    """A writer that writes down its process and what the garbage collector leaves out."""
    state = f"{os.getpid()} {gc.get_freeze_count()} {gc.isenabled()}"
    return [Artifact(f"{SEED_SLUG}/{os.getpid()}.gc", state.encode())]


def test_each_worker_leaves_its_libraries_out_of_later_garbage_collections(
        workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = formats.Format("gc", "gc", "text/plain", f"{__name__}:collector_state", "", "gc")
    monkeypatch.setitem(formats.BY_NAME, "gc", state)
    project = load_project(workspace / "source")
    ctx = Context(project.without_releases(), None)
    stage = Stage(workspace / "stage", Trees(workspace / "out", workspace / "embargoed"))
    job = Job(project.release(SEED_SLUG), ("gc",), "out", {}, frozenset(), ctx, stage)
    # The first worker settles after its warm-up imports, the second before its first job.
    with Workers(2, WarmUp(workspace / "source", None)) as workers:
        outcomes = list(workers.run([job, job]))
    assert all(o.rendered and not o.error for o in outcomes)
    states = [path.read_text().split() for path in stage.path("out", SEED_SLUG).glob("*.gc")]
    assert len(states) == 2  # one per worker
    assert all(int(frozen) > 1000 and enabled == "True" for _, frozen, enabled in states)
    assert gc.get_freeze_count() == 0  # the parent (which may build again, in serve) does not


def test_a_command_ends_without_collecting_its_objects_again(workspace: Path) -> None:
    # A handler registered before the command runs after the command's own (last in, first
    # out): it sees what the process is left with as it exits, and that the build was made.
    probe = ("import atexit, gc, sys\n"
             "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 1000))\n"
             "from pressexport.cli import main\n"
             "sys.argv = ['pressexport', 'all', '-q', '-j', '1']\n"
             "main()\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=workspace, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "frozen True"
    assert (workspace / "out" / SEED_SLUG / f"{SEED_SLUG}.pdf").is_file()


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
