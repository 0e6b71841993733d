"""Rendering jobs and the processes that run them.

A job renders some formats of one release into the stage folder; a worker sends back only
what it wrote (paths, digests, sizes) and what went wrong, never the bytes, so the parent's
memory and the pipes stay small whatever the size of the archive.

The workers are forked when a build starts, before the parent loads the sources, so they
inherit little; the first imports the writers' libraries (WeasyPrint takes most of a second)
while the parent loads and plans, the others when their first job comes. A job carries its
release (a few kilobytes), so a worker needs nothing else of the project.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING

from pressexport import collector, formats
from pressexport.errors import BuildError, InputError, Problem
from pressexport.stage import Stage
from pressexport.view import view
from pressexport.writers import Context

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from pressexport.model import Release


@dataclass(frozen=True)
class Job:
    """Render `formats` of `release` into `tree` of the stage. `inputs` names the existing main
    files of needed formats that this job does not render; `unpublished` are the release's
    translations still held back (its view leaves them out)."""

    release: Release
    formats: tuple[str, ...]
    tree: str
    inputs: Mapping[str, Path]
    unpublished: frozenset[str]
    ctx: Context
    stage: Stage

    @property
    def slug(self) -> str:
        """The release's slug."""
        return self.release.slug


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


def run(job: Job) -> Outcome:
    """Render the job's formats; input problems and failures are reported, never raised."""
    try:
        return Outcome(job.slug, tuple(_render(job)))
    except InputError as exc:
        return Outcome(job.slug, problems=tuple(exc.problems))
    except BuildError as exc:
        return Outcome(job.slug, error=str(exc))
    except Exception as exc:  # a failed step is reported per release; other releases go on
        return Outcome(job.slug, error=f"{type(exc).__name__}: {exc}")
    finally:
        job.release.forget_trees()  # memory stays flat however many jobs a process runs


def _render(job: Job) -> Iterator[Rendered]:
    release_view = view(job.release, job.unpublished)
    stage = job.stage
    needed = {need for name in job.formats for need in formats.get(name).needs}
    made: dict[str, bytes] = {}  # main files later formats of this job read
    for name in job.formats:
        output = formats.get(name)
        inputs = {need: made[need] if need in made else job.inputs[need].read_bytes()
                  for need in output.needs}
        files = {}
        for artifact in output.write()(release_view, job.ctx, inputs):
            files[artifact.path] = stage.write(job.tree, artifact.path, artifact.data)
            if name in needed and artifact.path == output.path(job.slug):
                made[name] = artifact.data
        yield Rendered(name, files)


def import_writers(names: Iterable[str] = tuple(f.name for f in formats.FORMATS)) -> None:
    """Import the writers (and their heavy libraries) of `names` in this process."""
    with collector.paused():
        for name in names:
            formats.get(name).write()


@dataclass(frozen=True)
class WarmUp:
    """What a worker prepares before its first job: the sources and the user's templates."""

    source: Path
    templates: Path | None


class Workers:
    """Worker processes for one build (none with one process: jobs then run here). The first
    to start is the first given a job."""

    def __init__(self, processes: int, warm_up: WarmUp) -> None:
        self._context = multiprocessing.get_context("fork")
        self._workers: list[tuple[BaseProcess, Connection]] = []
        if processes > 1:
            for number in range(processes):
                self._start(warm_up if number == 0 else None)

    def _start(self, warm_up: WarmUp | None) -> None:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(theirs, warm_up), daemon=True,
                                        name="pressexport-worker")
        process.start()
        theirs.close()
        self._workers.append((process, ours))

    def run(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        """Run `jobs`; outcomes as they come. A worker that dies fails its job's release."""
        jobs = deque(jobs)
        if not self._workers:
            if jobs:
                import_writers({name for job in jobs for name in job.formats})
            yield from (run(job) for job in jobs)
            return
        idle = deque(self._workers)
        busy: dict[Connection, tuple[BaseProcess, Job]] = {}
        while jobs or busy:
            while jobs and idle:
                process, connection = idle.popleft()
                job = jobs.popleft()
                connection.send(job)
                busy[connection] = (process, job)
            ready = wait([*busy, *(process.sentinel for process, _ in busy.values())])
            for connection, (process, job) in list(busy.items()):
                if connection in ready:
                    try:
                        outcome = connection.recv()
                    except (EOFError, OSError):
                        outcome = self._lost(process, job)
                    else:
                        idle.append((process, connection))
                elif process.sentinel in ready:
                    outcome = self._lost(process, job)
                else:
                    continue
                del busy[connection]
                yield outcome
            if not idle and not busy and jobs:
                raise BuildError("every worker process died")

    def _lost(self, process: BaseProcess, job: Job) -> Outcome:
        """The outcome of a job whose worker died (its place is not taken again)."""
        process.join(timeout=5)
        self._workers = [w for w in self._workers if w[0] is not process]
        return Outcome(job.slug, error=f"the worker process rendering it died (exit status "
                                       f"{process.exitcode})")

    def close(self) -> None:
        """Stop the workers: idle ones at once, whatever they were doing."""
        for process, connection in self._workers:
            connection.close()
            process.terminate()
        for process, _ in self._workers:
            process.join(timeout=5)
        self._workers = []

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(connection: Connection, warm_up: WarmUp | None) -> None:
    """A worker's life: run each job it is sent until the parent closes the pipe."""
    # Ctrl-C is the parent's to handle (it stops the workers); a worker never reports it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    settled = warm_up is not None
    if warm_up is not None:
        import_writers()
        collector.settle()
        for output in formats.FORMATS:
            if connection.poll():  # a job is waiting: it goes first, it warms up as well
                break
            output.warm_up(warm_up.source, warm_up.templates)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):  # the parent is done, or gone
            return
        if not settled:  # the libraries of this job's writers stay until the build ends
            import_writers(job.formats)
            collector.settle()
            settled = True
        connection.send(run(job))
