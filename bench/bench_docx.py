"""Per-release DOCX time: pressexport's Word writer against raw python-docx building the same
document (same reference, paragraphs, styles, runs, pictures, header, footer, properties).

    PYTHONPATH=src python bench/bench_docx.py [--rounds N]

Both sides run interleaved in the same process; the best round of each is compared, so other
load on the machine affects both alike.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import docx
from docx.shared import Emu
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
    made = docx.Document(io.BytesIO(data))
    paragraphs = []
    pictures = iter([(Path(shape._inline.graphic.graphicData.pic.nvPicPr.cNvPr.name),
                      shape.width, shape.height) for shape in made.inline_shapes])
    for p in made.paragraphs:
        runs = [(r.text, r.bold, r.italic, r.style.name if r.style.name != "Default Paragraph Font"
                 else None) for r in p.iter_inner_content() if hasattr(r, "bold")]
        runs += [(h.text, None, None, "Hyperlink") for h in p.hyperlinks]  # raw: text only
        picture = next(pictures) if p.style.name == "Figure" else None
        paragraphs.append((p.style.name, runs, picture))
    names = {name for name, _, _ in paragraphs} | {style for _, runs, _ in paragraphs
                                                   for *_, style in runs if style}
    header = made.sections[0].header.paragraphs[0].text
    footer = made.sections[0].footer.paragraphs[0].text
    props = made.core_properties

    def build() -> bytes:
        document = docx.Document(str(reference))
        document.element.body.clear_content()
        styles = {name: document.styles[name] for name in names}
        for name, runs, picture in paragraphs:
            paragraph = document.add_paragraph(style=styles[name])
            for text, bold, italic, style in runs:
                run = paragraph.add_run(text, styles[style] if style else None)
                run.bold, run.italic = bold, italic
            if picture:
                paragraph.add_run().add_picture(str(media / picture[0].name),
                                                Emu(picture[1]), Emu(picture[2]))
        section = document.sections[0]
        section.header.paragraphs[0].text = header
        section.footer.paragraphs[0].text = footer
        section.first_page_footer.paragraphs[0].text = footer
        core = document.core_properties
        for field in ("title", "subject", "keywords", "author", "last_modified_by", "identifier",
                      "language", "created", "modified", "revision"):
            setattr(core, field, getattr(props, field))
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    return build

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
