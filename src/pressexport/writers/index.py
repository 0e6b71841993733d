"""The newsroom index page: releases newest first, their documents, and the feeds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from pressexport import i18n, newsroom, templates
from pressexport.model import Release, Site
from pressexport.newsroom import ATOM, RSS, Channel, Download
from pressexport.writers import Artifact, Context

TEMPLATE = "html/index.html.j2"
STYLESHEET = "html/index.css"
STYLESHEET_OUT = "index.css"


@dataclass(frozen=True)
class Item:
    """One release as the index lists it (links relative to the index page)."""

    release: Release
    date: str
    language_name: str
    downloads: tuple[Download, ...]
    translations: tuple[tuple[str, str, str], ...]  # (language tag, name, page href)


def write(ctx: Context, now: datetime, files: Mapping[str, bytes]) -> list[Artifact]:
    """out/index.html and its stylesheet out/index.css."""
    site = ctx.project.site
    releases = newsroom.listed(ctx.project.releases, now)
    channels = newsroom.channels(releases)
    labels = i18n.labels(site.site.language)
    env = templates.environment(ctx.templates, autoescape=True)
    html = env.get_template(TEMPLATE).render(
        site=site,
        labels=labels,
        items=[_item(release, files) for release in releases],
        multilingual=len({release.language for release in releases}) > 1,
        feeds=_feed_links(site, channels[0]),
        topics=[(channel.topic, _feed_links(site, channel)) for channel in channels[1:]],
        stylesheet=STYLESHEET_OUT,
    )
    css = templates.find(ctx.templates, STYLESHEET).read_bytes()
    return [Artifact("index.html", html.encode("utf-8")), Artifact(STYLESHEET_OUT, css)]


def _item(release: Release, files: Mapping[str, bytes]) -> Item:
    site = release.site
    translations = tuple(
        (tag, i18n.language_name(tag, tag), f"{slug}/") for tag, slug in release.translations
    )
    return Item(
        release=release,
        date=i18n.long_date(release.date.astimezone(site.tz), release.language),
        language_name=i18n.language_name(release.language, release.language),
        downloads=newsroom.downloads(release, files),
        translations=translations,
    )


def _feed_links(site: Site, channel: Channel) -> dict[str, str]:
    """The channel's title and its two feeds' hrefs, relative to the index page."""
    return {"title": newsroom.feed_title(site, channel), "atom": channel.path(ATOM),
            "rss": channel.path(RSS)}
