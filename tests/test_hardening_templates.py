"""Templates are code from the user: sandboxed, read only from the template folders, and an error
in one is located in it (exit 2, nothing written) (issue 13, item 3)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import Run
from pressexport import templates
from pressexport.errors import InputError, Problem

SECRET = "root:x:0:0"  # the first line of /etc/passwd


def user_templates(workspace: Path, files: dict[str, str]) -> Path:
    """A --templates folder in the workspace holding `files` (name → text)."""
    folder = workspace / "mine"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def refused(run: Run, workspace: Path, folder: Path, command: str = "email") -> str:
    """Build with `folder` as --templates, which must fail as invalid input, writing nothing."""
    result = run(workspace, command, "--templates", str(folder))
    assert result.returncode == 2, result.stdout + result.stderr
    assert not (workspace / "out").exists()
    assert SECRET not in result.stdout + result.stderr
    return result.stderr


def render_problem(folder: Path, name: str, **values: object) -> Problem:
    """The one problem rendering the template `name` from `folder` raises."""
    with pytest.raises(InputError) as caught:
        templates.environment(folder, autoescape=False).get_template(name).render(**values)
    [problem] = caught.value.problems
    return problem


@pytest.mark.parametrize("expression", [
    "''.__class__.__mro__[1].__subclasses__()",
    "cycler.__init__.__globals__.os.popen('cat /etc/passwd').read()",
    "value.__class__.__init__.__globals__",
    "path.read_text.__self__",
])
def test_a_template_cannot_reach_python_internals(tmp_path: Path, expression: str) -> None:
    folder = user_templates(tmp_path, {"t.j2": f"Hello\n\n{{{{ {expression} }}}}\n"})
    problem = render_problem(folder, "t.j2", value=Problem("a", 1, 1, "", ""), path=Path("/"))
    assert (problem.line, problem.col) == (3, 1) and problem.file.endswith("mine/t.j2")
    assert problem.message.startswith("template: ")
    assert "unsafe" in problem.message and "(templates run sandboxed)" in problem.message


def test_a_sandboxed_template_cannot_reach_the_sources(workspace: Path, run: Run) -> None:
    expression = "v.release.__class__.__init__.__globals__['Path']('/etc/passwd').read_text()"
    folder = user_templates(workspace, {"text/release.txt.j2": f"Hi\n\n{{{{ {expression} }}}}\n"})
    stderr = refused(run, workspace, folder)
    assert "mine/text/release.txt.j2:3:1: template: access to attribute " in stderr
    assert "is unsafe. (templates run sandboxed)" in stderr


def test_a_template_linked_from_outside_is_refused(workspace: Path, run: Run) -> None:
    folder = user_templates(workspace, {})
    (folder / "text").mkdir(parents=True)
    os.symlink("/etc/passwd", folder / "text" / "release.txt.j2")
    stderr = refused(run, workspace, folder)
    assert ("mine/text/release.txt.j2:1:1: template: a symbolic link leading outside the "
            "template folders: refused") in stderr


def test_a_stylesheet_linked_from_outside_is_refused(workspace: Path, run: Run) -> None:
    folder = user_templates(workspace, {})
    (folder / "html").mkdir(parents=True)
    os.symlink("/etc/passwd", folder / "html" / "screen.css")
    stderr = refused(run, workspace, folder, "html")
    assert "mine/html/screen.css:1:1: template: a symbolic link leading outside" in stderr


@pytest.mark.parametrize("name", ["../../../../../../etc/passwd", "/etc/passwd",
                                  "default/../../../../etc/passwd", "linked.j2"])
def test_an_include_that_escapes_is_a_located_error(tmp_path: Path, name: str) -> None:
    folder = user_templates(tmp_path, {"t.j2": f"Subject\n\n{{% include {name!r} %}}\n"})
    os.symlink("/etc/passwd", folder / "linked.j2")
    problem = render_problem(folder, "t.j2")
    where = ("linked.j2", 1) if name == "linked.j2" else ("t.j2", 3)
    assert (problem.file.rsplit("/", 1)[-1], problem.line) == where
    assert SECRET not in problem.message


def test_an_include_that_escapes_stops_the_build(workspace: Path, run: Run) -> None:
    folder = user_templates(workspace, {
        "text/release.txt.j2": "Subject\n\n{% include '../../../../../../etc/passwd' %}\n"})
    stderr = refused(run, workspace, folder)
    assert ("mine/text/release.txt.j2:3:1: template: no template '../../../../../../etc/passwd' "
            "in the template folders") in stderr


def test_links_inside_the_template_folders_are_followed(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    (folder / "parts").mkdir(parents=True)
    (folder / "parts" / "real.j2").write_text("{{ greeting }}, world")
    os.symlink(folder / "parts" / "real.j2", folder / "alias.j2")
    os.symlink(templates.default_dir() / "html" / "index.css", folder / "index.css")
    env = templates.environment(folder, autoescape=False)
    assert env.get_template("alias.j2").render(greeting="Hello") == "Hello, world"
    assert templates.find(folder, "index.css") == folder / "index.css"


def test_a_syntax_error_is_located(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.j2").write_text("one\ntwo {% if %}\n")
    with pytest.raises(InputError) as caught:
        templates.environment(folder, autoescape=True).get_template("broken.j2")
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == (2, 1)
    assert problem.file.endswith("mine/broken.j2")
    assert problem.message.startswith("template: ")

