"""Invalid input: each problem located as FILE:LINE:COL: field.path: message; exit 2; no output."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conftest import SEED_SLUG, Run, tree_bytes, write_release

GOOD = """\
headline: A headline
date: 2024-11-20
dateline: Geneva
body: |
  First paragraph.
"""


def release_problems(run: Run, workspace: Path, text: str, slug: str = "2024-11-20-x") -> str:
    write_release(workspace, slug, text)
    result = run(workspace, "validate")
    assert result.returncode == 2, result.stdout + result.stderr
    return result.stderr


CASES = [
    pytest.param(GOOD.replace("headline:", "headine:"),
                 "1:1: headine: unknown field 'headine' (did you mean 'headline'?)", id="typo"),
    pytest.param(GOOD + "notes: Background.\n",
                 "6:1: notes: unknown field 'notes' (did you mean 'notes_to_editors'?)",
                 id="shortened-name"),
    pytest.param(GOOD + "organization: IOM\n", "6:1: organization: unknown field 'organization'\n",
                 id="no-far-fetched-suggestion"),
    pytest.param(GOOD.replace("2024-11-20", "2024-13-01"),
                 "2:7: date: '2024-13-01' is not an ISO 8601 date", id="bad-date"),
    pytest.param(GOOD + "  \n  Second <b>bold</b> paragraph.\n",
                 "7:10: body: raw HTML is not allowed", id="raw-html-inline"),
    pytest.param(GOOD + "\n  <div>\n  block\n  </div>\n",
                 "7:3: body: raw HTML is not allowed", id="raw-html-block"),
    pytest.param(GOOD + "\n  See [the file](file:///etc/passwd).\n",
                 "7:3: body: link target 'file:///etc/passwd' is not allowed", id="file-link"),
    pytest.param(GOOD + "\n  See [x](javascript:alert(1)).\n",
                 "7:3: body: link target 'javascript:alert(1)' is not allowed", id="js-link"),
    pytest.param(GOOD + "\n  # A second headline\n",
                 "7:3: body: use '##' or '###' for subheads", id="h1"),
    pytest.param(GOOD + "media:\n  - caption: A photo\n    file: ../site.yaml\n    alt: x\n",
                 "8:11: media[0].file: '../site.yaml' must be a relative path inside source/media/",
                 id="media-escape"),
    pytest.param(GOOD + "media:\n  - caption: A photo\n    file: /etc/passwd\n    alt: x\n",
                 "8:11: media[0].file: '/etc/passwd' must be a relative path", id="media-absolute"),
    pytest.param(GOOD + "media:\n  - caption: A photo\n    file: missing.jpg\n    alt: x\n",
                 "8:11: media[0].file: 'missing.jpg' not found", id="media-missing"),
    pytest.param(GOOD + "media:\n  - caption: A photo\n    url: ftp://example.org/a.jpg\n",
                 "8:10: media[0].url: 'ftp://example.org/a.jpg' is not an absolute http(s) URL",
                 id="media-ftp"),
    pytest.param(GOOD + "translations:\n  fr: 2024-11-20-nowhere\n",
                 "7:7: translations.fr: no release '2024-11-20-nowhere'", id="translation"),
    pytest.param(GOOD + "correction: Fixed a name.\n",
                 "6:13: correction: 'correction' requires 'updated'", id="correction-alone"),
    pytest.param(GOOD + "contacts:\n  - name: A\n    email: nobody\n",
                 "8:12: contacts[0].email: 'nobody' is not an email address", id="email"),
    pytest.param(GOOD + "dateline: Paris\n", "6:1: dateline: duplicate key", id="duplicate"),
    pytest.param(GOOD + "a: &x [1, 2]\nb: *x\n", "aliases are not allowed", id="alias"),
    pytest.param(GOOD + "topics: [Capacity Building, capacity-building]\n",
                 "6:9: topics: 'Capacity Building' and 'capacity-building' are one topic",
                 id="topic-folders"),
    pytest.param(GOOD + "updated: 2024-11-19T10:00\n",
                 "6:10: updated: 'updated' is before the release 'date'", id="updated-before"),
    pytest.param(GOOD + "translations:\n  fr: 2024-11-20-x\n",
                 "7:7: translations.fr: a release is not its own translation", id="self"),
    pytest.param(GOOD + "translations:\n  fr: " + SEED_SLUG + "\n",
                 f"7:7: translations.fr: '{SEED_SLUG}' is in language 'en', not 'fr'",
                 id="translation-language"),
    pytest.param(GOOD + "embargo: tomorrow\n", "6:10: embargo: 'tomorrow' is not an ISO 8601",
                 id="embargo"),
    pytest.param(GOOD + "language: english\n", "6:11: language: 'english' is not a BCP 47",
                 id="language"),
    pytest.param("headline: [unclosed\n", "2:1: YAML syntax", id="syntax"),
    pytest.param(GOOD + "body: again\n", "6:1: body: duplicate key", id="duplicate-body"),
    pytest.param(GOOD + "x: !!python/object:os.system ls\n", "YAML tag", id="python-tag"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_invalid_release_is_located(workspace: Path, run: Run, text: str, expected: str) -> None:
    stderr = release_problems(run, workspace, text)
    assert f"source/releases/2024-11-20-x.yaml:{expected}" in stderr or expected in stderr, stderr


def test_every_problem_in_every_file_is_reported_at_once(workspace: Path, run: Run) -> None:
    write_release(workspace, "2024-11-20-a", GOOD.replace("headline:", "headlin:"))
    write_release(workspace, "2024-11-20-b", GOOD.replace("dateline: Geneva", "dateline: [1]")
                  + "topics: [A, A]\nbody2: x\n")
    (workspace / "source" / "site.yaml").write_text(
        (workspace / "source" / "site.yaml").read_text() + "colour: red\n")
    stderr = run(workspace, "validate").stderr
    lines = stderr.strip().splitlines()
    assert "source/site.yaml:" in stderr and "colour: unknown field 'colour'" in stderr
    assert any(line.startswith("source/releases/2024-11-20-a.yaml:1:1: headlin:")
               for line in lines)
    assert any("2024-11-20-b.yaml:3:11: dateline: expected text" in line for line in lines)
    assert any("2024-11-20-b.yaml:6:9: topics: listed more than once: A" in line for line in lines)
    assert any("2024-11-20-b.yaml:7:1: body2: unknown field 'body2'" in line for line in lines)


def test_invalid_input_writes_nothing_and_keeps_previous_out(workspace: Path, run: Run) -> None:
    assert run(workspace, "all", "-q").returncode == 0
    before = tree_bytes(workspace / "out")
    write_release(workspace, "2024-11-20-x", GOOD.replace("headline:", "headine:"))
    for command in ("all", "email"):
        result = run(workspace, command)
        assert result.returncode == 2
        assert "headine" in result.stderr
    assert tree_bytes(workspace / "out") == before


def test_invalid_input_creates_no_out_folder(workspace: Path, run: Run) -> None:
    write_release(workspace, "2024-11-20-x", "headline: x\n")
    assert run(workspace, "all").returncode == 2
    assert not (workspace / "out").exists()


def test_alias_bomb_is_refused_quickly(workspace: Path, run: Run) -> None:
    bomb = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    write_release(workspace, "2024-11-20-bomb", "\n".join(bomb) + "\n")
    start = time.monotonic()
    result = run(workspace, "validate")
    assert time.monotonic() - start < 10
    assert result.returncode == 2
    assert "YAML anchors and aliases are not allowed" in result.stderr


def test_oversized_yaml_is_refused(workspace: Path, run: Run) -> None:
    stderr = release_problems(run, workspace, GOOD + "summary: " + "x" * (1024 * 1024) + "\n",
                              slug="2024-11-20-big")
    assert "2024-11-20-big.yaml:1:1: file is larger than 1 MiB: refused" in stderr


def test_media_symlink_outside_source_is_refused(workspace: Path, run: Run, tmp_path: Path) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    os.symlink(outside, workspace / "source" / "media" / "photo.png")
    stderr = release_problems(
        run, workspace, GOOD + "media:\n  - caption: A photo\n    file: photo.png\n    alt: x\n")
    assert "8:11: media[0].file: 'photo.png' resolves outside source/media/: refused" in stderr


def test_bad_slug_file_name(workspace: Path, run: Run) -> None:
    stderr = release_problems(run, workspace, GOOD, slug="Bad_Name")
    assert "Bad_Name.yaml:1:1: file name 'Bad_Name' is not a slug" in stderr


def test_yaml_1_1_words_stay_text(workspace: Path, run: Run) -> None:
    """`no`, `on` and `1.0` are text in a release (Norway's language tag is `no`)."""
    write_release(workspace, "2024-11-20-no", GOOD + "language: no\ntopics: [on, 1.0]\n")
    result = run(workspace, "validate")
    assert result.returncode == 0, result.stderr


def test_validate_named_file_only(workspace: Path, run: Run) -> None:
    bad = write_release(workspace, "2024-11-20-bad", "headline: x\n")
    seed = workspace / "source" / "releases" / f"{SEED_SLUG}.yaml"
    assert run(workspace, "validate", str(seed)).returncode == 0
    assert run(workspace, "validate", str(bad)).returncode == 2


def test_convention_warnings_exit_zero(workspace: Path, run: Run) -> None:
    long_headline = "A very long headline " * 7
    write_release(workspace, "2024-11-20-w", GOOD.replace("A headline", long_headline.strip())
                  + "summary: " + "word " * 70 + "\n")
    result = run(workspace, "validate")
    assert result.returncode == 0, result.stderr
    assert "2024-11-20-w.yaml:1:11: headline: warning: headline is 146 characters" in result.stderr
    assert "2024-11-20-w.yaml:6:10: summary: warning: summary is 349 characters" in result.stderr
    assert "2024-11-20-w.yaml:1:1: contacts: warning: no media contact" in result.stderr


def test_site_email_addresses_are_checked_without_crashing(workspace: Path, run: Run) -> None:
    site = workspace / "source" / "site.yaml"
    text = site.read_text().replace("  to: []", '  to: ["bad@", "<>", "a <b", ok@example.org]')
    site.write_text(text.replace("  from: IOM China press office <press@newsroom.example.org>\n",
                                 ""))
    result = run(workspace, "validate")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for index in (0, 1, 2):
        assert f"email.to[{index}]: '" in result.stderr
    assert "email.to[3]" not in result.stderr
    assert "email.from: required field is missing" in result.stderr


@pytest.mark.parametrize(("data", "message"), [
    (b"HEIC, not JPEG", "'photo.jpg' is not a readable image"),
    (b"RIFF\x1a\x00\x00\x00WEBPVP8L\r\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00",
     "'photo.jpg' is a WEBP image: use PNG, JPEG or GIF"),
])
def test_unreadable_or_unembeddable_image_is_located(
    workspace: Path, run: Run, data: bytes, message: str
) -> None:
    (workspace / "source" / "media" / "photo.jpg").write_bytes(data)
    stderr = release_problems(
        run, workspace, GOOD + "media:\n  - caption: A photo\n    file: photo.jpg\n    alt: x\n")
    assert f"8:11: media[0].file: {message}" in stderr
