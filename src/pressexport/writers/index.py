"""The newsroom index page: releases newest first, their documents, and the feeds."""

from __future__ import annotations

from dataclasses import dataclass

from pressexport import i18n, newsroom, templates
from pressexport.layout import ATOM, INDEX, INDEX_CSS, RSS
from pressexport.model import Release, Site
from pressexport.newsroom import Channel, Download, Newsroom
from pressexport.writers import Artifact, Context

TEMPLATE = "html/index.html.j2"
STYLESHEET = "html/index.css"


@dataclass(frozen=True)
class Item:
    """One release as the index lists it (links relative to the index page)."""

    release: Release
    date: str
    language_name: str
    direction: str
    downloads: tuple[Download, ...]
    translations: tuple[tuple[str, str, str], ...]  # (language tag, name, page href)


def write(room: Newsroom, ctx: Context) -> list[Artifact]:
    """out/index.html and its stylesheet out/index.css."""
    site = room.site
    channels = room.channels
    labels = i18n.labels(site.site.language)
    env = templates.environment(ctx.templates, autoescape=True)
    html = env.get_template(TEMPLATE).render(
        site=site,
        labels=labels,
        items=[_item(release, room) for release in room.releases],
        multilingual=len({release.language for release in room.releases}) > 1,
        feeds=_feed_links(site, channels[0]),
        topics=[(channel.topic, _feed_links(site, channel)) for channel in channels[1:]],
        stylesheet=INDEX_CSS,
    )
    css = templates.find(ctx.templates, STYLESHEET).read_bytes()
    return [Artifact(INDEX, html.encode("utf-8")), Artifact(INDEX_CSS, css)]


def _item(release: Release, room: Newsroom) -> Item:
    site = release.site
    # The view's translations leave out those still held back.
    translations = tuple((t.tag, t.name, f"{t.slug}/")
                         for t in room.view(release).translations)
    return Item(
        release=release,
        date=i18n.long_date(release.date.astimezone(site.tz), release.language),
        language_name=i18n.native_name(release.language),
        direction=i18n.direction(release.language),
        downloads=room.downloads(release),
        translations=translations,
    )


def _feed_links(site: Site, channel: Channel) -> dict[str, str]:
    """The channel's title and its two feeds' hrefs, relative to the index page."""
    return {"title": newsroom.feed_title(site, channel), "atom": channel.path(ATOM),
            "rss": channel.path(RSS)}
