"""Time `pressexport validate` over 500 generated releases and `pressexport --help`.

Run: .venv/bin/python bench/bench_validate.py [--releases 500] [--runs 5]
Targets (issue 2): validate 500 releases < 1 s; --help < 0.3 s. Prints the best and median run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "releases" / "2017-09-08-hangzhou-migration-law-training.yaml"


def make_source(folder: Path, count: int) -> Path:
    """A source folder with `count` copies of the seed under different slugs and headlines."""
    source = folder / "source"
    shutil.copytree(ROOT / "source", source)
    text = SEED.read_text(encoding="utf-8")
    for i in range(count):
        slug = f"2017-09-{8 + i % 20:02d}-release-{i:04d}"
        body = text.replace("Organize International", f"Organize ({i}) International")
        (source / "releases" / f"{slug}.yaml").write_text(body, encoding="utf-8")
    return source


def timed(args: list[str], runs: int) -> list[float]:
    """Wall-clock seconds of `runs` runs of the command."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--releases", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    command = [sys.executable, "-m", "pressexport"]
    with tempfile.TemporaryDirectory() as temp:
        source = make_source(Path(temp), options.releases)
        validate = timed([*command, "validate", "-q", "--source", str(source)], options.runs)
    help_times = timed([*command, "--help"], options.runs)
    for name, times, target in (
        (f"validate ({options.releases} releases)", validate, 1.0),
        ("--help", help_times, 0.3),
    ):
        best, median = min(times), statistics.median(times)
        verdict = "ok" if median < target else "OVER TARGET"
        print(f"{name:32} best {best:.3f} s  median {median:.3f} s  target {target} s  {verdict}")


if __name__ == "__main__":
    main()
