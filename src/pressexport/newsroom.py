"""What the site-wide outputs list: releases newest first, topic channels, downloads, feed URLs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from pressexport import i18n
from pressexport.model import Release, Site
from pressexport.slugs import slugify
from pressexport.writers import DOWNLOADS, document_path

ATOM = "atom.xml"
RSS = "rss.xml"
ATOM_TYPE = "application/atom+xml"
RSS_TYPE = "application/rss+xml"
#: Suffix → MIME type of the documents a release is offered as (writers.DOWNLOADS).
DOWNLOAD_TYPES = {document.suffix: document.mime for document in DOWNLOADS}


@dataclass(frozen=True)
class Download:
    """One downloadable document of a release: its type and link text, where it lives under out/
    (and online), its size."""

    suffix: str
    mime: str
    label: str
    path: str
    url: str
    length: int


@dataclass(frozen=True)
class Channel:
    """One feed pair: the site's (`topic` None) or a topic's, with its releases newest first."""

    folder: str
    topic: str | None
    releases: tuple[Release, ...]

    def path(self, name: str) -> str:
        """`atom.xml` or `topics/TOPIC/atom.xml`, relative to out/."""
        return self.folder + name

    def url(self, site: Site, name: str) -> str:
        """The absolute URL of this channel's feed `name` (ATOM or RSS)."""
        return site.site.base_url + self.path(name)


def feed_title(site: Site, channel: Channel) -> str:
    """The feed's title: the feed (or site) title, and the topic for a topic feed."""
    title = site.feed.title or site.site.title
    return f"{title}: {channel.topic}" if channel.topic else title


def feed_links(site: Site) -> list[tuple[str, str, str]]:
    """(MIME type, title, absolute URL) of the site's feeds, for the release pages'
    autodiscovery `<link rel="alternate">` tags."""
    channel = Channel("", None, ())
    title = feed_title(site, channel)
    return [(ATOM_TYPE, f"{title} (Atom)", channel.url(site, ATOM)),
            (RSS_TYPE, f"{title} (RSS)", channel.url(site, RSS))]


def listed(releases: Iterable[Release], now: datetime) -> list[Release]:
    """The releases the index and feeds show at `now`: not held back, newest first.

    Equal dates order by slug, so the order never depends on how files were listed.
    """
    shown = sorted((r for r in releases if not r.held_back(now)), key=lambda r: r.slug)
    return sorted(shown, key=lambda r: r.date, reverse=True)  # stable: keeps slug order


def channels(releases: list[Release]) -> list[Channel]:
    """The site channel, then one per topic folder (sorted) that has a listed release.

    Topics whose names slugify alike share a folder; the newest release's spelling names it.
    """
    topics: dict[str, list[Release]] = {}
    names: dict[str, str] = {}
    for release in releases:
        for topic in release.topics:
            folder = slugify(topic, fallback="topic")
            topics.setdefault(folder, []).append(release)
            names.setdefault(folder, topic)
    return [Channel("", None, tuple(releases))] + [
        Channel(f"topics/{folder}/", names[folder], tuple(topics[folder]))
        for folder in sorted(topics)
    ]


def downloads(release: Release, files: Mapping[str, bytes]) -> tuple[Download, ...]:
    """The release's PDF and DOCX that exist in `files`, with their byte lengths."""
    labels = i18n.labels(release.language)
    found = []
    for document in DOWNLOADS:
        path = document_path(release.slug, document.suffix)
        if path in files:
            url = release.site.site.base_url + path
            found.append(Download(document.suffix, document.mime, document.label(labels), path,
                                  url, len(files[path])))
    return tuple(found)


def newest_update(releases: Iterable[Release]) -> datetime | None:
    """The latest `last_modified` among `releases` (None when there are none)."""
    return max((r.last_modified for r in releases), default=None)
