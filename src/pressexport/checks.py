"""Press-release conventions: warnings that `validate` reports without failing."""

from __future__ import annotations

from pathlib import Path

from pressexport.errors import Problem
from pressexport.model import Release, Site
from pressexport.yamlsource import YamlDocument

MAX_HEADLINE_CHARS = 120
MAX_SUMMARY_CHARS = 300
MAX_BOILERPLATE_WORDS = 100
#: Pictures print at no fewer than 150 pixels an inch (the PDF and the DOCX never enlarge them
#: past that): a photo under 945 px wide prints narrower than the 16 cm text of an A4 page; a
#: raster logo under 142 px high is not sharp at the letterhead's 12 mm (300 ppi: a logo's
#: edges show blur sooner than a photo's).
MIN_PHOTO_WIDTH_PX = 945
MIN_LOGO_HEIGHT_PX = 142


def conventions(release: Release, doc: YamlDocument, media: Path | None = None) -> list[Problem]:
    """Every convention `release` breaks, located in its YAML file (with `media`, the folder
    of its images, also pictures too small to print well)."""
    found: list[Problem] = []

    def warn(path: tuple[str | int, ...], message: str) -> None:
        found.append(doc.problem(path, f"warning: {message}"))

    if not release.contacts:
        warn(("contacts",), "no media contact (add 'contacts' here or in site.yaml)")
    if len(release.headline) > MAX_HEADLINE_CHARS:
        warn(("headline",), f"headline is {len(release.headline)} characters "
                            f"(keep it under {MAX_HEADLINE_CHARS})")
    if len(release.summary) > MAX_SUMMARY_CHARS:
        path = ("summary",) if "summary" in (doc.data or {}) else ("body",)
        warn(path, f"summary is {len(release.summary)} characters "
                   f"(keep it under {MAX_SUMMARY_CHARS}; set 'summary' to shorten it)")
    if release.boilerplate:
        words = len(release.boilerplate.plain().split())
        if words > MAX_BOILERPLATE_WORDS:
            warn(("boilerplate",), f"boilerplate is {words} words "
                                   f"(keep it under {MAX_BOILERPLATE_WORDS})")
    for i, item in enumerate(release.media):
        if (item.file or item.url) and not item.credit:
            warn(("media", i, "credit"), "image without a credit")
        size = pixels(media / item.file) if media and item.file else None
        if size and size[0] < MIN_PHOTO_WIDTH_PX:
            warn(("media", i, "file"),
                 f"'{item.file}' is {size[0]} x {size[1]} pixels: too small to print well "
                 f"(printed at most {size[0] * 2.54 / 150:.1f} cm wide at 150 ppi; give one "
                 f"at least {MIN_PHOTO_WIDTH_PX} pixels wide)")
    return found


def logo_warnings(site: Site, doc: YamlDocument, media: Path) -> list[Problem]:
    """A raster logo too small to print well, or one the Word version cannot show (SVG)."""
    logo = site.organization.logo
    if not logo:
        return []
    where = ("organization", "logo")
    if logo.lower().endswith(".svg"):
        return [doc.problem(where, f"warning: '{logo}' is SVG, which the Word version cannot "
                                   "show: give a PNG of it (at least "
                                   f"{MIN_LOGO_HEIGHT_PX} pixels high)")]
    size = pixels(media / logo)
    if size and size[1] < MIN_LOGO_HEIGHT_PX:
        return [doc.problem(where, f"warning: '{logo}' is {size[0]} x {size[1]} pixels: too "
                                   "small to print well (give one at least "
                                   f"{MIN_LOGO_HEIGHT_PX} pixels high)")]
    return []


def pixels(path: Path) -> tuple[int, int] | None:
    """An image's size in pixels (None when it has none to read: SVG, unreadable)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return None
