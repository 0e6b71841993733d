"""The build pipeline: load and validate, decide what is out of date, render it in worker
processes into a stage folder, render the site pages, then move everything into place.

Nothing reaches out/ (or embargoed/) before the whole build has succeeded: invalid input found
while rendering leaves both exactly as they were, and a failed step keeps the failed release's
earlier outputs and the site pages as they were.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pressexport import formats, stage, templates
from pressexport import record as records
from pressexport.clock import build_time
from pressexport.commit import Commit, put_in_place
from pressexport.deps import FileDigests, TemplateDigests
from pressexport.errors import BuildError, InputError, UsageError
from pressexport.load import Project, load_project
from pressexport.model import Release
from pressexport.newsroom import Newsroom, Sizes, newsroom
from pressexport.plan import Keys, Step, intact, release_steps
from pressexport.record import Record
from pressexport.stage import OUT, Stage, Trees
from pressexport.workers import Job, Outcome, WarmUp, Workers
from pressexport.writers import Artifact, Context


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
    embargoed: Path | None = None  # default: embargoed/ beside out/

    @property
    def trees(self) -> Trees:
        """The public tree and the embargoed one."""
        return Trees(self.out, self.embargoed or self.out.parent / "embargoed")


@dataclass
class BuildReport:
    """What a build did: outputs rendered and up to date, files written and removed, releases
    held back, published and deleted, failures."""

    rendered: int = 0
    up_to_date: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    held_back: list[Release] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


Progress = Callable[[str], None]


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Validate everything, then bring the selected outputs up to date; raise InputError
    before writing anything."""
    # A long-lived process (serve) builds again and again: a template override added since
    # the last build must be found, not the built-in file Jinja cached before (by the workers
    # too, forked next).
    templates.environment.cache_clear()
    # The workers are forked first: they inherit little, and one imports the writers'
    # libraries (and parses the stylesheets) while this process loads the sources.
    with Workers(options.jobs, WarmUp(options.source, options.templates)) as workers:
        trees = options.trees
        # Read before the lock, the record serves only as a cache of the images known good
        # (their digests); under the lock it is read again if another build changed it since.
        earlier = records.load(trees.out, trees.embargoed)
        project = load_project(options.source, known_images=earlier.images, warn=False,
                               cache=records.location(trees.out).with_suffix(".releases"))
        selected = select(project, options.slugs)
        now = build_time(project.site, options.now)
        held = frozenset(r.slug for r in project.releases if r.held_back(now))
        report = BuildReport(held_back=[r for r in project.releases if r.slug in held])
        with stage.locked(trees) as work:
            record = records.reload(earlier, trees.out, trees.embargoed)
            keys = _keys(project, options.templates, held)
            steps = _plan(project, selected, record, keys, trees, options, held)
            with stage.staging(work, trees) as staged:
                ctx = Context(project, options.templates)
                jobs = _jobs(steps, ctx, trees, held, staged)
                room = newsroom(project.site, project.releases, now, {})
                ahead = Ahead.start(room, ctx, steps, record) \
                    if options.site_outputs and jobs else None
                outcomes = _render(workers, jobs, progress)
                workers.close()  # their memory is not needed for the site pages
                early = ahead.join() if ahead is not None else {}
                report.failures = _failures(outcomes)
                site: dict[str, tuple[str, dict[str, tuple[str, int]]]] = {}
                if options.site_outputs and not report.failures:
                    # After a failed step the site pages stay as they were: they would
                    # announce documents this build could not make.
                    site = _site(ctx, room, keys, record, trees, staged, steps, outcomes,
                                 report, early)
                put_in_place(Commit(trees, staged, record, report), work, steps, outcomes, site,
                             project, options.site_outputs and not report.failures, held)
    return report


def _keys(project: Project, user_templates: Path | None, held: frozenset[str]) -> Keys:
    """The keys of this build's outputs, hashing each input file once (the loader hashed the
    media already)."""
    files = FileDigests({project.media_dir / name: digest
                         for name, digest in project.media_digests.items()})
    return Keys(project, TemplateDigests(user_templates, files), held, files)


def _failures(outcomes: dict[str, Outcome]) -> list[str]:
    """The failed releases, `SLUG: what went wrong`; input problems found while rendering (a
    refused URL) are raised: invalid input writes nothing."""
    problems = [p for o in outcomes.values() for p in o.problems]
    if problems:
        raise InputError(problems)
    return [f"{o.slug}: {o.error}" for o in outcomes.values() if o.error]


def select(project: Project, slugs: Sequence[str]) -> list[Release]:
    """The named releases (all when none is named); an unknown slug is a usage error."""
    if not slugs:
        return list(project.releases)
    known = {r.slug for r in project.releases}
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise UsageError(f"no release called {', '.join(unknown)} in {project.source}/releases/")
    return [project.release(s) for s in slugs]


def _plan(project: Project, selected: list[Release], record: Record, keys: Keys, trees: Trees,
          options: BuildOptions, held: frozenset[str]) -> list[Step]:
    """Every step of the build, release by release."""
    wanted = set(formats.with_needs(options.formats))
    chosen = {r.slug for r in selected}
    steps: list[Step] = []
    for release in project.releases:
        steps += release_steps(release, record, keys, trees,
                               wanted if release.slug in chosen else set(),
                               options.site_outputs, release.slug in held)
    return steps


def _render(workers: Workers, jobs: list[Job], progress: Progress | None) -> dict[str, Outcome]:
    """Run the jobs; outcomes by slug."""
    outcomes = {}
    for outcome in workers.run(jobs):
        outcomes[outcome.slug] = outcome
        if progress:
            progress(outcome.slug)
    return outcomes


def _jobs(steps: Iterable[Step], ctx: Context, trees: Trees, held: frozenset[str],
          staged: Stage) -> list[Job]:
    """The render steps grouped by release; a needed file not rendered is read where it lies."""
    by_slug: dict[str, list[Step]] = {}
    for step in steps:
        by_slug.setdefault(step.slug, []).append(step)
    # A job carries its release: of the project, the worker needs only the folders.
    light = Context(ctx.project.without_releases(), ctx.templates)
    jobs = []
    for slug, mine in by_slug.items():
        rendering = [s for s in mine if s.action == "render"]
        if not rendering:
            continue
        release = ctx.project.release(slug)
        inputs = {s.format: trees.root(s.made.tree) / formats.get(s.format).path(slug)
                  for s in mine if s.action in ("keep", "move") and s.made is not None}
        unpublished = frozenset(other for _, other in release.translations if other in held)
        jobs.append(Job(release, tuple(s.format for s in rendering), rendering[0].tree or OUT,
                        inputs, unpublished, light, staged))
    return jobs


@dataclass
class Ahead:
    """What the site pages need of no document of this build (views, feed content), made while
    the workers render (this process would only be waiting for them), and each site writer's
    outputs made then too: kept when they show no size of a document being rendered (the
    built-in index shows none), so that only the writers that do are left for after."""

    thread: threading.Thread
    pages: dict[str, list[Artifact]]  # by writer, filled by the thread

    @classmethod
    def start(cls, room: Newsroom, ctx: Context, steps: list[Step], record: Record) -> Ahead:
        """Start the work in a thread."""
        pages: dict[str, list[Artifact]] = {}
        thread = threading.Thread(target=_site_ahead, args=(room, ctx, steps, record, pages),
                                  name="pressexport-site", daemon=True)
        thread.start()
        return cls(thread, pages)

    def join(self) -> dict[str, list[Artifact]]:
        """Wait for the work; the site writers' outputs that stand."""
        self.thread.join()
        return self.pages


def _site_ahead(room: Newsroom, ctx: Context, steps: list[Step], record: Record,
                pages: dict[str, list[Artifact]]) -> None:
    for writer in formats.SITE_WRITERS:
        writer.prepare(room, ctx)
    known, pending = _known_sizes(steps, record)
    for writer in formats.SITE_WRITERS:
        sizes = Sizes(known, pending)
        try:
            artifacts = writer.write()(room.with_sizes(sizes), ctx)
        except Exception:  # made again after the render, which reports it
            continue
        if not sizes.read_pending:
            pages[writer.name] = artifacts


def _site(ctx: Context, room: Newsroom, keys: Keys, record: Record, trees: Trees,
          staged: Stage, steps: list[Step], outcomes: dict[str, Outcome],
          report: BuildReport, early: dict[str, list[Artifact]],
          ) -> dict[str, tuple[str, dict[str, tuple[str, int]]]]:
    """Render the site writers whose key changed into the stage (or take what they made
    `early`, showing no size this build changed): writer → (key, files)."""
    sizes = _download_sizes(steps, outcomes, record)
    room = room.with_sizes(sizes)
    made = {}
    for writer in formats.SITE_WRITERS:
        key = keys.site(writer, writer.listing(room), sizes)
        previous = record.site.get(writer.name)
        if previous is not None and previous.key == key and intact(previous, trees):
            report.up_to_date += 1
            continue
        try:
            artifacts = early.get(writer.name) or writer.write()(room, ctx)
        except InputError:
            raise
        except Exception as exc:
            raise BuildError(f"{writer.name}: {type(exc).__name__}: {exc}") from exc
        made[writer.name] = (key, {a.path: staged.write(OUT, a.path, a.data) for a in artifacts})
        report.rendered += 1
    return made


def _known_sizes(steps: list[Step], record: Record) -> tuple[dict[str, int], frozenset[str]]:
    """Before the render: the byte length of every document in out/ this build leaves as it
    is, and the documents it renders into out/ (their lengths are not known yet)."""
    rendered = [s for s in steps if s.action == "render"]
    pending = frozenset(formats.get(s.format).path(s.slug) for s in rendered
                        if s.tree == OUT and formats.get(s.format).download)
    known = _download_sizes([s for s in steps if s.action != "render"], {}, record)
    return {path: size for path, size in known.items() if path not in pending}, pending


def _download_sizes(steps: list[Step], outcomes: dict[str, Outcome],
                    record: Record) -> dict[str, int]:
    """The byte length of every document in out/ once this build is in place."""
    sizes: dict[str, int] = {}
    downloads = {f.name for f in formats.DOWNLOADS}
    for step in steps:
        if step.format not in downloads or step.tree != OUT:
            continue
        if step.action == "render":
            outcome = outcomes[step.slug]
            for rendered in outcome.rendered:
                if rendered.format == step.format:
                    sizes.update({path: size for path, (_, size) in rendered.files.items()})
        elif step.made is not None:
            sizes.update({path: state.size for path, state in step.made.files.items()})
    for made_formats in record.releases.values():  # documents this build left alone
        for name in downloads:
            made = made_formats.get(name)
            if made is not None and made.tree == OUT:
                for path, state in made.files.items():
                    sizes.setdefault(path, state.size)
    return sizes


def default_jobs() -> int:
    """One process per CPU."""
    return os.cpu_count() or 1

