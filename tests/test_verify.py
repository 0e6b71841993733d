"""`pressexport verify` reads every output back and names what is missing or different."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import SEED_SLUG, Run, every_construct_release, write_release
from test_text import CHINESE


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from conftest import ROOT, run_cli

    workspace = tmp_path_factory.mktemp("verify")
    shutil.copytree(ROOT / "source", workspace / "source")
    every_construct_release(workspace)
    write_release(workspace, "2017-09-08-zh", CHINESE)
    result = run_cli(workspace, "all", "-q")
    assert result.returncode == 0, result.stderr
    return workspace


def test_every_format_of_every_release_verifies(built: Path, run: Run) -> None:
    result = run(built, "verify")
    assert result.returncode == 0, result.stderr
    assert "3 releases verified in every format" in result.stdout


def test_a_fact_missing_from_one_output_is_named(built: Path, run: Run, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    docx = copy / "out" / SEED_SLUG / f"{SEED_SLUG}.docx"
    with zipfile.ZipFile(docx) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace("Pär Liljert".encode(),
                                                                    b"Somebody Else")
    with zipfile.ZipFile(docx, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    (copy / "out" / SEED_SLUG / f"{SEED_SLUG}.txt").unlink()
    result = run(copy, "verify")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert f"out/{SEED_SLUG}/{SEED_SLUG}.docx: body: missing '“This specific training" in \
        result.stderr
    assert f"out/{SEED_SLUG}/{SEED_SLUG}.txt: file: missing (run pressexport all)" in lines
    assert not any(".pdf" in line or "index.html" in line for line in lines)


def test_a_release_leaking_into_a_feed_before_its_embargo_is_named(
    workspace: Path, run: Run, seed_yaml: Path
) -> None:
    seed_yaml.write_text(seed_yaml.read_text() + "embargo: 2017-09-08T10:00\n")
    assert run(workspace, "all", "-q", "--now", "2017-09-09T00:00").returncode == 0
    assert run(workspace, "verify", "--now", "2017-09-09T00:00").returncode == 0
    result = run(workspace, "verify", "--now", "2017-09-08T09:00")
    assert result.returncode == 1
    for feed in ("atom.xml", "rss.xml", "topics/capacity-building/atom.xml",
                 "topics/capacity-building/rss.xml"):
        assert f"out/{feed}: tag:newsroom.example.org,2017-09-08:{SEED_SLUG}: embargoed release " \
               "is in the feed" in result.stderr, feed


def test_a_changed_feed_category_is_named(workspace: Path, run: Run) -> None:
    assert run(workspace, "all", "-q").returncode == 0
    rss = workspace / "out" / "rss.xml"
    rss.write_text(rss.read_text().replace(">Capacity Building<", ">Something else<"))
    result = run(workspace, "verify")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"out/rss.xml: {SEED_SLUG}: categories ['Something else'] differ from the topics "
        "['Capacity Building']")
