"""The web page: one Jinja2 template renders the page (screen), the PDF's source (print) and the
.eml's HTML part (email)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Literal

from markupsafe import Markup

from pressexport import i18n, newsroom, templates
from pressexport.layout import media_path, media_src, page_path
from pressexport.view import ReleaseView, media_url
from pressexport.writers import Artifact, Context, htmlparts

#: "screen": the web page, its CSS inlined; "print": the HTML WeasyPrint typesets (its CSS is
#: given to WeasyPrint parsed once, see writers/pdf.py); "email": the page as a mail client shows
#: it, every URL absolute (its CSS is inlined into style attributes, see writers/mail.py).
Purpose = Literal["screen", "print", "email"]

TEMPLATE = "html/release.html.j2"
#: Stylesheets per purpose, in cascade order; each found on the template search path.
#: html/languages.css (scripts, right to left) comes last in every one.
STYLESHEETS: dict[str, tuple[str, ...]] = {
    "screen": ("html/release.css", "html/screen.css", "html/languages.css"),
    "print": ("html/release.css", "html/print.css", "html/languages.css"),
    "email": ("html/release.css", "html/screen.css", "html/languages.css"),
}


def render(v: ReleaseView, ctx: Context, purpose: Purpose = "screen") -> str:
    """The release as an HTML document for `purpose`; every value from the release is escaped."""
    env = templates.environment(ctx.templates, autoescape=True)
    styles = None if purpose == "print" else Markup("\n".join(stylesheet_texts(ctx, purpose)))
    return env.get_template(TEMPLATE).render(
        v=v,
        purpose=purpose,
        body=htmlparts.body_html(v),
        markdown=htmlparts.markdown_html,
        media_src=_media_src(v, purpose),
        also_available=htmlparts.also_available_html(v),
        folio=i18n.page_pieces(v.labels.page),
        og_image=og_image(v),
        feeds=newsroom.feed_links(v.release.site, v.language),
        styles=styles,
    )


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
    page = render(v, ctx, "screen").encode("utf-8")
    artifacts = [Artifact(page_path(slug), page)]
    # The loader checked that each name is a file inside media/ (no '..', no escaping symlink).
    media = ctx.project.media_dir
    artifacts += [Artifact(media_path(slug, name), (media / name).read_bytes())
                  for name in used_media(v)]
    return artifacts
