"""Rendering jobs and the processes that run them.

A job renders some formats of one release into the stage folder; a worker sends back only
what it wrote (paths, digests, sizes) and what went wrong, never the bytes, so the parent's
memory and the pipes stay small whatever the size of the archive.
"""

from __future__ import annotations

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
    try:
        return Outcome(job.slug, tuple(_render(shared, job)))
    except InputError as exc:
        return Outcome(job.slug, problems=tuple(exc.problems))
    except BuildError as exc:
        return Outcome(job.slug, error=str(exc))
    except Exception as exc:  # a failed step is reported per release; other releases go on
        return Outcome(job.slug, error=f"{type(exc).__name__}: {exc}")


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


def _start(shared: Shared) -> None:
    global _shared
    _shared = shared


def _run_here(job: Job) -> Outcome:
    assert _shared is not None
    return run(_shared, job)


def run_all(shared: Shared, jobs: Iterable[Job], processes: int) -> Iterator[Outcome]:
    """Run `jobs`, in `processes` worker processes when more than one; outcomes as they come."""
    jobs = list(jobs)
    names = {name for job in jobs for name in job.formats}
    for name in names:  # the writers' heavy libraries are imported once, before forking
        formats.get(name).write()
    if processes <= 1 or len(jobs) <= 1:
        yield from (run(shared, job) for job in jobs)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(min(processes, len(jobs)), mp_context=context,
                             initializer=_start, initargs=(shared,)) as pool:
        yield from pool.map(_run_here, jobs, chunksize=_chunk(len(jobs), processes))


def _chunk(count: int, processes: int) -> int:
    # Small chunks balance the load (a release with photos takes longer); a few per worker
    # keep the round trips few.
    return max(1, min(8, count // (processes * 8)))
