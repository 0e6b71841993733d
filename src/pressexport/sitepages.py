"""A build's site pages (the feeds, the index): made while the workers render the releases,
from what is known before (the plan, the record), and finished once the documents' sizes are.

A site writer's outputs made ahead are kept when they showed no size of a document being
rendered (the built-in index shows none), so that an edit waits only for the writers that do
(the feeds, and only when one of them lists the edited release).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from pressexport import formats
from pressexport.errors import BuildError, InputError
from pressexport.newsroom import Newsroom, Sizes
from pressexport.plan import Keys, Step, intact
from pressexport.record import Record
from pressexport.stage import OUT, Stage, Trees
from pressexport.workers import Outcome
from pressexport.writers import Artifact, Context


@dataclass(frozen=True)
class Before:
    """What is known of the build before the render: the keys, the steps, the record."""

    keys: Keys
    steps: list[Step]
    record: Record
    trees: Trees


@dataclass
class Ahead:
    """What the site pages need of no document of this build (views, feed content), made while
    the workers render (this process would only be waiting for them), and each site writer's
    outputs made then too: kept when they show no size of a document being rendered (the
    built-in index shows none), so that only the writers that do are left for after."""

    thread: threading.Thread
    pages: dict[str, list[Artifact]]  # by writer, filled by the thread

    @classmethod
    def start(cls, room: Newsroom, ctx: Context, before: Before) -> Ahead:
        """Start the work in a thread."""
        pages: dict[str, list[Artifact]] = {}
        thread = threading.Thread(target=_site_ahead, args=(room, ctx, before, pages),
                                  name="pressexport-site", daemon=True)
        thread.start()
        return cls(thread, pages)

    def join(self) -> dict[str, list[Artifact]]:
        """Wait for the work; the site writers' outputs that stand."""
        self.thread.join()
        return self.pages


def _site_ahead(room: Newsroom, ctx: Context, before: Before,
                pages: dict[str, list[Artifact]]) -> None:
    known, pending = _known_sizes(before.steps, before.record)
    for writer in formats.SITE_WRITERS:
        listing = writer.listing(room)
        shown = {f.path(r.slug) for _, releases in listing for r in releases
                 for f in formats.DOWNLOADS}
        if not shown & pending and _up_to_date(writer, before.keys.site(writer, listing, known),
                                               before.record, before.trees):
            continue  # it lists nothing this build renders: its key is known, and unchanged
        writer.prepare(room, ctx)
        sizes = Sizes(known, pending)
        try:
            artifacts = writer.write()(room.with_sizes(sizes), ctx)
        except Exception:  # made again after the render, which reports it
            continue
        if not sizes.read_pending:
            pages[writer.name] = artifacts


def _up_to_date(writer: formats.SiteWriter, key: str, record: Record, trees: Trees) -> bool:
    """Whether the site writer's outputs are in place as the record says, made with `key`."""
    previous = record.site.get(writer.name)
    return previous is not None and previous.key == key and intact(previous, trees)


@dataclass
class SitePages:
    """The site writers' outputs made by a build (writer → key and files), and how many
    writers rendered and were up to date."""

    made: dict[str, tuple[str, dict[str, tuple[str, int]]]] = field(default_factory=dict)
    rendered: int = 0
    up_to_date: int = 0


def finish(room: Newsroom, ctx: Context, before: Before, staged: Stage,
           outcomes: dict[str, Outcome], early: dict[str, list[Artifact]]) -> SitePages:
    """Render the site writers whose key changed into the stage (or take what they made
    `early`, showing no size this build changed)."""
    sizes = _download_sizes(before.steps, outcomes, before.record)
    room = room.with_sizes(sizes)
    pages = SitePages()
    for writer in formats.SITE_WRITERS:
        key = before.keys.site(writer, writer.listing(room), sizes)
        if _up_to_date(writer, key, before.record, before.trees):
            pages.up_to_date += 1
            continue
        try:
            artifacts = early.get(writer.name) or writer.write()(room, ctx)
        except InputError:
            raise
        except Exception as exc:
            raise BuildError(f"{writer.name}: {type(exc).__name__}: {exc}") from exc
        pages.made[writer.name] = (key, {a.path: staged.write(OUT, a.path, a.data)
                                         for a in artifacts})
        pages.rendered += 1
    return pages


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
