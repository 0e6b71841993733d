"""Rendering jobs and the processes that run them.

A job renders some formats of one release into the stage folder; a worker sends back only
what it wrote (paths, digests, sizes) and what went wrong, never the bytes, so the parent's
memory and the pipes stay small whatever the size of the archive.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pressexport import formats
from pressexport.errors import BuildError, InputError, Problem
from pressexport.stage import Stage
from pressexport.view import view
from pressexport.writers import Context


@dataclass(frozen=True)
class Job:
    """Render `formats` of release `slug` into `tree` of the stage. `inputs` names the existing
    main files of needed formats that this job does not render."""

    slug: str
    formats: tuple[str, ...]
    tree: str
    inputs: Mapping[str, Path]


@dataclass(frozen=True)
class Rendered:
    """One format of a release, rendered and staged: each file's digest and size."""

    format: str
    files: Mapping[str, tuple[str, int]]


@dataclass(frozen=True)
class Outcome:
    """What a job did: the formats it rendered, or the input problems or the failure that
    stopped it (then nothing of the release is kept)."""

    slug: str
    rendered: tuple[Rendered, ...] = ()
    problems: tuple[Problem, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class Shared:
    """What every job of a build reads: the context, the releases not yet published, the stage."""

    ctx: Context
    unpublished: frozenset[str]
    stage: Stage


def run(shared: Shared, job: Job) -> Outcome:
    """Render the job's formats; input problems and failures are reported, never raised."""
    release = shared.ctx.project.release(job.slug)
    try:
        return Outcome(job.slug, tuple(_render(shared, job)))
    except InputError as exc:
        return Outcome(job.slug, problems=tuple(exc.problems))
    except BuildError as exc:
        return Outcome(job.slug, error=str(exc))
    except Exception as exc:  # a failed step is reported per release; other releases go on
        return Outcome(job.slug, error=f"{type(exc).__name__}: {exc}")
    finally:
        release.forget_trees()  # a worker's memory stays flat however many jobs it runs


def _render(shared: Shared, job: Job) -> Iterator[Rendered]:
    release_view = view(shared.ctx.project.release(job.slug), shared.unpublished)
    needed = {need for name in job.formats for need in formats.get(name).needs}
    made: dict[str, bytes] = {}  # main files later formats of this job read
    for name in job.formats:
        output = formats.get(name)
        inputs = {need: made[need] if need in made else job.inputs[need].read_bytes()
                  for need in output.needs}
        files = {}
        for artifact in output.write()(release_view, shared.ctx, inputs):
            files[artifact.path] = shared.stage.write(job.tree, artifact.path, artifact.data)
            if name in needed and artifact.path == output.path(job.slug):
                made[name] = artifact.data
        yield Rendered(name, files)


# The state of a worker process, set once by the pool's initializer (with the "fork" start
# method the initializer's arguments are inherited, not pickled).
_shared: Shared | None = None


def _start(shared: Shared, names: tuple[str, ...]) -> None:
    global _shared
    _shared = shared
    _import_writers(names)


def _import_writers(names: Iterable[str]) -> None:
    """Import the writers (and their heavy libraries) of `names` in this process."""
    for name in names:
        formats.get(name).write()


def _run_here(job: Job) -> Outcome:
    assert _shared is not None
    return run(_shared, job)


def run_all(shared: Shared, jobs: Iterable[Job], processes: int) -> Iterator[Outcome]:
    """Run `jobs`, in `processes` worker processes when more than one; outcomes as they come."""
    jobs = list(jobs)
    names = tuple(sorted({name for job in jobs for name in job.formats}))
    if processes <= 1 or len(jobs) <= 1:
        _import_writers(names)
        yield from (run(shared, job) for job in jobs)
        return
    # The workers import the writers' libraries themselves, in parallel, so that the parent
    # stays small; what the parent holds is frozen out of the garbage collector's sweeps, which
    # would otherwise touch (and so copy) every inherited page in every worker.
    gc.freeze()
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(min(processes, len(jobs)), mp_context=context,
                                 initializer=_start, initargs=(shared, names)) as pool:
            yield from pool.map(_run_here, jobs, chunksize=_chunk(len(jobs), processes))
    finally:
        gc.unfreeze()  # a long-lived parent (serve) collects its garbage again


def _chunk(count: int, processes: int) -> int:
    # Small chunks balance the load (a release with photos takes longer); a few per worker
    # keep the round trips few.
    return max(1, min(8, count // (processes * 8)))
