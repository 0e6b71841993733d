"""The build pipeline: load and validate, decide what is out of date, render it in worker
processes into a stage folder, render the site pages, then move everything into place.

Nothing reaches out/ (or embargoed/) before the whole build has succeeded: invalid input found
while rendering leaves both exactly as they were, and a failed step keeps the failed release's
earlier outputs and the site pages as they were.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from pressexport import formats, stage, templates
from pressexport import record as records
from pressexport.clock import build_time
from pressexport.deps import FileDigests, TemplateDigests
from pressexport.errors import BuildError, InputError, UsageError, display_path
from pressexport.fieldtypes import SLUG_RE
from pressexport.layout import RESERVED_SLUGS
from pressexport.load import Project, load_project
from pressexport.model import Release
from pressexport.newsroom import newsroom
from pressexport.plan import Keys, Step, intact, release_steps
from pressexport.record import Made, Record
from pressexport.stage import EMBARGOED, OUT, Stage, Trees
from pressexport.workers import Job, Outcome, Workers
from pressexport.writers import Context

#: Site outputs that exist only while a topic (or a language) has a listed release: without a
#: record, those a build did not make are removed by these patterns.
SITE_LEFTOVERS = ("topics/*/*.xml", "languages/*/*")


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
    # The workers are forked first: they inherit little, and one imports the writers'
    # libraries while this process loads the sources.
    with Workers(options.jobs) as workers:
        trees = options.trees
        # Read before the lock, the record serves only as a cache of the images known good
        # (their digests); under the lock it is read again if another build changed it since.
        earlier = records.load(trees.out, trees.embargoed)
        project = load_project(options.source, known_images=earlier.images, warn=False)
        selected = select(project, options.slugs)
        # A long-lived process (serve) builds again and again: a template override added
        # since the last build must be found, not the built-in file Jinja cached before.
        templates.environment.cache_clear()
        now = build_time(project.site, options.now)
        held = frozenset(r.slug for r in project.releases if r.held_back(now))
        report = BuildReport(held_back=[r for r in project.releases if r.slug in held])
        with stage.locked(trees) as work:
            record = records.reload(earlier, trees.out, trees.embargoed)
            keys = _keys(project, options.templates, held)
            steps = _plan(project, selected, record, keys, trees, options, held)
            with stage.staging(work) as staged:
                ctx = Context(project, options.templates)
                jobs = _jobs(steps, ctx, trees, held, staged)
                outcomes = _render(workers, jobs, progress)
                workers.close()  # their memory is not needed for the site pages
                report.failures = _failures(outcomes)
                site: dict[str, tuple[str, dict[str, tuple[str, int]]]] = {}
                if options.site_outputs and not report.failures:
                    # After a failed step the site pages stay as they were: they would
                    # announce documents this build could not make.
                    site = _site(ctx, keys, record, trees, staged, now, steps, outcomes, report)
                _commit(_Commit(trees, staged, record, report), work, steps, outcomes, site,
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


def _commit(commit: _Commit, work: Path, steps: list[Step], outcomes: dict[str, Outcome],
            site: dict[str, tuple[str, dict[str, tuple[str, int]]]], project: Project,
            publish: bool, held: frozenset[str]) -> None:
    """Move everything into place and keep the record of it."""
    old = commit.old
    commit.record.images = project.verified_images
    with stage.committing(work):
        stage.sync()
        commit.releases(steps, outcomes)
        commit.deleted(project, old)
        if publish:
            commit.site(site, old)
            commit.empty_embargoed(project, held)
        if commit.record != old:
            records.save(commit.record, commit.trees.out, commit.trees.embargoed)


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
                        inputs, unpublished, light, staged.root))
    return jobs


def _site(ctx: Context, keys: Keys, record: Record, trees: Trees, staged: Stage, now: datetime,
          steps: list[Step], outcomes: dict[str, Outcome],
          report: BuildReport) -> dict[str, tuple[str, dict[str, tuple[str, int]]]]:
    """Render the site writers whose key changed into the stage: writer → (key, files)."""
    project = ctx.project
    sizes = _download_sizes(steps, outcomes, record)
    room = newsroom(project.site, project.releases, now, sizes)
    made = {}
    for writer in formats.SITE_WRITERS:
        key = keys.site(writer, room.releases, sizes)
        previous = record.site.get(writer.name)
        if previous is not None and previous.key == key and intact(previous, trees):
            report.up_to_date += 1
            continue
        try:
            artifacts = writer.write()(room, ctx)
        except InputError:
            raise
        except Exception as exc:
            raise BuildError(f"{writer.name}: {type(exc).__name__}: {exc}") from exc
        made[writer.name] = (key, {a.path: staged.write(OUT, a.path, a.data) for a in artifacts})
        report.rendered += 1
    return made


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


class _Commit:
    """Moves a successful build into place and keeps the record of what lies where."""

    def __init__(self, trees: Trees, staged: Stage, old: Record, report: BuildReport) -> None:
        self.trees = trees
        self.staged = staged
        self.old = old
        self.report = report
        self.record = Record({slug: dict(made) for slug, made in old.releases.items()},
                             dict(old.site))

    def releases(self, steps: list[Step], outcomes: dict[str, Outcome]) -> None:
        """Each step of each release that did not fail."""
        for step in steps:
            outcome = outcomes.get(step.slug)
            if outcome is not None and outcome.error:
                continue  # the release's earlier outputs stay, and so does its record
            if step.action == "keep":
                self.report.up_to_date += 1
            elif step.action == "move":
                self._move(step)
            elif step.action == "remove":
                self._forget(step.slug, step.format)
            else:
                assert outcome is not None and step.tree is not None
                files = next(r.files for r in outcome.rendered if r.format == step.format)
                made = self._place(step.key, step.tree, files, step.made)
                self.record.releases.setdefault(step.slug, {})[step.format] = made
                self.report.rendered += 1

    def _place(self, key: str, tree: str, files: dict[str, tuple[str, int]],
               old: Made | None) -> Made:
        """Move staged `files` of `tree` into place (those already there unchanged stay), and
        remove what the `old` output had elsewhere or has no more."""
        root = self.trees.root(tree)
        states = {}
        for path, (digest, _) in files.items():
            target = root / path
            before = old.files.get(path) if old is not None and old.tree == tree else None
            if before is not None and before.digest == digest and before.matches(target):
                states[path] = before  # the same bytes are there already: left untouched
                continue
            stage.put(self.staged.path(tree, path), target)
            states[path] = records.state_of(target, digest)
            self.report.written.append(display_path(target))
        if old is not None:
            old_root = self.trees.root(old.tree)
            for path in old.files:
                if old.tree != tree or path not in files:
                    self._remove(old_root / path, old_root)
        return Made(key, tree, states)

    def _move(self, step: Step) -> None:
        assert step.made is not None and step.tree is not None
        source, target = self.trees.root(step.made.tree), self.trees.root(step.tree)
        for path in step.made.files:
            stage.put(source / path, target / path)
            stage.remove(source / path, source)  # the folders it leaves empty
        self.record.releases.setdefault(step.slug, {})[step.format] = replace(step.made,
                                                                              tree=step.tree)
        if step.tree == OUT and step.made.tree == EMBARGOED and step.slug not in \
                self.report.published:
            self.report.published.append(step.slug)
        self.report.up_to_date += 1

    def _forget(self, slug: str, name: str) -> None:
        made = self.record.releases.get(slug, {}).pop(name, None)
        if made is not None:
            root = self.trees.root(made.tree)
            for path in made.files:
                self._remove(root / path, root)

    def _remove(self, path: Path, root: Path) -> None:
        if path.is_file():
            self.report.removed.append(display_path(path))
        stage.remove(path, root)

    def deleted(self, project: Project, old: Record) -> None:
        """Remove every output of the releases whose files are gone from source/releases/."""
        current = {r.slug for r in project.releases}
        for slug in sorted(set(old.releases) - current):
            for name in list(self.record.releases.get(slug, {})):
                self._forget(slug, name)
            self.record.releases.pop(slug, None)
            self.report.deleted.append(slug)
        if not old.releases:  # no record: folders an earlier build made, recognised by layout
            for tree in (self.trees.out, self.trees.embargoed):
                for folder in _release_folders(tree):
                    if folder.name not in current:
                        shutil.rmtree(folder)
                        self.report.removed.append(display_path(folder) + "/")
                        if folder.name not in self.report.deleted:
                            self.report.deleted.append(folder.name)

    def site(self, made: dict[str, tuple[str, dict[str, tuple[str, int]]]],
             old: Record) -> None:
        """Put the site pages in place; remove those no writer makes any more."""
        for name, (key, files) in made.items():
            self.record.site[name] = self._place(key, OUT, files, old.site.get(name))
        if not old.site:
            produced = {path for m in self.record.site.values() for path in m.files}
            for pattern in SITE_LEFTOVERS:
                for path in sorted(self.trees.out.glob(pattern)):
                    relative = path.relative_to(self.trees.out).as_posix()
                    if path.is_file() and relative not in produced:
                        self._remove(path, self.trees.out)

    def empty_embargoed(self, project: Project, held: frozenset[str]) -> None:
        """A published release keeps nothing under embargoed/."""
        for release in project.releases:
            folder = self.trees.embargoed / release.slug
            if release.slug not in held and folder.is_dir():
                shutil.rmtree(folder)
                self.report.removed.append(display_path(folder) + "/")
        if self.trees.embargoed.is_dir() and not any(self.trees.embargoed.iterdir()):
            os.rmdir(self.trees.embargoed)


def _release_folders(tree: Path) -> list[Path]:
    """Folders of `tree` laid out as a release's (SLUG/SLUG.txt, SLUG/index.html, ...)."""
    if not tree.is_dir():
        return []
    found = []
    for folder in sorted(p for p in tree.iterdir() if p.is_dir()):
        slug = folder.name
        if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
            continue
        if any((folder / f.path(slug).partition("/")[2]).is_file() for f in formats.FORMATS):
            found.append(folder)
    return found


def default_jobs() -> int:
    """One process per CPU."""
    return os.cpu_count() or 1

