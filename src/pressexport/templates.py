"""The Jinja2 environment: the user's template folder first, the built-in defaults last."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2


def default_dir() -> Path:
    """The built-in templates: inside the installed package, or templates/ in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "templates"
    return packaged if packaged.is_dir() else here.parents[1] / "templates"


def search_path(user_dir: Path | None) -> tuple[Path, ...]:
    """Folders templates are looked up in, in order."""
    user = (user_dir.resolve(),) if user_dir and user_dir.is_dir() else ()
    return (*user, default_dir())


def find(user_dir: Path | None, name: str) -> Path:
    """The first file called `name` on the search path (for files Jinja does not load)."""
    for folder in search_path(user_dir):
        if (folder / name).is_file():
            return folder / name
    folders = ", ".join(map(str, search_path(user_dir)))
    raise FileNotFoundError(f"template '{name}' not found in {folders}")


@cache
def environment(user_dir: Path | None, *, autoescape: bool) -> jinja2.Environment:
    """A Jinja2 environment over the search path; `default/NAME` always names the built-in file."""
    import jinja2

    default = jinja2.FileSystemLoader(default_dir())
    loader = jinja2.ChoiceLoader([
        jinja2.PrefixLoader({"default": default}),
        jinja2.FileSystemLoader([str(p) for p in search_path(user_dir)]),
    ])
    env = jinja2.Environment(
        loader=loader,
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["runs"] = _runs_filter()
    return env


def _runs_filter():
    """`{{ text | runs }}`: the text as HTML with each run of another script in its own
    `<span lang>` (see typography.html_runs); the language is the template's `v.language`,
    or given: `{{ r.headline | runs(r.language, site_language) }}`."""
    import jinja2
    from markupsafe import Markup, escape

    from pressexport.typography import html_runs

    @jinja2.pass_context
    def runs(context, text: str, language: str | None = None,
             site_language: str | None = None) -> Markup:
        v = context.get("v")
        language = language or (v.language if v is not None else None)
        if language is None:  # a macro imported without context (an older override)
            return escape(text)
        site_language = site_language or (v.site_language if v is not None else "en")
        return Markup(html_runs(str(text), language, site_language, lambda s: str(escape(s))))

    return runs
