"""Putting a successful build in place: staged files moved into out/ and embargoed/, outputs
moved between them, what no build makes any more removed, and the record of what lies where."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pressexport import formats, stage
from pressexport import record as records
from pressexport.errors import display_path
from pressexport.fieldtypes import SLUG_RE
from pressexport.layout import RESERVED_SLUGS
from pressexport.load import Project
from pressexport.plan import Step
from pressexport.record import Made, Record
from pressexport.stage import EMBARGOED, OUT, Stage, Trees
from pressexport.workers import Outcome

if TYPE_CHECKING:
    from pressexport.build import BuildReport

#: Site outputs that exist only while a topic (or a language) has a listed release: without a
#: record, those a build did not make are removed by these patterns.
SITE_LEFTOVERS = ("topics/*/*.xml", "languages/*/*")


def put_in_place(commit: Commit, work: Path, steps: list[Step], outcomes: dict[str, Outcome],
            site: dict[str, tuple[str, dict[str, tuple[str, int]]]], project: Project,
            publish: bool, held: frozenset[str]) -> None:
    """Move everything into place and keep the record of it (under the build lock, `work`
    being its folder)."""
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


class Commit:
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
