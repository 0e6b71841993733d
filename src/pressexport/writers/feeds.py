"""RSS 2.0 and Atom 1.0 feeds (feedgen): the site's pair and one pair per topic.

feedgen's pitfalls, each handled in one place here:
- it stamps feed and entry `updated`/`lastBuildDate` with now() unless told: `_dates` and
  `_common` set every date from the releases;
- it prepends entries by default: `_generator` appends them, newest first;
- its Atom entry links drop rel/type/length (lkiesow/python-feedgen issue 135): `_entry_class`;
- the RSS channel <link> is whichever link() call came last: `_channel_links` adds the page last;
- its generator element carries feedgen's version: `_generator` names pressexport, unversioned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from pressexport import formats, newsroom, templates
from pressexport.layout import ATOM, RSS
from pressexport.newsroom import ATOM_TYPE, RSS_TYPE, Channel, Download, Newsroom
from pressexport.view import media_url
from pressexport.writers import Artifact, Context
from pressexport.writers.htmlparts import (
    also_available_html,
    body_html,
    markdown_html,
)

if TYPE_CHECKING:
    from feedgen.entry import FeedEntry
    from feedgen.feed import FeedGenerator

    from pressexport.model import Release, Site

CONTENT_TEMPLATE = formats.FEED_CONTENT_TEMPLATE
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: A feed without entries has no newest entry to date it by; the epoch keeps it reproducible.
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Entry:
    """One release as the feeds show it, rendered once however many feeds list it."""

    release: Release
    content: str
    description: str
    downloads: tuple[Download, ...]


def listing(room: Newsroom) -> list[tuple[str, tuple[Release, ...]]]:
    """Each feed pair's channel with the entries it shows: an edit of a release that no feed
    shows (an older one) leaves the feeds as they were."""
    limit = room.site.feed.limit
    return [(f"{c.folder}|{c.topic}|{c.language}", c.releases[:limit]) for c in room.channels]


def prepare(room: Newsroom, ctx: Context) -> None:
    """Render every entry's content ahead (needing none of the documents' sizes): the build
    does it while the workers render."""
    for channel in room.channels:
        for release in channel.releases[: room.site.feed.limit]:
            _content(release, room, ctx)


def write(room: Newsroom, ctx: Context) -> list[Artifact]:
    """out/atom.xml, out/rss.xml, out/topics/TOPIC/ and out/languages/LANG/ atom.xml and
    rss.xml."""
    site = room.site
    entries: dict[str, Entry] = {}
    artifacts = []
    for channel in room.channels:
        shown = channel.releases[: site.feed.limit]
        for release in shown:
            if release.slug not in entries:
                entries[release.slug] = entry(release, room, ctx)
        chosen = [entries[release.slug] for release in shown]
        artifacts.append(Artifact(channel.path(ATOM), atom(site, channel, chosen)))
        artifacts.append(Artifact(channel.path(RSS), rss(site, channel, chosen)))
    return artifacts


def entry(release: Release, room: Newsroom, ctx: Context) -> Entry:
    """A release's feed content (full HTML) and RSS description."""
    downloads = room.downloads(release)
    return Entry(release, _content(release, room, ctx), description(release, downloads),
                 downloads)


def _content(release: Release, room: Newsroom, ctx: Context) -> str:
    """The entry's full HTML, rendered once per build."""

    def render() -> str:
        release_view = room.view(release)
        env = templates.environment(ctx.templates, autoescape=True)
        return env.get_template(CONTENT_TEMPLATE).render(
            v=release_view,
            also_available=also_available_html(release_view),
            body=body_html(release_view),
            markdown=markdown_html,
            # Absolute: a feed reader shows the content away from the page the images are by.
            media_src=partial(media_url, release),
        )

    return room.once("feed content", release, render)


def description(release: Release, downloads: tuple[Download, ...]) -> str:
    """The RSS description: the summary, then links to the PDF and the DOCX."""
    html = Markup("<p>{}</p>").format(release.summary)
    links = [Markup('<a href="{}" type="{}">{}</a>').format(d.url, d.mime, d.label)
             for d in downloads]
    if links:
        html += Markup("\n<p>{}</p>").format(Markup(" · ").join(links))
    return str(html)


def atom(site: Site, channel: Channel, entries: list[Entry]) -> bytes:
    """The Atom 1.0 document of `channel`."""
    fg = _generator(site, channel, entries, ATOM, _atom_entry)
    subtitle = newsroom.localized(site, channel.language).feed.subtitle
    if subtitle:
        fg.subtitle(subtitle)
    return fg.atom_str(pretty=True)


def rss(site: Site, channel: Channel, entries: list[Entry]) -> bytes:
    """The RSS 2.0 document of `channel`."""
    fg = _generator(site, channel, entries, RSS, _rss_entry)
    subtitle = newsroom.localized(site, channel.language).feed.subtitle
    fg.description(subtitle or newsroom.feed_title(site, channel))
    return fg.rss_str(pretty=True)


def _generator(site: Site, channel: Channel, entries: list[Entry], name: str,
               fill: Callable[[FeedEntry, Entry], None]) -> FeedGenerator:
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    if name == RSS:
        fg.load_extension("dc", atom=False, rss=True)  # dc:creator, dc:language per item
    fg.id(channel.url(site, ATOM))
    fg.title(newsroom.feed_title(site, channel))
    fg.author(_author(newsroom.localized(site, channel.language)))
    fg.language(channel.language or site.site.language)  # RSS <language>, Atom xml:lang
    fg.generator("pressexport")  # no version: the bytes must not change with a library upgrade
    _channel_links(fg, channel.url(site, name), ATOM_TYPE if name == ATOM else RSS_TYPE,
                   site.site.base_url)
    _dates(fg, newsroom.newest_update(e.release for e in entries) or EMPTY_FEED_UPDATED)
    for item in entries:
        fe = fg.add_entry(_entry_class()(), order="append")  # feedgen prepends by default
        _common(fe, item.release.site, item)
        fill(fe, item)
    return fg


def _author(site: Site) -> dict[str, str]:
    author = {"name": site.feed.author or site.organization.name}
    if site.organization.url:
        author["uri"] = site.organization.url
    return author


def _channel_links(fg: FeedGenerator, self_url: str, self_type: str, page: str) -> None:
    # feedgen makes the RSS channel <link> the href of the last link() call, and its
    # atom:link rel="self" the first self link: so the feed's own URL first, the page last.
    fg.link(href=self_url, rel="self", type=self_type)
    fg.link(href=page, rel="alternate", type="text/html")


def _dates(fg: FeedGenerator, newest: datetime) -> None:
    # Without these calls feedgen stamps the build's wall-clock time.
    fg.updated(newest)
    fg.lastBuildDate(newest)
    fg.pubDate(newest)


def _common(fe: FeedEntry, site: Site, item: Entry) -> None:
    release = item.release
    fe.id(release.id)
    fe.title(release.headline)
    fe.published(release.published)
    fe.updated(release.last_modified)  # else feedgen stamps now()
    fe.author(_author(site))
    fe.content(item.content, type="html")
    for topic in release.topics:
        fe.category(term=topic, scheme=f"{site.site.base_url}topics/")


def _atom_entry(fe: FeedEntry, item: Entry) -> None:
    release = item.release
    fe.summary(release.summary)
    fe.xml_lang = release.language
    # Translations are linked from the content only: readers such as feedparser take the last
    # alternate link as the entry's link, which would send readers to a translation.
    fe.link(href=release.url, rel="alternate", type="text/html", hreflang=release.language)
    for download in item.downloads:
        fe.link(href=download.url, rel="enclosure", type=download.mime,
                length=str(download.length))


def _rss_entry(fe: FeedEntry, item: Entry) -> None:
    release = item.release
    fe.summary(item.description)  # becomes the RSS <description>; content:encoded has the rest
    fe.link(href=release.url, rel="alternate")
    for download in item.downloads:
        if download.suffix == "pdf":  # RSS allows one enclosure: the PDF
            fe.link(href=download.url, rel="enclosure", type=download.mime,
                    length=str(download.length))
    fe.dc.dc_creator(_author(release.site)["name"])
    fe.dc.dc_language(release.language)


@cache
def _entry_class() -> type[FeedEntry]:
    from feedgen.entry import FeedEntry

    class AtomEntry(FeedEntry):
        """feedgen's entry with its Atom links repaired and the entry's xml:lang."""

        xml_lang: str | None = None

        def atom_entry(self, extensions: bool = True) -> Any:
            element = super().atom_entry(extensions)
            # lkiesow/python-feedgen issue 135: the loop writing entry links rebinds its loop
            # variable to the new element, so rel, type, hreflang, title and length are lost.
            links = element.findall("link")
            for link, data in zip(links, self.link() or [], strict=True):
                for key in ("rel", "type", "hreflang", "title", "length"):
                    if data.get(key):
                        link.set(key, data[key])
            if self.xml_lang:
                element.set(XML_LANG, self.xml_lang)
            return element

    return AtomEntry
