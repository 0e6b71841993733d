"""What a build must do with each output: render it, keep it, move it between the public tree and
the embargoed one, or remove it; decided from the record and the digests of the inputs."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from pressexport import deps, formats
from pressexport.deps import FileDigests, TemplateDigests
from pressexport.formats import Format
from pressexport.load import Project
from pressexport.model import Release
from pressexport.record import Made, Record
from pressexport.stage import EMBARGOED, OUT, Trees

Action = Literal["render", "keep", "move", "remove"]


@dataclass(frozen=True)
class Step:
    """One output of one release and what the build does with it (`tree`: where it ends up)."""

    slug: str
    format: str
    action: Action
    tree: str | None
    key: str = ""
    made: Made | None = None


@dataclass
class Keys:
    """The key of every output: one digest over all it is made from."""

    project: Project
    templates: TemplateDigests
    unpublished: frozenset[str]
    files: FileDigests = field(default_factory=FileDigests)
    _memo: dict[tuple[str, str], str] = field(default_factory=dict)

    def release(self, release: Release, output: Format) -> str:
        """The key of `release` in format `output`."""
        memo = (release.slug, output.name)
        if memo not in self._memo:
            self._memo[memo] = deps.combine(
                self._inputs(release), output.name, self.templates.of(output.templates),
                (self.release(release, formats.get(need)) for need in output.needs),
            )
        return self._memo[memo]

    def _inputs(self, release: Release) -> str:
        """One digest over what every output of `release` is made from (once per build)."""
        memo = (release.slug, "")
        if memo not in self._memo:
            media = self.project.media_dir
            used = [release.site.organization.logo, *(item.file for item in release.media)]
            self._memo[memo] = deps.combine(
                deps.engine(), self._source(release), self._site,
                (f"{name}={self.files.of(media / name)}" for name in used if name),
                # What the view shows of the build time: the translations already published.
                (slug for _, slug in release.translations if slug not in self.unpublished),
            )
        return self._memo[memo]

    def site(self, writer: formats.SiteWriter, listing: Iterable[tuple[str, Sequence[Release]]],
             sizes: dict[str, int]) -> str:
        """The key of a site writer's outputs, given what they list: (channel, releases newest
        first) pairs."""
        return deps.combine(
            deps.engine(), writer.name, self._site, self.templates.of(writer.templates),
            (deps.combine(channel, (self._listed(release, sizes) for release in releases))
             for channel, releases in listing),
        )

    def _listed(self, release: Release, sizes: dict[str, int]) -> str:
        """What a site page may show of `release`: its file, its published translations and
        the byte length of each of its documents."""
        return deps.combine(release.slug, self._source(release),
                            (slug for _, slug in release.translations
                             if slug not in self.unpublished),
                            (str(sizes.get(f.path(release.slug))) for f in formats.DOWNLOADS))

    @cached_property
    def _site(self) -> str:
        return deps.digest(self.project.site_source)

    def _source(self, release: Release) -> str:
        """The digest of the release's file (once per build)."""
        memo = (release.slug, "source")
        if memo not in self._memo:
            self._memo[memo] = deps.digest(release.source_bytes)
        return self._memo[memo]


def destination(release: Release, output: Format, held_back: bool) -> str | None:
    """Where an output belongs: out/ once published; a document of a release under embargo in
    embargoed/ (to be sent); the web page of one nowhere."""
    if not held_back:
        return OUT
    return EMBARGOED if output.document else None


def intact(made: Made, trees: Trees) -> bool:
    """True while every file of `made` is where the record says, as it was written."""
    root = os.fspath(trees.root(made.tree))
    return all(state.matches(os.path.join(root, path)) for path, state in made.files.items())


def release_steps(release: Release, record: Record, keys: Keys, trees: Trees,
                  wanted: Set[str], publish: bool, held_back: bool) -> list[Step]:
    """What to do with each output of `release`.

    `wanted` formats are brought up to date; when the build `publish`es (it writes the index
    and feeds), so is every output of a published release that out/ lacks. Whatever the
    command, nothing of a release under embargo stays in out/.
    """
    state = {}
    chosen = set()
    for output in formats.FORMATS:
        made = record.made(release.slug, output.name)
        tree = destination(release, output, held_back)
        whole = made is not None and intact(made, trees)
        state[output.name] = (made, tree, whole)
        if output.name in wanted or (publish and tree == OUT and not (whole and made.tree == tree)):
            chosen.add(output.name)
    steps = []
    rendered = formats.with_needs(sorted(chosen))
    for output in formats.FORMATS:
        made, tree, whole = state[output.name]
        if output.name in rendered:
            steps.append(_step(release, output, made, whole, tree, keys))
        elif made is not None and made.tree == OUT and tree != OUT:
            # Made public before an embargo was set (or before --now moved back): withdraw it.
            steps.append(_step(release, output, made, whole, tree, keys, render=False))
    return steps


def _step(release: Release, output: Format, made: Made | None, whole: bool, tree: str | None,
          keys: Keys, render: bool = True) -> Step:
    if tree is None:
        return Step(release.slug, output.name, "remove", None, made=made)
    key = keys.release(release, output)
    if whole and made is not None and made.key == key:
        return Step(release.slug, output.name, "keep" if made.tree == tree else "move", tree,
                    key, made)
    if not render:
        return Step(release.slug, output.name, "remove", None, made=made)
    return Step(release.slug, output.name, "render", tree, key, made)
