"""Shared fixtures: a copy of the sample workspace, the real CLI, and the seed's facts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_SLUG = "2017-09-08-hangzhou-migration-law-training"

SEED_HEADLINE = (
    "IOM, China’s Bureau of Exit and Entry Administration, Ministry of Public Security, "
    "Organize International Migration Law and International Standards Training"
)
SEED_FIRST_PARAGRAPH = (
    "IOM, the UN Migration Agency, and the Bureau of Exit and Entry Administration of China’s "
    "Ministry of Public Security (MPS) is today (8/9) holding a joint training on ‘International "
    "Migration Law and International Standards’ for 33 Chinese officials from the MPS and "
    "Provincial Security Bureaus."
)
#: Every fact of the reference release (../shared/seed/) in document order, as every format
#: must show it.
SEED_FACTS = (
    "International Organization for Migration",
    SEED_HEADLINE,
    "Capacity Building",
    "Hangzhou",
    "8 September 2017",
    SEED_FIRST_PARAGRAPH,
    "European Union-funded EU-China Dialogue on Migration and Mobility Support Project",
    "University of Cologne",
    "British Institute of International and Comparative Law",
    "to contribute in promoting global prosperity and stability,\" said Deputy Director General "
    "of the Bureau of Exit and Entry Administration Liu Liu.",
    "said IOM China Chief of Mission Pär Liljert.",
    "The training aims to help participants to better understand the changing global frameworks "
    "for cooperative migration governance, and to provide an opportunity for them to discuss "
    "ways of improving migration management in China.",
    "Delegates at the international migration law and standards training in Hangzhou, China.",
    "IOM 2017",
    "Etienne Micallef",
    "IOM Office in China",
    "+861381120 9875",
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the sample workspace (source/ only) in a fresh folder; cwd is left alone."""
    shutil.copytree(ROOT / "source", tmp_path / "source")
    return tmp_path


@pytest.fixture
def seed_yaml(workspace: Path) -> Path:
    """The reference release's YAML inside the workspace copy."""
    return workspace / "source" / "releases" / f"{SEED_SLUG}.yaml"


Run = Callable[..., subprocess.CompletedProcess[str]]


def run_cli(cwd: Path, *args: str, env: dict[str, str] | None = None,
            input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `pressexport` command in `cwd` (usable from module-scoped fixtures too)."""
    full_env = {**os.environ, "COLUMNS": "100", **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "pressexport", *args], cwd=cwd, env=full_env,
        capture_output=True, text=True, input=input, timeout=600,
    )
    assert_no_traceback(result.stdout + result.stderr)
    return result


def assert_no_traceback(output: str) -> None:
    """No command prints a Python traceback, whatever a test makes it do (every CLI run in the
    suite goes through this check)."""
    assert "Traceback (most recent call last)" not in output, output


def built_sample(folder: Path, *args: str) -> Path:
    """Copy the sample source into `folder` and run `pressexport ARGS -q` there, successfully."""
    shutil.copytree(ROOT / "source", folder / "source")
    result = run_cli(folder, *args, "-q")
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def run() -> Run:
    """Run the real `pressexport` command in a folder: run(cwd, "all", "--now", ...)."""
    return run_cli


def write_release(workspace: Path, slug: str, text: str) -> Path:
    """Write source/releases/SLUG.yaml with `text`."""
    path = workspace / "source" / "releases" / f"{slug}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def columns(text: str) -> int:
    """Display columns by the Unicode East Asian Width property (wide and fullwidth count 2):
    the tests' own oracle, independent of the wcwidth library the wrapper uses."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text
               if not unicodedata.combining(c))


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes, for before/after comparisons."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


#: A body using every construct the Markdown subset allows (each walker must render all of it).
EVERY_CONSTRUCT_BODY = """\
The first paragraph has *emphasis*, **strong text**, `code`, a [link](https://example.org/a)
and a soft break.

## A subhead

### A smaller subhead

- A bullet with a [second link](https://example.org/b)
- Another bullet
  - A nested bullet

1. First numbered
2. Second numbered
   1. Nested numbered

> "A block quote," said someone.

A line with a hard break\\
after it, and the [first link again](https://example.org/a) and <https://example.org/c>.
"""


def every_construct_release(workspace: Path, slug: str = "2024-11-20-every-construct") -> Path:
    """Write a release whose body uses every allowed Markdown construct."""
    body = "\n".join("  " + line if line else "" for line in EVERY_CONSTRUCT_BODY.splitlines())
    return write_release(workspace, slug, (
        "headline: Every construct\ndate: 2024-11-20\ndateline: Geneva\n"
        "contacts:\n  - name: Ana Example\n    email: ana@example.org\n"
        f"body: |\n{body}\n"
    ))


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--update-golden`: rewrite tests/golden/ from this build instead of comparing with it."""
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the expected-output files under tests/golden/")


def libreoffice(files: list[Path], to: str, folder: Path) -> dict[str, Path]:
    """Convert `files` with LibreOffice (`to`: "pdf" or "docx") into `folder`, in one soffice
    run with a profile of its own (two runs sharing the default profile fail); stem → file."""
    if not shutil.which("soffice"):
        pytest.fail("LibreOffice (soffice, Debian libreoffice-writer) is required")
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless",
         "--convert-to", to, "--outdir", str(folder / to), *map(str, files)],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    made = {path.stem: folder / to / f"{path.stem}.{to}" for path in files}
    assert all(path.is_file() for path in made.values()), result.stdout + result.stderr
    return made
