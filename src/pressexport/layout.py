"""Where everything lives under out/ (and embargoed/): the site layout, declared once."""

from __future__ import annotations

from urllib.parse import quote

ATOM = "atom.xml"
RSS = "rss.xml"
INDEX = "index.html"
INDEX_CSS = "index.css"
TOPICS = "topics"
LANGUAGES = "languages"
MEDIA = "media"

#: Names the site itself uses at the top of out/: a release slug may not be one of them (its
#: folder would mix with the site's own files). Reserved ahead of use so that adding a site
#: page later never breaks an existing release's URL.
RESERVED_SLUGS = frozenset({
    "topics", "languages", "media", "index", "atom", "rss", "sitemap", "feed", "feeds",
    "search", "assets", "static", "css", "js", "robots", "favicon", "embargoed",
})


def document_path(slug: str, suffix: str) -> str:
    """Where a release's document lives: `SLUG/SLUG.suffix`."""
    return f"{slug}/{slug}.{suffix}"


def page_path(slug: str) -> str:
    """Where a release's web page lives: `SLUG/index.html`."""
    return f"{slug}/{INDEX}"


def media_path(slug: str, name: str) -> str:
    """Where the page's copy of a file under source/media/ lives: `SLUG/media/NAME`."""
    return f"{slug}/{MEDIA}/{name}"


def media_src(name: str) -> str:
    """The URL of a media file's copy relative to the release's page (percent-encoded)."""
    return f"{MEDIA}/{quote(name)}"


def topic_folder(key: str) -> str:
    """The folder of a topic's feeds: `topics/KEY/`."""
    return f"{TOPICS}/{key}/"


def language_folder(tag: str) -> str:
    """The folder of a language's index and feeds: `languages/TAG/` (the tag in lower case:
    `languages/zh-hans/`)."""
    return f"{LANGUAGES}/{tag.lower()}/"


def root_from(folder: str) -> str:
    """The relative URL of out/ from a page in `folder` (`languages/fr/` → `../../`)."""
    return "../" * folder.count("/")
