"""The web page: one Jinja2 template renders the page (screen), the PDF's source (print) and the
.eml's HTML part (email)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Literal

from markupsafe import Markup

from pressexport import formats, i18n, newsroom, templates
from pressexport.layout import media_path, media_src, page_path
from pressexport.markup import LinkRefs
from pressexport.view import ReleaseView, media_url
from pressexport.writers import Artifact, Context, htmlparts

#: "screen": the web page, its CSS inlined; "print": the HTML WeasyPrint typesets (its CSS is
#: given to WeasyPrint parsed once, see writers/pdf.py); "email": the page as a mail client shows
#: it, every URL absolute (its CSS is inlined into style attributes, see writers/mail.py).
Purpose = Literal["screen", "print", "email"]

TEMPLATE = formats.PAGE_TEMPLATE
#: Stylesheets per purpose, in cascade order; each found on the template search path.
STYLESHEETS = formats.STYLESHEETS


@dataclass(frozen=True)
class Download:
    """A document the web page offers: its file next to the page, and `PDF, 245 kB`."""

    href: str
    mime: str
    text: str


def render(v: ReleaseView, ctx: Context, purpose: Purpose = "screen",
           downloads: Sequence[Download] = ()) -> str:
    """The release as an HTML document for `purpose`; every value from the release is escaped.

    Printed, a link whose text is not its target is numbered and listed at the end (paper shows
    no URL under the mouse); the page alone offers `downloads`.
    """
    if purpose == "email" and (v.embargoed or (v.letterhead.logo or "").lower().endswith(".svg")):
        # An embargoed release's copy of the logo is online only once it is published (as its
        # pictures, below); Gmail and Outlook show no SVG picture, only its alt text: the name,
        # twice. The letterhead's name stands alone.
        v = replace(v, letterhead=replace(v.letterhead, logo=None))
    env = templates.environment(ctx.templates, autoescape=True)
    styles = None if purpose == "print" else Markup("\n".join(stylesheet_texts(ctx, purpose)))
    refs = LinkRefs() if purpose == "print" else None
    if refs is not None:
        htmlparts.number_links(v, refs)
    return env.get_template(TEMPLATE).render(
        v=v,
        purpose=purpose,
        body=htmlparts.body_html(v, refs),
        markdown=partial(htmlparts.markdown_html, refs=refs),
        media_src=_media_src(v, purpose),
        also_available=htmlparts.also_available_html(v, refs),
        ref=partial(htmlparts.ref_html, refs),
        references=lambda: list(refs.urls) if refs else [],
        downloads=downloads if purpose == "screen" else (),
        # An embargoed release's page and images are published only after its embargo: its
        # message, sent before, shows captions and credits, not pictures that cannot load yet.
        images=not (purpose == "email" and v.embargoed),
        full_resolution=v.labels.full_resolution if purpose == "screen" else None,
        figure_width=partial(print_width, ctx, v.release.site.pdf.page_size)
        if purpose == "print" else None,
        folio=i18n.page_pieces(v.labels.page),
        og_image=og_image(v),
        feeds=newsroom.feed_links(v.release.site, v.language),
        styles=styles,
    )


def downloads(v: ReleaseView, inputs: Mapping[str, bytes]) -> list[Download]:
    """The documents the page links, each `PDF, 245 kB` in the release's language."""
    found = []
    for document in formats.DOWNLOADS:
        if document.name in inputs:
            label = getattr(v.labels, document.label or document.name)
            size = i18n.file_size(len(inputs[document.name]), v.language)
            href = PurePosixPath(document.path(v.release.slug)).name  # beside the page
            found.append(Download(href, document.mime, v.labels.download.format(label=label,
                                                                                size=size)))
    return found


#: The text block of the printed page (html/print.css: 25 mm side margins) and the tallest a
#: picture is printed, in millimetres; pictures print at no fewer than PRINT_PPI pixels an inch.
TEXT_WIDTH_MM = {"A4": 210 - 50, "Letter": 215.9 - 50}
MAX_PICTURE_HEIGHT_MM = 90
PRINT_PPI = 150


def print_width(ctx: Context, page_size: str, name: str) -> str | None:
    """The printed width of the picture `name` under media/ (`101.6mm`): its pixels at
    PRINT_PPI, never wider than the text nor higher than MAX_PICTURE_HEIGHT_MM; None for a
    picture without pixels (SVG)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(ctx.project.media_dir / name) as image:
            px_width, px_height = image.size
    except (UnidentifiedImageError, OSError):
        return None
    mm_per_px = 25.4 / PRINT_PPI
    width = min(px_width * mm_per_px, TEXT_WIDTH_MM[page_size],
                MAX_PICTURE_HEIGHT_MM * px_width / px_height)
    return f"{width:.1f}mm"


def warm_up(source: Path, user_templates: Path | None) -> None:
    """Compile the page template ahead of the first release."""
    templates.environment(user_templates, autoescape=True).get_template(TEMPLATE)


def _media_src(v: ReleaseView, purpose: Purpose) -> Callable[[str], str]:
    """How the page names a file under media/: next to the page, or absolute in a message."""
    return partial(media_url, v.release) if purpose == "email" else media_src


def stylesheet_texts(ctx: Context, purpose: Purpose) -> list[str]:
    """The CSS of `purpose`'s stylesheets, user overrides first on the search path."""
    return [templates.find(ctx.templates, name).read_text(encoding="utf-8")
            for name in STYLESHEETS[purpose]]


def og_image(v: ReleaseView) -> str | None:
    """The absolute URL of the release's first image, for link previews."""
    return next((item.href for item in v.media if item.file), None)


def used_media(v: ReleaseView) -> list[str]:
    """Files under media/ the page shows: the logo, then each media item's image."""
    names = [v.letterhead.logo] + [item.file for item in v.media]
    return list(dict.fromkeys(name for name in names if name))


def write(v: ReleaseView, ctx: Context, inputs: Mapping[str, bytes]) -> list[Artifact]:
    """out/SLUG/index.html and copies of the images it shows under out/SLUG/media/."""
    slug = v.release.slug
    page = render(v, ctx, "screen", downloads(v, inputs)).encode("utf-8")
    artifacts = [Artifact(page_path(slug), page)]
    # The loader checked that each name is a file inside media/ (no '..', no escaping symlink).
    media = ctx.project.media_dir
    artifacts += [Artifact(media_path(slug, name), (media / name).read_bytes())
                  for name in used_media(v)]
    return artifacts
