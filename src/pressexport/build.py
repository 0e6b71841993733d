"""The build pipeline: load and validate, decide what is out of date, render it in worker
processes into a stage folder, render the site pages, then move everything into place.

Nothing reaches out/ (or embargoed/) before the whole build has succeeded: invalid input found
while rendering leaves both exactly as they were, and a failed step keeps the failed release's
earlier outputs and the site pages as they were.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pressexport import formats, stage, templates
from pressexport import record as records
from pressexport.clock import build_time
from pressexport.commit import Commit, put_in_place
from pressexport.deps import FileDigests, TemplateDigests
from pressexport.errors import InputError, UsageError
from pressexport.load import Project, load_project
from pressexport.model import Release
from pressexport.newsroom import newsroom
from pressexport.plan import Keys, Step, release_steps
from pressexport.record import Record
from pressexport.sitepages import Ahead, Before, finish
from pressexport.stage import OUT, Stage, Trees
from pressexport.workers import Job, Outcome, WarmUp, Workers
from pressexport.writers import Context


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
                before = Before(keys, steps, record, trees)
                ahead = Ahead.start(room, ctx, before) if options.site_outputs and jobs else None
                outcomes = _render(workers, jobs, progress)
                workers.close()  # their memory is not needed for the site pages
                early = ahead.join() if ahead is not None else {}
                report.failures = _failures(outcomes)
                site: dict[str, tuple[str, dict[str, tuple[str, int]]]] = {}
                if options.site_outputs and not report.failures:
                    # After a failed step the site pages stay as they were: they would
                    # announce documents this build could not make.
                    pages = finish(room, ctx, before, staged, outcomes, early)
                    site = pages.made
                    report.rendered += pages.rendered
                    report.up_to_date += pages.up_to_date
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


def default_jobs() -> int:
    """One process per CPU."""
    return os.cpu_count() or 1

