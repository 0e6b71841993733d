"""The newsroom index pages: releases newest first, their documents, and the feeds; the site's
(every language) and one per language with a published release (`languages/LANG/`)."""

from __future__ import annotations

from dataclasses import dataclass

from pressexport import formats, i18n, newsroom, templates
from pressexport.layout import ATOM, INDEX, INDEX_CSS, RSS, root_from
from pressexport.model import Release, Site
from pressexport.newsroom import Channel, Download, Newsroom
from pressexport.writers import Artifact, Context

TEMPLATE = formats.INDEX_TEMPLATE
STYLESHEET = formats.INDEX_STYLESHEET


@dataclass(frozen=True)
class Item:
    """One release as the index lists it (links relative to out/: the template prefixes
    `root`)."""

    release: Release
    date: str
    language_name: str
    direction: str
    downloads: tuple[Download, ...]
    translations: tuple[tuple[str, str, str], ...]  # (language tag, name, page href)


@dataclass(frozen=True)
class LanguageLink:
    """A language's own index page, named in that language."""

    tag: str
    name: str
    href: str  # relative to out/
    direction: str


def prepare(room: Newsroom, ctx: Context) -> None:
    """Build every listed release's view ahead (needing none of the documents' sizes)."""
    for release in room.releases:
        room.view(release)


def write(room: Newsroom, ctx: Context) -> list[Artifact]:
    """out/index.html, out/index.css and out/languages/LANG/index.html for each language."""
    env = templates.environment(ctx.templates, autoescape=True)
    template = env.get_template(TEMPLATE)
    site_channel = room.channels[0]
    languages = [LanguageLink(c.language, i18n.native_name(c.language), c.path(INDEX),
                              i18n.direction(c.language)) for c in room.languages if c.language]
    pages = [site_channel, *room.languages]
    artifacts = []
    for channel in pages:
        html = template.render(**_page(room, channel, languages))
        artifacts.append(Artifact(channel.path(INDEX), html.encode("utf-8")))
    css = templates.find(ctx.templates, STYLESHEET).read_bytes()
    return [*artifacts, Artifact(INDEX_CSS, css)]


def _page(room: Newsroom, channel: Channel, languages: list[LanguageLink]) -> dict[str, object]:
    """What the index template shows for `channel` (the site's, or a language's)."""
    site = room.site
    language = channel.language or site.site.language
    local = room.local(language)
    topics = [c for c in room.channels if c.topic]
    return {
        "site": local,
        "language": language,
        "direction": i18n.direction(language),
        "labels": i18n.labels(language),
        "root": root_from(channel.folder),
        "items": [_item(release, room) for release in channel.releases],
        "multilingual": len(languages) > 1,
        "languages": languages if len(languages) > 1 else [],
        "current": channel.language,
        "feeds": _feed_links(site, channel),
        "all_feeds": _feed_links(site, room.channels[0]) if channel.language else None,
        "topics": [(_topic_name(site, c, language), _feed_links(site, c)) for c in topics],
        "stylesheet": INDEX_CSS,
    }


def _topic_name(site: Site, channel: Channel, language: str) -> str:
    key = channel.folder.rstrip("/").rsplit("/", 1)[-1]
    return site.topic_label(key, language) or channel.topic or key


def _item(release: Release, room: Newsroom) -> Item:
    site = release.site
    # The view's translations leave out those still held back.
    translations = tuple((t.tag, t.name, f"{t.slug}/") for t in room.view(release).translations)
    return Item(
        release=release,
        date=i18n.long_date(release.date.astimezone(site.tz), release.language),
        language_name=i18n.native_name(release.language),
        direction=i18n.direction(release.language),
        downloads=room.downloads(release),
        translations=translations,
    )


def _feed_links(site: Site, channel: Channel) -> dict[str, str]:
    """The channel's title and its two feeds' hrefs, relative to out/."""
    return {"title": newsroom.feed_title(site, channel), "atom": channel.path(ATOM),
            "rss": channel.path(RSS)}
