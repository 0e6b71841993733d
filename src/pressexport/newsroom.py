"""What the site-wide outputs list: releases newest first, topic channels, downloads, feed URLs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import TypeVar

from pressexport import formats, i18n
from pressexport.layout import ATOM, RSS, language_folder, topic_folder
from pressexport.model import Release, Site
from pressexport.slugs import slugify
from pressexport.view import ReleaseView, view

T = TypeVar("T")
ATOM_TYPE = "application/atom+xml"
RSS_TYPE = "application/rss+xml"


@dataclass(frozen=True)
class Download:
    """One downloadable document of a release: its type and link text, where it lives under out/
    (and online), its size."""

    suffix: str
    mime: str
    label: str
    path: str
    url: str
    _sizes: Mapping[str, int] = field(repr=False, compare=False)

    @property
    def length(self) -> int:
        """The document's byte length (looked up when shown: see Sizes)."""
        return self._sizes[self.path]


class Sizes(Mapping[str, int]):
    """The byte length of each document under out/, some of them still being rendered
    (`pending`): those count as there, and reading one's length is noted, so that a page made
    before they are known is kept only when it shows none of them."""

    def __init__(self, known: Mapping[str, int], pending: frozenset[str] = frozenset()) -> None:
        self._known = known
        self.pending = pending
        self.read_pending = False

    def __getitem__(self, path: str) -> int:
        if path in self.pending:
            self.read_pending = True
            return 0
        return self._known[path]

    def __contains__(self, path: object) -> bool:
        return path in self._known or path in self.pending

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._known), **dict.fromkeys(sorted(self.pending))})

    def __len__(self) -> int:
        return len(self._known.keys() | self.pending)


@dataclass(frozen=True)
class Channel:
    """One feed pair: the site's (`topic` and `language` None), a topic's (gathering every
    language) or a language's, with its releases newest first."""

    folder: str
    topic: str | None
    releases: tuple[Release, ...]
    language: str | None = None  # a language's channel: its releases only, titled in it

    def path(self, name: str) -> str:
        """`atom.xml` or `topics/TOPIC/atom.xml`, relative to out/."""
        return self.folder + name

    def url(self, site: Site, name: str) -> str:
        """The absolute URL of this channel's feed `name` (ATOM or RSS)."""
        return site.site.base_url + self.path(name)


@dataclass(frozen=True)
class Newsroom:
    """What the site pages show at build time: the published releases newest first, the view
    of each (worded as its page is), and the byte length of each document they offer."""

    site: Site
    releases: tuple[Release, ...]
    unpublished: frozenset[str]
    sizes: Mapping[str, int]  # path under out/ → bytes
    _views: dict[str, ReleaseView] = field(default_factory=dict, compare=False, repr=False)
    _made: dict[tuple[str, str], object] = field(default_factory=dict, compare=False,
                                                 repr=False)

    def view(self, release: Release) -> ReleaseView:
        """The release's view, built once however many pages show it."""
        if release.slug not in self._views:
            self._views[release.slug] = view(release, self.unpublished)
        return self._views[release.slug]

    def once(self, what: str, release: Release, make: Callable[[], T]) -> T:
        """What `make` gives for `release`, made once however many pages need it (a feed
        entry's content, for instance); kept by `with_sizes`."""
        key = (what, release.slug)
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]  # type: ignore[return-value]

    def with_sizes(self, sizes: Mapping[str, int]) -> Newsroom:
        """The same newsroom (what it has made so far included) with the documents' sizes."""
        return replace(self, sizes=sizes)

    @cached_property
    def channels(self) -> list[Channel]:
        """The site channel, then one per topic, then one per language."""
        return channels(list(self.releases), self.site)

    def local(self, language: str | None = None) -> Site:
        """The site's text in `language` (default: site.language)."""
        return localized(self.site, language)

    @property
    def languages(self) -> list[Channel]:
        """The channels of each language with a published release."""
        return [channel for channel in self.channels if channel.language]

    def downloads(self, release: Release) -> tuple[Download, ...]:
        """The release's PDF and DOCX with their byte lengths (those this build has)."""
        labels = i18n.labels(release.language)
        found = []
        for document in formats.DOWNLOADS:
            path = document.path(release.slug)
            if path in self.sizes:
                url = release.site.site.base_url + path
                label = getattr(labels, document.label or document.name)
                found.append(Download(document.suffix, document.mime, label, path, url,
                                      self.sizes))
        return tuple(found)


def newsroom(site: Site, releases: Iterable[Release], now: datetime,
             sizes: Mapping[str, int]) -> Newsroom:
    """The newsroom at `now`: what is published, what is held back."""
    releases = tuple(releases)
    unpublished = frozenset(r.slug for r in releases if r.held_back(now))
    return Newsroom(site, tuple(listed(releases, now)), unpublished, sizes)


def localized(site: Site, language: str | None = None) -> Site:
    """`site` with its text in `language` (default: site.language)."""
    return site.localized(language or site.site.language)


def feed_title(site: Site, channel: Channel) -> str:
    """The feed's title in the channel's language: the feed (or site) title, and the topic for
    a topic feed or the language's own name for a language's feed."""
    local = localized(site, channel.language)
    title = local.feed.title or local.site.title
    if channel.language:
        return f"{title} – {i18n.native_name(channel.language)}"
    return f"{title}: {channel.topic}" if channel.topic else title


def feed_links(site: Site, language: str | None = None) -> list[tuple[str, str, str]]:
    """(MIME type, title, absolute URL) of the feeds a page advertises for autodiscovery
    (`<link rel="alternate">`): its language's feeds first, then the site's."""
    chosen = [Channel(language_folder(language), None, (), language)] if language else []
    chosen.append(Channel("", None, ()))
    links = []
    for channel in chosen:
        title = feed_title(site, channel)
        links += [(ATOM_TYPE, f"{title} (Atom)", channel.url(site, ATOM)),
                  (RSS_TYPE, f"{title} (RSS)", channel.url(site, RSS))]
    return links


def listed(releases: Iterable[Release], now: datetime) -> list[Release]:
    """The releases the index and feeds show at `now`: not held back, newest first.

    Equal dates order by slug, so the order never depends on how files were listed.
    """
    shown = sorted((r for r in releases if not r.held_back(now)), key=lambda r: r.slug)
    return sorted(shown, key=lambda r: r.published, reverse=True)  # stable: keeps slug order


def channels(releases: list[Release], site: Site | None = None) -> list[Channel]:
    """The site channel, then one per topic key (sorted) that has a listed release, gathering
    its releases in every language, then one per language (sorted) that has one.

    A topic of site.yaml's `topics` map is named by its label in site.language; another by the
    newest release's spelling.
    """
    topics: dict[str, list[Release]] = {}
    names: dict[str, str] = {}
    languages: dict[str, list[Release]] = {}
    for release in releases:
        languages.setdefault(release.language, []).append(release)
        keys = release.topic_keys or tuple(slugify(t, fallback="topic") for t in release.topics)
        for topic, key in zip(release.topics, keys, strict=True):
            topics.setdefault(key, []).append(release)
            label = site.topic_label(key, site.site.language) if site else None
            names.setdefault(key, label or topic)
    return [Channel("", None, tuple(releases))] + [
        Channel(topic_folder(key), names[key], tuple(topics[key])) for key in sorted(topics)
    ] + [
        Channel(language_folder(tag), None, tuple(languages[tag]), tag)
        for tag in sorted(languages, key=str.lower)
    ]


def newest_update(releases: Iterable[Release]) -> datetime | None:
    """The latest `last_modified` among `releases` (None when there are none)."""
    return max((r.last_modified for r in releases), default=None)
