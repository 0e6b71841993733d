"""Incremental builds: each output rendered only when its inputs changed, the record outside
out/, deleted releases removed, staged writes, and an incremental tree equal to a fresh one."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SEED_SLUG, Run, run_cli, tree_bytes, write_release
from pressexport.build import BuildOptions, build
from samples import CHINESE_SLUG, KITCHEN_SLUG, layout_workspace


def summary(result: subprocess.CompletedProcess[str]) -> str:
    """The build's last line: `N outputs rendered, M up to date; K files written`."""
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def in_process(folder: Path, templates: Path | None = None) -> BuildOptions:
    """The options of a build of `folder` in this process (one job), at a fixed instant."""
    return BuildOptions(source=folder / "source", out=folder / "out", templates=templates,
                        now=datetime(2025, 1, 1, tzinfo=UTC), jobs=1)


def mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")
            if p.is_file()}


def test_a_second_build_renders_nothing_and_touches_nothing(workspace: Path, run: Run) -> None:
    # The seed's documents and page, and the site's feeds and index, also per language
    # (out/languages/en/).
    assert summary(run(workspace, "all")) == "7 outputs rendered, 0 up to date; 14 files written"
    before = mtimes(workspace / "out")
    assert summary(run(workspace, "all", "-q")) == \
        "0 outputs rendered, 7 up to date; 0 files written"
    assert mtimes(workspace / "out") == before


def test_an_edit_renders_that_release_and_the_site_pages_only(tmp_path: Path, run: Run) -> None:
    folder = layout_workspace(tmp_path)
    assert run(folder, "all", "-q", "--now", "2025-01-01T00:00").returncode == 0
    before = mtimes(folder / "out")
    seed = folder / "source" / "releases" / f"{SEED_SLUG}.yaml"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Liu Liu.", "Liu Liu (edited)."),
                    encoding="utf-8")
    result = run(folder, "all", "--now", "2025-01-01T00:00")
    # The seed's five formats, then the feeds and the index; the others are up to date.
    assert summary(result).startswith("7 outputs rendered, 10 up to date")
    changed = {path for path, mtime in mtimes(folder / "out").items() if before.get(path) != mtime}
    # The index shows no body text: rendered again, the same bytes, left untouched.
    assert {path.split("/")[0] for path in changed} == {SEED_SLUG, "atom.xml", "rss.xml",
                                                        "topics", "languages"}


def test_an_edit_rendered_by_worker_processes_equals_a_fresh_build(
        tmp_path: Path, run: Run) -> None:
    # The hypothesis property builds in this process; here the edit goes through the workers.
    folder = layout_workspace(tmp_path / "edited")
    now = ("--now", "2025-01-01T00:00")
    assert run(folder, "all", "-q", "-j", "2", *now).returncode == 0
    seed = folder / "source" / "releases" / f"{SEED_SLUG}.yaml"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Liu Liu.", "Liu Liu (edited)."),
                    encoding="utf-8")
    assert summary(run(folder, "all", "-q", "-j", "2", *now)).startswith("7 outputs rendered")
    fresh = tmp_path / "fresh"
    shutil.copytree(folder / "source", fresh / "source")
    assert run(fresh, "all", "-q", "-j", "1", *now).returncode == 0
    assert tree_bytes(folder / "out") == tree_bytes(fresh / "out")


def test_an_edit_of_a_release_no_feed_shows_leaves_the_feeds_alone(
        tmp_path: Path, run: Run) -> None:
    folder = tmp_path / "w"
    shutil.copytree(ROOT / "source", folder / "source")
    site = folder / "source" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("  limit: 50\n", "  limit: 1\n"),
                    encoding="utf-8")
    newer = folder / "source" / "releases" / "2020-01-10-newer.yaml"
    # In every channel the seed is in (the site's, its topic's, its language's), and newer.
    newer.write_text("headline: Newer\ndate: 2020-01-10\ndateline: Geneva\n"
                     "topics: [Capacity Building]\nbody: Text.\n", encoding="utf-8")
    assert run(folder, "all", "-q").returncode == 0
    feeds = {p: p.read_bytes() for p in (folder / "out").rglob("*.xml")}
    seed = folder / "source" / "releases" / f"{SEED_SLUG}.yaml"  # older: in no feed
    seed.write_text(seed.read_text(encoding="utf-8").replace("Liu Liu.", "Liu Liu (edited)."),
                    encoding="utf-8")
    # The seed's five formats and the index; the feeds are up to date.
    assert summary(run(folder, "all", "-q")).startswith("6 outputs rendered, 6 up to date")
    assert {p: p.read_bytes() for p in (folder / "out").rglob("*.xml")} == feeds
    newer.write_text(newer.read_text(encoding="utf-8").replace("Text.", "New text."),
                     encoding="utf-8")
    assert summary(run(folder, "all", "-q")).startswith("7 outputs rendered, 5 up to date")
    assert b"New text." in (folder / "out" / "atom.xml").read_bytes()
    fresh = tmp_path / "fresh"
    shutil.copytree(folder / "source", fresh / "source")
    assert run(fresh, "all", "-q").returncode == 0
    assert tree_bytes(folder / "out") == tree_bytes(fresh / "out")


def test_the_site_pages_made_during_the_render_are_kept_only_if_they_show_no_new_size(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pressexport.writers import index

    folder = layout_workspace(tmp_path)
    options = in_process(folder, folder / "templates")
    (folder / "templates").mkdir()
    build(options)
    calls: list[int] = []
    write = index.write
    monkeypatch.setattr(index, "write", lambda *args: calls.append(1) or write(*args))
    seed = folder / "source" / "releases" / f"{SEED_SLUG}.yaml"

    def edit(text: str) -> None:
        seed.write_text(seed.read_text(encoding="utf-8").replace("Liu Liu", text),
                        encoding="utf-8")
        calls.clear()
        build(options)

    # The built-in index shows no document's size: made once, while the seed renders.
    edit("Liu Liu (edited)")
    assert calls == [1]
    # An override showing sizes is made again once they are known, and shows the new ones.
    (folder / "templates" / "html").mkdir()
    (folder / "templates" / "html" / "index.html.j2").write_text(
        "{% for item in items %}{% for d in item.downloads %}{{ d.path }} {{ d.length }}\n"
        "{% endfor %}{% endfor %}", encoding="utf-8")
    edit("Liu Liu (edited again)")
    assert calls == [1, 1]
    pdf = folder / "out" / SEED_SLUG / f"{SEED_SLUG}.pdf"
    listed = (folder / "out" / "index.html").read_text(encoding="utf-8")
    assert f"{SEED_SLUG}/{SEED_SLUG}.pdf {pdf.stat().st_size}\n" in listed


def test_the_record_is_kept_beside_out_and_a_broken_one_costs_a_full_build(
        workspace: Path, run: Run) -> None:
    assert run(workspace, "all", "-q").returncode == 0
    record = workspace / ".pressexport" / "out.json"
    assert record.is_file()
    assert not [p for p in (workspace / "out").rglob("*") if p.suffix == ".json"]
    fresh = tree_bytes(workspace / "out")
    record.write_text("{not json", encoding="utf-8")
    assert summary(run(workspace, "all", "-q")).startswith("7 outputs rendered")
    assert tree_bytes(workspace / "out") == fresh
    record.unlink()
    assert summary(run(workspace, "all", "-q")).startswith("7 outputs rendered")


def validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The release files validated in full from now on (not found in the cache), by stem."""
    from pressexport import load

    validated: list[str] = []
    full = load._load_release
    monkeypatch.setattr(load, "_load_release",
                        lambda path, *args: validated.append(path.stem) or full(path, *args))
    return validated


def test_only_the_changed_release_files_are_validated_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = layout_workspace(tmp_path)
    options = in_process(folder)
    build(options)
    assert (folder / ".pressexport" / "out.releases").is_file()
    validated = validations(monkeypatch)
    seed = folder / "source" / "releases" / f"{SEED_SLUG}.yaml"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Liu Liu.", "Liu Liu (edited)."),
                    encoding="utf-8")
    build(options)
    assert validated == [SEED_SLUG]
    # site.yaml is read by every release: all are validated again.
    site = folder / "source" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    validated.clear()
    build(options)
    assert sorted(validated) == sorted([SEED_SLUG, KITCHEN_SLUG, CHINESE_SLUG])
    # A damaged cache costs a full validation, never a wrong build.
    fresh = tree_bytes(folder / "out")
    (folder / ".pressexport" / "out.releases").write_bytes(b"\x80\x04not a pickle")
    validated.clear()
    build(options)
    assert len(validated) == 3
    assert tree_bytes(folder / "out") == fresh


def built_once(tmp_path: Path) -> tuple[BuildOptions, dict[str, bytes], Path]:
    """A workspace built in this process: its options, its out/ tree and its cache file."""
    options = in_process(layout_workspace(tmp_path))
    build(options)
    return options, tree_bytes(options.out), options.out.parent / ".pressexport" / "out.releases"


def test_a_cache_not_signed_by_this_user_is_never_unpickled(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    from pressexport import loadcache

    options, fresh, cache = built_once(tmp_path)
    signed = cache.read_bytes()
    assert loadcache._read(cache)  # this user's own: read
    # Planted (a workspace copied from elsewhere): a pickle that would run a command.
    planted = tmp_path / "planted"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch '{planted}'",))

    data = pickle.dumps({"schema": loadcache.SCHEMA, "entries": {"x": Payload()}})
    cache.write_bytes(signed[:loadcache.SIGNATURE_BYTES] + data)
    assert loadcache._read(cache) == {}
    build(options)
    assert not planted.exists()
    assert tree_bytes(options.out) == fresh
    # Signed with another user's key: ignored as well.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    loadcache._signing_key.cache_clear()
    try:
        assert loadcache._read(cache) == {}
        assert (tmp_path / "another-user" / "pressexport" / "signing-key").stat().st_mode \
            & 0o077 == 0
    finally:
        loadcache._signing_key.cache_clear()


def test_a_damaged_entry_of_a_signed_cache_costs_only_its_release_a_full_validation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    from pressexport import loadcache

    options, fresh, cache = built_once(tmp_path)
    entries = loadcache._read(cache)
    assert len(entries) == 3 and all(isinstance(e, bytes) for e in entries.values())
    damaged = next(iter(entries))
    entries[damaged] = entries[damaged][:-20]  # cut short: no longer a pickle
    data = pickle.dumps({"schema": loadcache.SCHEMA, "entries": entries})
    key = loadcache._signing_key()
    assert key is not None
    cache.write_bytes(loadcache._sign(key, data) + data)
    validated = validations(monkeypatch)
    build(options)
    assert len(validated) == 1
    assert tree_bytes(options.out) == fresh
    assert len(loadcache._read(cache)) == 3  # and the entry is made again


def test_an_unchanged_release_file_is_still_checked_against_what_changed_around_it(
        tmp_path: Path, run: Run) -> None:
    folder = layout_workspace(tmp_path)
    now = ("--now", "2025-01-01T00:00")
    assert run(folder, "all", "-q", *now).returncode == 0
    before = tree_bytes(folder / "out")
    releases = folder / "source" / "releases"
    kitchen = f"source/releases/{KITCHEN_SLUG}.yaml"
    # The file is as it was; its photo is now unreadable.
    photo = folder / "source" / "media" / "photos" / "training session.png"
    good = photo.read_bytes()
    photo.write_bytes(b"not a png")
    result = run(folder, "all", "-q", *now)
    assert result.returncode == 2
    assert f"{kitchen}:" in result.stderr
    assert "media[0].file: 'photos/training session.png' is not a readable image" in \
        result.stderr
    photo.write_bytes(good)
    # The file is as it was; the translation it names is gone.
    (releases / f"{CHINESE_SLUG}.yaml").unlink()
    result = run(folder, "all", "-q", *now)
    assert result.returncode == 2
    assert f"{kitchen}:" in result.stderr
    assert f"translations.zh-Hans: no release '{CHINESE_SLUG}'" in result.stderr
    assert tree_bytes(folder / "out") == before


def test_inputs_are_compared_by_content_not_by_time(tmp_path: Path, run: Run) -> None:
    folder = layout_workspace(tmp_path)
    now = ("--now", "2025-01-01T00:00")
    assert run(folder, "all", "-q", *now).returncode == 0
    photo = folder / "source" / "media" / "photos" / "training session.png"
    stat = photo.stat()
    from PIL import Image

    Image.new("RGB", (600, 350), (200, 20, 20)).save(photo, format="PNG")
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the old time, new content
    result = run(folder, "all", *now)
    assert f"wrote out/{KITCHEN_SLUG}/media/photos/training session.png" in result.stdout
    copy = folder / "out" / KITCHEN_SLUG / "media" / "photos" / "training session.png"
    assert copy.read_bytes() == photo.read_bytes()


def test_a_template_rebuilds_only_the_outputs_that_render_with_it(
        workspace: Path, run: Run) -> None:
    assert run(workspace, "all", "-q").returncode == 0
    user = workspace / "templates" / "html"
    user.mkdir(parents=True)
    (user / "index.css").write_text("body { color: #222; }\n", encoding="utf-8")
    assert summary(run(workspace, "all", "-q")).startswith("1 output rendered, 6 up to date")
    assert (workspace / "out" / "index.css").read_text() == "body { color: #222; }\n"
    # An override extending the built-in text template: the text version and the .eml.
    (workspace / "templates" / "text").mkdir()
    (workspace / "templates" / "text" / "release.txt.j2").write_text(
        '{% extends "default/text/release.txt.j2" %}{% block footer %}\n\nBy us.\n'
        "{% endblock %}\n", encoding="utf-8")
    result = run(workspace, "all")
    assert summary(result).startswith("2 outputs rendered, 5 up to date")
    assert "By us." in (workspace / "out" / SEED_SLUG / f"{SEED_SLUG}.txt").read_text()


def test_a_deleted_release_disappears_from_out(tmp_path: Path, run: Run) -> None:
    folder = layout_workspace(tmp_path)
    now = ("--now", "2025-01-01T00:00")
    assert run(folder, "all", "-q", *now).returncode == 0
    assert (folder / "out" / SEED_SLUG / "index.html").is_file()
    (folder / "source" / "releases" / f"{SEED_SLUG}.yaml").unlink()
    result = run(folder, "all", *now)
    assert f"removed the outputs of {SEED_SLUG}: its release file is gone" in result.stdout
    assert not (folder / "out" / SEED_SLUG).exists()
    for feed in (folder / "out").rglob("*.xml"):
        assert SEED_SLUG not in feed.read_text(encoding="utf-8"), feed
    # Without a record too: the release's folder is recognised by its layout.
    shutil.copytree(folder / "out" / KITCHEN_SLUG, folder / "out" / "2016-01-01-old")
    for path in (folder / "out" / "2016-01-01-old").glob(f"{KITCHEN_SLUG}.*"):
        path.rename(path.with_name(path.name.replace(KITCHEN_SLUG, "2016-01-01-old")))
    (folder / ".pressexport" / "out.json").unlink()
    assert "removed the outputs of 2016-01-01-old" in run(folder, "all", *now).stdout
    assert not (folder / "out" / "2016-01-01-old").exists()


def test_an_embargoed_release_leaves_no_trace_in_out_until_it_is_published(
        tmp_path: Path, run: Run) -> None:
    folder = layout_workspace(tmp_path)  # the kitchen sample is embargoed until 10:00 on the 20th
    before = ("--now", "2024-11-20T09:00")
    result = run(folder, "all", *before)
    assert f"held back (embargo): {KITCHEN_SLUG}" in result.stdout
    assert not (folder / "out" / KITCHEN_SLUG).exists()
    documents = sorted(p.name for p in (folder / "embargoed" / KITCHEN_SLUG).iterdir())
    assert documents == sorted(f"{KITCHEN_SLUG}.{s}" for s in ("docx", "eml", "pdf", "txt"))
    # Its Chinese translation is public, and names it nowhere: verify reads every file of out/.
    assert (folder / "out" / CHINESE_SLUG / "index.html").is_file()
    check = run(folder, "verify", *before)
    assert check.returncode == 0, check.stderr
    after = ("--now", "2024-11-20T10:00")
    result = run(folder, "all", *after)
    assert f"published {KITCHEN_SLUG}: its embargo has passed" in result.stdout
    assert (folder / "out" / KITCHEN_SLUG / "index.html").is_file()
    assert not (folder / "embargoed").exists()
    assert KITCHEN_SLUG in (folder / "out" / CHINESE_SLUG / "index.html").read_text()
    assert run(folder, "verify", *after).returncode == 0


def test_what_a_killed_build_left_behind_is_cleared_by_the_next(workspace: Path,
                                                               run: Run) -> None:
    assert run(workspace, "all", "-q").returncode == 0
    work = workspace / ".pressexport"
    (work / "stage-dead" / "out").mkdir(parents=True)
    (work / "stage-dead" / "out" / "half.pdf").write_bytes(b"%PDF-")
    (work / "committing").touch()
    temporary = workspace / "out" / SEED_SLUG / f".{SEED_SLUG}.pdf.a1b2c3d4.tmp"
    temporary.write_bytes(b"%PDF-")
    assert run(workspace, "all", "-q").returncode == 0
    assert not temporary.exists()
    assert sorted(p.name for p in work.iterdir()) == ["lock", "out.json", "out.releases"]


def test_a_build_killed_at_any_moment_leaves_no_half_file_and_heals(tmp_path: Path) -> None:
    folder = tmp_path / "killed"
    shutil.copytree(ROOT / "source", folder / "source")
    for i in range(3):
        write_release(folder, f"2020-01-0{i + 1}-release-{i}",
                      f"headline: Release {i}\ndate: 2020-01-0{i + 1}\ndateline: Geneva\n"
                      f"body: Text number {i}.\n")
    for trial, delay in enumerate((0.6, 1.2, 1.8, 2.4)):
        # Each trial changes a release, so that every build has something to render.
        write_release(folder, "2020-01-09-trial", "headline: Trial\ndate: 2020-01-09\n"
                      f"dateline: Geneva\nbody: Trial {trial}.\n")
        process = subprocess.Popen([sys.executable, "-m", "pressexport", "all", "-q", "-j", "1"],
                                   cwd=folder, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert run_cli(folder, "all", "-q").returncode == 0
    fresh = tmp_path / "fresh"
    shutil.copytree(folder / "source", fresh / "source")
    assert run_cli(fresh, "all", "-q").returncode == 0
    assert tree_bytes(folder / "out") == tree_bytes(fresh / "out")
    assert not list((folder / "out").rglob("*.tmp"))


# -- the property: whatever the edits, the incremental tree is the fresh one -----------------

RELEASE = "headline: Release {n}\ndate: 2020-01-{day:02d}\ndateline: Geneva\n{extra}body: {body}\n"
OVERRIDE = ('{% extends "default/text/release.txt.j2" %}{% block footer %}\n\n{{ "' "{text}"
            '" }}\n{% endblock %}\n')

operations = st.lists(st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 3), st.text("abc xyz.", min_size=1, max_size=12)),
    st.tuples(st.just("delete"), st.integers(0, 3), st.just("")),
    st.tuples(st.just("embargo"), st.integers(0, 3), st.sampled_from(["09:00", "11:00"])),
    st.tuples(st.just("photo"), st.integers(0, 3), st.sampled_from(["red", "blue"])),
    st.tuples(st.just("template"), st.integers(0, 1), st.sampled_from(["", "Footer A"])),
    st.tuples(st.just("clock"), st.just(0), st.sampled_from(["09:30", "10:30"])),
    st.tuples(st.just("site"), st.just(0), st.sampled_from(["IOM China newsroom", "Newsroom"])),
), min_size=1, max_size=4)


def _apply(folder: Path, operation: tuple[str, int, str]) -> str | None:
    """Apply one edit to the workspace; return the new build time when it moves the clock."""
    kind, n, value = operation
    path = folder / "source" / "releases" / f"2020-01-{n + 10:02d}-release-{n}.yaml"
    if kind == "edit":
        _write_release(path, n, body=value.strip() or "x")
    elif kind == "delete":
        path.unlink(missing_ok=True)
    elif kind == "embargo":
        _write_release(path, n, extra=f"embargo: 2020-01-{n + 10:02d}T{value}\n")
    elif kind == "photo":
        from PIL import Image

        colour = (200, 30, 30) if value == "red" else (30, 30, 200)
        Image.new("RGB", (120, 80), colour).save(folder / "source" / "media" / "p.png")
        _write_release(path, n, extra="media:\n  - caption: A photo.\n    file: p.png\n"
                                      "    alt: A square.\n")
    elif kind == "template":
        override = folder / "templates" / "text" / "release.txt.j2"
        if value:
            override.parent.mkdir(parents=True, exist_ok=True)
            override.write_text(OVERRIDE.replace("{text}", value), encoding="utf-8")
        else:
            override.unlink(missing_ok=True)
    elif kind == "clock":
        return f"2020-01-{n + 10:02d}T{value}"
    elif kind == "site":  # read by every release, and by its cached validation
        site = folder / "source" / "site.yaml"
        text = site.read_text(encoding="utf-8")
        start = text.index("  title: ") + len("  title: ")
        site.write_text(text[:start] + value + text[text.index("\n", start):], encoding="utf-8")
    return None


def _write_release(path: Path, n: int, body: str = "Text.", extra: str = "") -> None:
    path.write_text(RELEASE.format(n=n, day=n + 10, extra=extra, body=body), encoding="utf-8")


def _build(folder: Path, now: str) -> None:
    from datetime import datetime

    (folder / "templates").mkdir(exist_ok=True)
    build(BuildOptions(source=folder / "source", out=folder / "out",
                       templates=folder / "templates", now=datetime.fromisoformat(now), jobs=1))


def _trees(folder: Path) -> dict[str, bytes]:
    return {**{f"out/{k}": v for k, v in tree_bytes(folder / "out").items()},
            **{f"embargoed/{k}": v for k, v in tree_bytes(folder / "embargoed").items()}}


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=st.lists(operations, min_size=1, max_size=3))
def test_after_any_edits_the_incremental_tree_equals_a_fresh_build(
        tmp_path_factory: pytest.TempPathFactory, steps: list[list[tuple[str, int, str]]]) -> None:
    base = tmp_path_factory.mktemp("edits")
    folder = base / "incremental"
    shutil.copytree(ROOT / "source", folder / "source")
    (folder / "source" / "releases" / f"{SEED_SLUG}.yaml").unlink()  # small, fast releases only
    for n in range(2):
        _write_release(folder / "source" / "releases" / f"2020-01-{n + 10:02d}-release-{n}.yaml",
                       n)
    now = "2020-01-10T10:00"
    _build(folder, now)
    for batch in steps:
        for operation in batch:
            now = _apply(folder, operation) or now
        if not list((folder / "source" / "releases").glob("*.yaml")):
            _write_release(folder / "source" / "releases" / "2020-01-10-release-0.yaml", 0)
        _build(folder, now)
    fresh = base / "fresh"
    shutil.copytree(folder / "source", fresh / "source")
    shutil.copytree(folder / "templates", fresh / "templates")
    _build(fresh, now)
    assert _trees(folder) == _trees(fresh)
    shutil.rmtree(base)



def test_a_full_disk_is_one_line_naming_the_file_and_out_stays_whole(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(disk)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("no tmpfs can be mounted here (needs root)")
    try:
        shutil.copytree(ROOT / "source", disk / "source")
        result = run_cli(disk, "all")
        assert result.returncode == 1
        failure = [line for line in result.stderr.splitlines() if "cannot write" in line]
        assert len(failure) == 1 and "No space left on device" in failure[0], result.stderr
        assert f"cannot write out/{SEED_SLUG}/" in failure[0]
        assert not (disk / "out").exists()  # nothing half-written, nothing at all
        assert not list(disk.rglob("*.tmp"))
    finally:
        subprocess.run(["umount", str(disk)], check=False)
