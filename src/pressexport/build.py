"""The build pipeline: which writers run for which releases, in which processes; then output."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pressexport import formats
from pressexport.clock import build_time
from pressexport.errors import BuildError, InputError, Problem, UsageError
from pressexport.load import Project, load_project
from pressexport.model import Release
from pressexport.newsroom import newsroom
from pressexport.output import remove_stale, write_atomic
from pressexport.view import view
from pressexport.writers import Artifact, Context

#: Site outputs that exist only while their topic has a listed release.
TOPIC_FEEDS = "topics/*/*.xml"


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where: every command's common options, resolved."""

    source: Path
    out: Path
    templates: Path | None
    now: datetime | None = None
    jobs: int = 1
    formats: tuple[str, ...] = tuple(f.name for f in formats.FORMATS)
    slugs: tuple[str, ...] = ()
    site_outputs: bool = True


@dataclass
class BuildReport:
    """What a build did: files written, unchanged and removed, releases held back, failures."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    held_back: list[Release] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Result:
    slug: str
    artifacts: tuple[Artifact, ...] = ()
    problems: tuple[Problem, ...] = ()
    error: str | None = None


Progress = Callable[[str], None]


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Validate everything, then render and write; raise InputError before writing anything."""
    project = load_project(options.source)
    ctx = Context(project, options.templates)
    report = BuildReport()
    releases = select(project, options.slugs)
    now = build_time(project.site, options.now)
    unpublished = frozenset(r.slug for r in project.releases if r.held_back(now))
    files, problems = _render(ctx, releases, formats.with_needs(options.formats), options,
                              report, progress, unpublished)
    site_artifacts: list[Artifact] = []
    # After a failed step the feeds and index are left as they were: they would announce
    # documents this build could not make.
    if options.site_outputs and not report.failures:
        site_artifacts = _render_site(ctx, options, files, problems, report, progress, now)
    # Input problems found while rendering (a refused URL, an unreadable image) are input
    # errors like any other: out/ is left exactly as it was.
    if problems:
        raise InputError(problems)
    for path, data in files.items():
        _write(options.out, Artifact(path, data), report)
    for artifact in site_artifacts:
        _write(options.out, artifact, report)
    if site_artifacts:
        # A topic whose releases are gone or held back again keeps no feed: a stale one could
        # go on serving an embargoed release.
        made = {artifact.path for artifact in site_artifacts}
        report.removed += remove_stale(options.out, TOPIC_FEEDS, made)
    return report


def _render(ctx: Context, releases: list[Release], names: tuple[str, ...],
            options: BuildOptions, report: BuildReport, progress: Progress | None,
            unpublished: frozenset[str]) -> tuple[dict[str, bytes], list[Problem]]:
    """Every artifact of `releases` in formats `names`, by path; nothing is written yet."""
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    for result in _render_all(ctx, releases, names, options.jobs, unpublished):
        if progress:
            progress(result.slug)
        problems += result.problems
        if result.error:
            report.failures.append(f"{result.slug}: {result.error}")
        for artifact in result.artifacts:
            files[artifact.path] = artifact.data
    return files, problems


def _render_site(ctx: Context, options: BuildOptions, files: dict[str, bytes],
                 problems: list[Problem], report: BuildReport,
                 progress: Progress | None, now: datetime) -> list[Artifact]:
    """Feeds and index; renders first the PDF or DOCX they announce that neither run nor out/
    holds (adding them to `files` and any problems to `problems`)."""
    report.held_back = [r for r in ctx.project.releases if r.held_back(now)]
    unpublished = frozenset(r.slug for r in report.held_back)
    inputs = dict(files)  # completed from out/ where this run made no PDF or DOCX
    lacking, names = _site_inputs(ctx, options.out, formats.with_needs(options.formats), inputs,
                                  now)
    if lacking:
        more, more_problems = _render(ctx, lacking, formats.with_needs(names), options, report,
                                      progress, unpublished)
        files.update(more)
        inputs.update(more)
        problems += more_problems
    return [] if problems else _site_artifacts(ctx, now, inputs)


def _site_inputs(ctx: Context, out: Path, made: Sequence[str], files: dict[str, bytes],
                 now: datetime) -> tuple[list[Release], tuple[str, ...]]:
    """Complete `files` with the documents site writers read (writers.SITE_INPUTS).

    A document this run did not make is taken from out/ (it is what the site serves, so its
    length is the one a feed must announce). Returns the listed releases still lacking one
    whose format is registered and was not tried in this run, and those formats, to render.
    """
    lacking: list[Release] = []
    wanted: set[str] = set()
    for release in ctx.project.releases:
        if release.held_back(now):
            continue
        missing = []
        for document in formats.DOWNLOADS:
            path = document.path(release.slug)
            if path in files:
                continue
            if (out / path).is_file():
                files[path] = (out / path).read_bytes()
            elif document.name not in made:
                missing.append(document.name)
        if missing:
            lacking.append(release)
            wanted.update(missing)
    return lacking, tuple(f.name for f in formats.DOWNLOADS if f.name in wanted)


def select(project: Project, slugs: Sequence[str]) -> list[Release]:
    """The named releases (all when none is named); an unknown slug is a usage error."""
    if not slugs:
        return list(project.releases)
    known = {r.slug for r in project.releases}
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise UsageError(f"no release called {', '.join(unknown)} in {project.source}/releases/")
    return [project.release(s) for s in slugs]


def _write(out: Path, artifact: Artifact, report: BuildReport) -> None:
    changed = write_atomic(out, artifact.path, artifact.data)
    (report.written if changed else report.unchanged).append(artifact.path)


# Set in the parent before the worker processes fork, so each worker inherits it unpickled.
_WORK: tuple[Context, tuple[str, ...], frozenset[str]] | None = None


def _render_all(
    ctx: Context, releases: list[Release], names: tuple[str, ...], jobs: int,
    unpublished: frozenset[str],
) -> Iterator[_Result]:
    global _WORK
    if not names:  # `pressexport feed`: nothing to render per release
        return
    _WORK = (ctx, names, unpublished)
    for name in names:  # import the writers (and their heavy libraries) once, before forking
        formats.get(name).write()
    if jobs <= 1 or len(releases) <= 1:
        yield from map(_render_one, (r.slug for r in releases))
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(min(jobs, len(releases)), mp_context=context) as pool:
        yield from pool.map(_render_one, (r.slug for r in releases))


def _render_one(slug: str) -> _Result:
    assert _WORK is not None
    ctx, names, unpublished = _WORK
    release = ctx.project.release(slug)
    release_view = view(release, unpublished)
    made: dict[str, bytes] = {}
    artifacts: list[Artifact] = []
    try:
        for name in names:
            output = formats.get(name)
            for artifact in output.write()(release_view, ctx, made):
                if artifact.path == output.path(slug):
                    made[name] = artifact.data
                artifacts.append(artifact)
    except InputError as exc:
        return _Result(slug, problems=tuple(exc.problems))
    except Exception as exc:  # a failed step is reported per release; other releases go on
        # None of this release's new files is kept: its earlier outputs stay consistent.
        return _Result(slug, error=f"{type(exc).__name__}: {exc}")
    return _Result(slug, tuple(artifacts))


def _site_artifacts(ctx: Context, now: datetime, files: dict[str, bytes]) -> list[Artifact]:
    sizes = {path: len(data) for path, data in files.items()}
    room = newsroom(ctx.project.site, ctx.project.releases, now, sizes)
    artifacts: list[Artifact] = []
    for writer in formats.SITE_WRITERS:
        try:
            artifacts += writer.write()(room, ctx)
        except InputError:
            raise
        except Exception as exc:
            raise BuildError(f"{writer.name}: {type(exc).__name__}: {exc}") from exc
    return artifacts


def default_jobs() -> int:
    """One process per CPU."""
    return os.cpu_count() or 1
