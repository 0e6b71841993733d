"""Per-release DOCX time: pressexport's Word writer against raw python-docx building the same
document (same reference, paragraphs, styles, runs, pictures, header, footer, properties).

    PYTHONPATH=src python bench/bench_docx.py [--rounds N]

Both sides run interleaved in the same process; the best round of each is compared, so other
load on the machine affects both alike.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from rawdocx import raw_build, raw_spec
from timing import best

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import SEED_SLUG  # noqa: E402
from pressexport import templates  # noqa: E402
from pressexport.load import load_project  # noqa: E402
from pressexport.view import view  # noqa: E402
from pressexport.writers import Context  # noqa: E402
from pressexport.writers.word import render  # noqa: E402
from test_docx import LONG_SUMMARY, RICH, RICH_YAML, png  # noqa: E402


def raw_builder(data: bytes, reference: Path, media: Path) -> Callable[[], bytes]:
    """A function building `data`'s document with python-docx's public API alone."""
    spec = raw_spec(data)
    return lambda: raw_build(spec, reference, media)


def main() -> int:
    """Print per-release times and the overhead of pressexport over raw python-docx."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(ROOT / "source", folder / "source")
        media = folder / "source" / "media"
        media.mkdir(exist_ok=True)
        (media / "wide.png").write_bytes(png(1600, 900))
        (media / "tall.png").write_bytes(png(600, 1200))
        (folder / "source" / "releases" / f"{RICH}.yaml").write_text(
            RICH_YAML.format(summary=LONG_SUMMARY).replace("translations:\n  zh-Hans: "
                                                           "2024-11-20-zh-every-construct\n", ""),
            encoding="utf-8")
        ctx = Context(load_project(folder / "source"), None)
        reference = templates.find(None, "docx/reference.docx")
        print(f"{'release':<46} {'pressexport':>12} {'python-docx':>12} {'overhead':>9}")
        worst = 0.0
        for slug in (SEED_SLUG, RICH):
            release_view = view(ctx.project.release(slug))
            ours = lambda v=release_view: render(v, ctx)  # noqa: E731
            raw = raw_builder(ours(), reference, media)
            raw()
            ours_time, raw_time = float("inf"), float("inf")
            for _ in range(args.rounds):  # interleaved, so both see the same machine load
                ours_time = min(ours_time, best(ours, 1))
                raw_time = min(raw_time, best(raw, 1))
            overhead = ours_time / raw_time - 1
            worst = max(worst, overhead)
            print(f"{slug:<46} {ours_time * 1000:>10.1f}ms {raw_time * 1000:>10.1f}ms "
                  f"{overhead:>+8.0%}")
        print(f"worst overhead {worst:+.0%} (target: at most +10%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
