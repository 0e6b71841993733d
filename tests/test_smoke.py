"""The sample builds end to end with the real CLI."""

from __future__ import annotations

from pathlib import Path

from conftest import SEED_FACTS, SEED_SLUG, Run


def test_all_writes_the_seed_text_version_with_every_fact(workspace: Path, run: Run) -> None:
    result = run(workspace, "all", "-q")
    assert result.returncode == 0, result.stderr
    text = (workspace / "out" / SEED_SLUG / f"{SEED_SLUG}.txt").read_text(encoding="utf-8")
    unwrapped = " ".join(text.split())
    for fact in SEED_FACTS:
        assert " ".join(fact.split()) in unwrapped, fact
