"""The web page: one Jinja2 template renders the page (screen) and the PDF's source (print)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from markupsafe import Markup

from pressexport import i18n, newsroom, templates
from pressexport.view import ReleaseView, media_src, view
from pressexport.writers import Artifact, Context, htmlparts, page_path

if TYPE_CHECKING:
    from pressexport.model import Release

#: "screen": the web page, its CSS inlined; "print": the HTML WeasyPrint typesets (its CSS is
#: given to WeasyPrint parsed once, see writers/pdf.py).
Purpose = Literal["screen", "print"]

TEMPLATE = "html/release.html.j2"
#: Stylesheets per purpose, in cascade order; each found on the template search path.
STYLESHEETS: dict[str, tuple[str, ...]] = {
    "screen": ("html/release.css", "html/screen.css"),
    "print": ("html/release.css", "html/print.css"),
}


def render(release: Release, ctx: Context, purpose: Purpose = "screen") -> str:
    """The release as an HTML document for `purpose`; every value from the release is escaped."""
    v = view(release)
    env = templates.environment(ctx.templates, autoescape=True)
    styles = Markup("\n".join(stylesheet_texts(ctx, purpose))) if purpose == "screen" else None
    return env.get_template(TEMPLATE).render(
        v=v,
        release=release,
        site=release.site,
        purpose=purpose,
        body=htmlparts.body_html(v),
        markdown=htmlparts.markdown_html,
        media_src=media_src,
        also_available=htmlparts.also_available_html(v),
        folio=i18n.page_pieces(v.labels.page),
        og_image=og_image(v),
        feeds=newsroom.feed_links(release.site),
        styles=styles,
        date=release.date.isoformat(timespec="seconds"),
    )


def stylesheet_texts(ctx: Context, purpose: Purpose) -> list[str]:
    """The CSS of `purpose`'s stylesheets, user overrides first on the search path."""
    return [templates.find(ctx.templates, name).read_text(encoding="utf-8")
            for name in STYLESHEETS[purpose]]


def og_image(v: ReleaseView) -> str | None:
    """The absolute URL of the release's first image, for link previews."""
    return next((item.href for item in v.media if item.file), None)


def used_media(release: Release) -> list[str]:
    """Files under media/ the page shows: the logo, then each media item's image."""
    names = [release.site.organization.logo] + [item.file for item in release.media]
    return list(dict.fromkeys(name for name in names if name))


def write(release: Release, ctx: Context, inputs: Mapping[str, bytes]) -> list[Artifact]:
    """out/SLUG/index.html and copies of the images it shows under out/SLUG/media/."""
    page = render(release, ctx, "screen").encode("utf-8")
    artifacts = [Artifact(page_path(release.slug), page)]
    # The loader checked that each name is a file inside media/ (no '..', no escaping symlink).
    media = ctx.project.media_dir
    artifacts += [Artifact(f"{release.slug}/media/{name}", (media / name).read_bytes())
                  for name in used_media(release)]
    return artifacts
