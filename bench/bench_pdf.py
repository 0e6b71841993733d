"""Per-release PDF time of pressexport's writer against raw WeasyPrint on the same HTML and CSS.

    PYTHONPATH=src python bench/bench_pdf.py [--source source] [--rounds 15]

"ours" is writers.pdf.render_pdf (template rendering, cached stylesheets and fonts, metadata,
attachment, font check). "raw" is what a script would do: HTML(string=...).write_pdf() with the
print HTML rendered beforehand, the same stylesheets parsed from their files, and the same
pdf_variant; "raw, no variant" shows what the tagged PDF/A-3a output costs by itself.
Rounds alternate the three so that machine load affects them alike; medians are reported.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from weasyprint import CSS, HTML

from pressexport import templates
from pressexport.load import load_project
from pressexport.model import Release
from pressexport.view import view
from pressexport.writers import Context, pdf
from pressexport.writers import html as html_writer


def raw(html: str, base_url: str, css: list[Path], page_size: str, **options: object) -> bytes:
    """WeasyPrint as documented: no shared font configuration, stylesheets parsed per call."""
    sheets = [CSS(filename=path) for path in css]
    sheets.append(CSS(string=f"@page {{ size: {pdf.PAGE_SIZES[page_size]} }}"))
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=sheets, **options)


def tuned(html: str, release: Release, ctx: Context) -> bytes:
    """Raw WeasyPrint given the writer's shared font configuration and parsed stylesheets: the
    floor for our writer, which adds the template, metadata, attachment and checks."""
    sheets = pdf.stylesheets(ctx, release.site.pdf.page_size)
    return HTML(string=html, base_url=pdf.SOURCE_URL, url_fetcher=pdf.fetcher(ctx)).write_pdf(
        stylesheets=sheets, font_config=pdf.FONT_CONFIG, **pdf.OPTIONS)


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    """Measure and print a table of medians in milliseconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("source"))
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("-v", "--verbose", action="store_true", help="each release's medians")
    args = parser.parse_args()
    project = load_project(args.source)
    ctx = Context(project, None)
    css = [templates.find(None, name) for name in html_writer.STYLESHEETS["print"]]
    base_url = project.source.resolve().as_uri() + "/"
    runs: dict[str, Callable[[], object]] = {}
    for release in project.releases:
        v = view(release)
        html = html_writer.render(v, ctx, "print")
        size = release.site.pdf.page_size
        runs[f"ours {release.slug}"] = lambda v=v: pdf.render_pdf(v, ctx)
        runs[f"raw {release.slug}"] = lambda h=html, s=size: raw(h, base_url, css, s,
                                                                 **pdf.OPTIONS)
        runs[f"raw, no variant {release.slug}"] = lambda h=html, s=size: raw(h, base_url, css, s)
        runs[f"tuned {release.slug}"] = lambda h=html, r=release: tuned(h, r, ctx)
    for run in runs.values():  # warm up: imports, font discovery, first stylesheet parse
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, run in runs.items():
            times[name].append(timed(run))
    def per_release(prefix: str) -> float:
        """The sum over releases of each release's median: the time for one of each."""
        return sum(statistics.median(times[f"{prefix} {r.slug}"]) for r in project.releases)

    count = len(project.releases)
    ours, raw_same, raw_plain, floor = (per_release(p) / count
                                        for p in ("ours", "raw", "raw, no variant", "tuned"))
    print(f"{count} release(s), {args.rounds} rounds; per release (mean of per-release medians):")
    print(f"  ours: pressexport's pdf writer             {ours * 1000:7.1f} ms")
    print(f"  raw WeasyPrint, same HTML, CSS and variant {raw_same * 1000:7.1f} ms")
    print(f"  raw WeasyPrint, without PDF/A-3a           {raw_plain * 1000:7.1f} ms")
    print(f"  raw WeasyPrint with our shared fonts + CSS {floor * 1000:7.1f} ms")
    print(f"  overhead against raw (same variant):        {100 * (ours / raw_same - 1):+6.1f} %")
    print(f"  overhead against raw with shared fonts+CSS: {100 * (ours / floor - 1):+6.1f} %")
    if args.verbose:
        for name, values in times.items():
            print(f"    {name:60} {statistics.median(values) * 1000:7.1f} ms")

if __name__ == "__main__":
    main()
