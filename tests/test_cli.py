"""The command line: exit statuses, schema, new, determinism, atomic writes, no network."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema

from conftest import ROOT, SEED_SLUG, Run, tree_bytes, write_release
from pressexport.yamlsource import read_yaml
from test_pdf import _uncovered_character


def test_exit_statuses(workspace: Path, run: Run) -> None:
    assert run(workspace, "all", "-q").returncode == 0
    assert run(workspace, "validate").returncode == 0
    assert run(workspace, "email", "no-such-release").returncode == 2
    assert run(workspace, "all", "--now", "yesterday").returncode == 2
    assert run(workspace, "frobnicate").returncode == 2
    assert run(workspace, "all", "--source", "nowhere").returncode == 2
    write_release(workspace, "2024-11-20-x", "headline: x\n")
    assert run(workspace, "all").returncode == 2


def test_an_error_in_a_template_is_located_and_keeps_previous_out(workspace: Path,
                                                                   run: Run) -> None:
    assert run(workspace, "all", "-q").returncode == 0
    before = tree_bytes(workspace / "out")
    broken = workspace / "broken" / "text"
    broken.mkdir(parents=True)
    (broken / "release.txt.j2").write_text("Fine\n{{ v.no_such_field }}\n")
    result = run(workspace, "all", "--templates", str(workspace / "broken"))
    assert result.returncode == 2
    assert "broken/text/release.txt.j2:2:1: template: 'pressexport.view.ReleaseView object' " \
           "has no attribute 'no_such_field'" in result.stderr
    assert tree_bytes(workspace / "out") == before
    assert not list((workspace / "out").rglob("*.tmp"))


def test_schema_validates_the_sample_release(run: Run) -> None:
    result = run(ROOT, "schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    seed = ROOT / "source" / "releases" / f"{SEED_SLUG}.yaml"
    data = read_yaml(seed, seed.name).data
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    data["headine"] = "typo"
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert any("headine" in e.message for e in errors)


def test_new_writes_a_valid_release_dated_now(workspace: Path, run: Run) -> None:
    result = run(workspace, "new", "Migrants’ rights: a “new” training", "--now",
                 "2024-11-20T23:30:00+00:00")
    assert result.returncode == 0, result.stderr
    # 23:30 UTC is already the 21st in Asia/Shanghai, the site's time zone.
    path = workspace / "source" / "releases" / "2024-11-21-migrants-rights-a-new-training.yaml"
    assert path.is_file()
    assert "headline: \"Migrants’ rights: a “new” training\"" in path.read_text()
    assert run(workspace, "validate").returncode == 0
    assert run(workspace, "new", "Migrants’ rights: a “new” training", "--now",
                "2024-11-20T23:30:00+00:00").returncode == 2  # never overwrites


def test_builds_are_byte_identical_across_folders_times_and_zones(
    workspace: Path, run: Run, tmp_path: Path
) -> None:
    other = tmp_path / "elsewhere" / "deeper"
    shutil.copytree(workspace / "source", other / "source")
    assert run(workspace, "all", "-q", env={"TZ": "UTC"}).returncode == 0
    assert run(other, "all", "-q", "-j", "1", env={"TZ": "America/Lima", "LANG": "C"}
               ).returncode == 0
    assert tree_bytes(workspace / "out") == tree_bytes(other / "out")


def test_writes_replace_files_atomically(workspace: Path, run: Run, seed_yaml: Path) -> None:
    assert run(workspace, "email", "-q").returncode == 0
    target = workspace / "out" / SEED_SLUG / f"{SEED_SLUG}.txt"
    old = target.read_bytes()
    with target.open("rb") as reader:  # a reader holding the old file sees it whole
        seed_yaml.write_text(seed_yaml.read_text().replace("Liu Liu", "Liu Liu (corrected)"))
        assert run(workspace, "email", "-q").returncode == 0
        assert reader.read() == old
    assert b"(corrected)" in target.read_bytes()
    assert not list((workspace / "out").rglob("*.tmp"))


def test_build_makes_no_network_access(workspace: Path, run: Run) -> None:
    nonet = str(ROOT / "tests" / "nonet")
    result = run(workspace, "all", "-q", env={"PYTHONPATH": nonet})
    assert result.returncode == 0, result.stderr


def test_summary_names_what_was_written(workspace: Path, run: Run) -> None:
    result = run(workspace, "all")
    assert f"wrote out/{SEED_SLUG}/{SEED_SLUG}.txt" in result.stdout
    again = run(workspace, "all")
    assert "0 files written" in again.stdout


def test_help_lists_every_command(run: Run) -> None:
    result = run(ROOT, "--help")
    for command in ("all", "validate", "email", "schema", "new"):
        assert f"  {command} " in result.stdout


def test_summary_names_releases_held_back_by_embargo(
    workspace: Path, run: Run, seed_yaml: Path
) -> None:
    seed_yaml.write_text(seed_yaml.read_text() + "embargo: 2017-09-08T10:00\n")
    before = run(workspace, "all", "-q", "--now", "2017-09-08T09:59")
    assert before.returncode == 0
    assert (f"held back (embargo): {SEED_SLUG} until 10:00 China Standard Time (02:00 UTC), "
            "8 September 2017") in before.stdout
    after = run(workspace, "all", "-q", "--now", "2017-09-08T02:00:00+00:00")
    assert "held back" not in after.stdout


HEAVY = ("weasyprint", "docx", "feedgen", "lxml", "jinja2", "babel", "pypdf", "css_inline")


def test_help_and_validate_do_not_import_heavy_libraries(workspace: Path) -> None:
    import subprocess
    import sys

    for args in (["--help"], ["validate", "-q"], ["schema"]):
        probe = (
            "import runpy, sys\n"
            f"sys.argv = ['pressexport', *{args!r}]\n"
            "try:\n    runpy.run_module('pressexport', run_name='__main__')\n"
            "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
        )
        result = subprocess.run([sys.executable, "-c", probe], cwd=workspace,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == "[]", (args, result.stdout)


def test_failed_step_keeps_the_release_and_the_feeds_as_they_were(
    workspace: Path, run: Run, seed_yaml: Path
) -> None:
    assert run(workspace, "all", "-q").returncode == 0
    before = tree_bytes(workspace / "out")
    # A character no installed font covers fails the PDF step (exit 1): U+1F900 (circled cross
    # formée with four dots) is a pictograph, not an emoji, which emoji fonts lack.
    char = _uncovered_character(("\U0001f900", "\U0001f9ff", "\U0001fae8"))
    seed_yaml.write_text(seed_yaml.read_text().replace("Liu Liu.", f"Liu Liu {char}."))
    result = run(workspace, "all")
    assert result.returncode == 1, result.stderr
    assert "feeds and index were left as they were" in result.stderr
    assert tree_bytes(workspace / "out") == before


def test_missing_template_folder_and_unwritable_out_are_clear_errors(
    workspace: Path, run: Run
) -> None:
    result = run(workspace, "all", "--templates", "nowhere")
    assert result.returncode == 2
    assert "template folder 'nowhere' not found" in result.stderr
    (workspace / "blocked").write_text("a file where the output folder should be")
    result = run(workspace, "email", "--out", "blocked/out")
    assert result.returncode == 1
    assert "cannot write blocked/out/" in result.stderr and "Traceback" not in result.stderr
