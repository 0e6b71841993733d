"""The Jinja2 environment: the user's template folder first, the built-in defaults last.

Templates are code from the user: they run in Jinja2's sandbox, are read only from inside the
template folders (a symbolic link leading out is refused), and an error in one is an input error
located in the template (exit 2), like an error in a release.
"""

from __future__ import annotations

import os
import sys
import traceback
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from pressexport.errors import InputError, Problem, display_path

if TYPE_CHECKING:
    import jinja2


@cache
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
    folders = search_path(user_dir)
    for folder in folders:
        if (folder / name).is_file():
            return confined(folder / name, folders)
    shown = ", ".join(map(str, folders))
    raise FileNotFoundError(f"template '{name}' not found in {shown}")


def confined(path: Path, folders: tuple[Path, ...]) -> Path:
    """`path`, unless it resolves outside every folder of `folders` (a symbolic link, or in a
    linked folder): then an input error located at it."""
    real = path.resolve()
    if any(real.is_relative_to(folder.resolve()) for folder in folders):
        return path
    raise InputError([Problem(display_path(path), 1, 1, "",
                              "template: a symbolic link leading outside the template folders: "
                              "refused")])


@cache
def environment(user_dir: Path | None, *, autoescape: bool) -> jinja2.Environment:
    """A sandboxed Jinja2 environment over the search path; `default/NAME` always names the
    built-in file."""
    import jinja2

    folders = search_path(user_dir)
    loader = jinja2.ChoiceLoader([
        jinja2.PrefixLoader({"default": _loader((default_dir(),))}),
        _loader(folders),
    ])
    env = _sandbox()(
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


def _loader(folders: tuple[Path, ...]) -> jinja2.BaseLoader:
    """A file system loader over `folders` that refuses a file leading outside them."""
    import jinja2
    from jinja2.loaders import split_template_path

    class ConfinedLoader(jinja2.FileSystemLoader):
        def get_source(self, environment: jinja2.Environment,
                       template: str) -> tuple[str, str, Any]:
            # Checked before Jinja opens the file, which may be anything the link points to.
            for folder in folders:
                path = folder.joinpath(*split_template_path(template))
                if os.path.isfile(path):
                    confined(path, folders)
                    break
            return super().get_source(environment, template)

    return ConfinedLoader([str(folder) for folder in folders])


@cache
def _sandbox() -> type[jinja2.Environment]:
    """Jinja2's sandbox, whose template errors are input errors located in the template."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    class Sandbox(SandboxedEnvironment):
        _verdicts: ClassVar[dict[tuple[type, str], bool]] = {}

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            # Jinja's verdict depends on the object's type and the name alone: remembered, for
            # an index of a thousand releases asks it some fifty thousand times.
            kind = type(obj)
            if obj.__class__ is not kind or not isinstance(attr, str):
                return super().is_safe_attribute(obj, attr, value)
            verdict = self._verdicts.get((kind, attr))
            if verdict is None:
                verdict = super().is_safe_attribute(obj, attr, value)
                self._verdicts[(kind, attr)] = verdict
            return verdict

        def handle_exception(self, source: str | None = None) -> NoReturn:
            error = sys.exc_info()[1]
            if isinstance(error, InputError):
                raise error
            try:
                super().handle_exception(source)  # raises the error with template lines
            except jinja2.TemplateError as located:
                raise InputError([template_problem(located)]) from None

    return Sandbox


def template_problem(error: jinja2.TemplateError) -> Problem:
    """`error` located in the template that raised it (its innermost template frame)."""
    import jinja2

    file, line = getattr(error, "filename", None), getattr(error, "lineno", None) or 1
    if not isinstance(error, jinja2.TemplateSyntaxError):
        frames = [f for f in traceback.extract_tb(error.__traceback__)
                  if not f.filename.endswith(".py")]
        if frames:
            file, line = frames[-1].filename, frames[-1].lineno or 1
    message = error.message or type(error).__name__
    if isinstance(error, jinja2.TemplateNotFound):
        message = f"no template '{error.name}' in the template folders (nothing outside them " \
                  "can be included)"
    elif isinstance(error, jinja2.exceptions.SecurityError):
        message = f"{message} (templates run sandboxed)"
    shown = display_path(Path(file)) if file else "templates"
    return Problem(shown, line, 1, "", f"template: {message}")
