"""Golden files: the text outputs of the seed and of a release using every construct, compared
byte for byte with tests/golden/, so that a change's effect on them is visible in review.

Regenerate after an intended change, and review the diff:

    .venv/bin/python -m pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from conftest import ROOT, SEED_SLUG, every_construct_release, run_cli
from pressexport.load import load_project
from pressexport.view import view
from pressexport.writers import Context
from pressexport.writers import html as html_writer

GOLDEN = ROOT / "tests" / "golden"
EVERY = "2024-11-20-every-construct"
NOW = "2025-01-01T00:00"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with the every-construct release, built once for the module."""
    folder = tmp_path_factory.mktemp("golden")
    shutil.copytree(ROOT / "source", folder / "source")
    every_construct_release(folder, EVERY)
    result = run_cli(folder, "all", "-q", "--now", NOW)
    assert result.returncode == 0, result.stderr
    return folder


def outputs(folder: Path) -> Iterator[tuple[str, str]]:
    """(golden file name, text) of every output kept as a golden file."""
    project = load_project(folder / "source")
    ctx = Context(project, None)
    out = folder / "out"
    yield "atom.xml", (out / "atom.xml").read_text(encoding="utf-8")
    yield "rss.xml", (out / "rss.xml").read_text(encoding="utf-8")
    for slug in (SEED_SLUG, EVERY):
        yield f"{slug}.txt", (out / slug / f"{slug}.txt").read_text(encoding="utf-8")
        yield f"{slug}.print.html", html_writer.render(view(project.release(slug)), ctx,
                                                       "print")
        yield f"{slug}.docx.txt", docx_dump((out / slug / f"{slug}.docx").read_bytes())


def docx_dump(data: bytes) -> str:
    """The DOCX as python-docx reads it: one `Style | text` line per paragraph, header and footer
    included (line breaks shown as ⏎, tabs as →)."""
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    parts = [("header", section.header.paragraphs), ("body", document.paragraphs),
             ("footer", section.footer.paragraphs)]
    lines = []
    for part, paragraphs in parts:
        for paragraph in paragraphs:
            text = paragraph.text.replace("\n", "⏎").replace("\t", "→")
            lines.append(f"{part}: {paragraph.style.name} | {text}")
    return "\n".join(lines) + "\n"


def test_text_outputs_equal_the_golden_files(built: Path, request: pytest.FixtureRequest) -> None:
    update = request.config.getoption("--update-golden")
    found = dict(outputs(built))
    if update:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        GOLDEN.mkdir()
        for name, text in found.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(GOLDEN.iterdir())}
    assert sorted(expected) == sorted(found), "golden files missing or extra (--update-golden)"
    for name, text in found.items():
        assert text == expected[name], f"{name} differs from tests/golden/{name} " \
                                       "(after an intended change: --update-golden, then review)"
