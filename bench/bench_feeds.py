"""Time the feeds writer against raw feedgen on the same entries, as a ratio.

    .venv/bin/python bench/bench_feeds.py [RELEASES]

Builds RELEASES synthetic releases (default 200) in a temporary workspace, then times
1. raw feedgen: one Atom and one RSS document with the same titles, ids, dates and an
   equally long, precomputed HTML content per entry (the floor: what feedgen alone costs);
2. pressexport's feeds writer: the same plus topic feeds, content rendered from the tree;
3. `pressexport feed` end to end (load + validate + feeds + index, the PDF and DOCX already
   in out/), for scale.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from timing import best

ROOT = Path(__file__).resolve().parents[1]
SEED = "2017-09-08-hangzhou-migration-law-training"


def workspace(count: int) -> Path:
    """A copy of the sample with `count` releases, spread over days and three topics."""
    folder = Path(tempfile.mkdtemp(prefix="bench-feeds-"))
    shutil.copytree(ROOT / "source", folder / "source")
    seed = (folder / "source" / "releases" / f"{SEED}.yaml").read_text(encoding="utf-8")
    body = seed[seed.index("body: |"):seed.index("media:")]
    for n in range(count):
        slug = f"2020-{1 + n % 12:02d}-{1 + n % 28:02d}-bench-{n:04d}"
        topic = ("Capacity Building", "Health", "Emergencies")[n % 3]
        (folder / "source" / "releases" / f"{slug}.yaml").write_text(
            f"headline: Benchmark release {n} & <friends>\ndate: 2020-{1 + n % 12:02d}-"
            f"{1 + n % 28:02d}T{n % 24:02d}:00\ndateline: Testville\ntopics: [{topic}]\n{body}",
            encoding="utf-8")
    return folder

def raw_feedgen(entries: list[tuple[str, str, str, datetime, str]]) -> None:
    """Atom and RSS from feedgen alone: (id, title, link, date, html) per entry."""
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id("https://example.org/atom.xml")
    fg.title("Bench")
    fg.link(href="https://example.org/", rel="alternate")
    fg.description("Bench")
    for id_, title, link, date, html in entries:
        fe = fg.add_entry(order="append")
        fe.id(id_)
        fe.title(title)
        fe.link(href=link)
        fe.published(date)
        fe.updated(date)
        fe.content(html, type="html")
    fg.atom_str(pretty=True)
    fg.rss_str(pretty=True)


def main() -> None:
    """Print the timings and the ratio."""
    from pressexport.load import load_project
    from pressexport.newsroom import Channel, newsroom
    from pressexport.writers import Context, feeds

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    folder = workspace(count)
    try:
        project = load_project(folder / "source")
        ctx = Context(project, None)
        now = datetime.now(UTC)
        room = newsroom(project.site, project.releases, now, {})
        shown = room.releases[: project.site.feed.limit]
        channel = Channel("", None, tuple(shown))
        entries = [(r.id, r.headline, r.url, r.date, feeds.entry(r, room, ctx).content)
                   for r in shown]

        def site_feeds() -> None:
            fresh = newsroom(project.site, project.releases, now, {})
            items = [feeds.entry(r, fresh, ctx) for r in shown]
            feeds.atom(project.site, channel, items)
            feeds.rss(project.site, channel, items)

        raw = best(lambda: raw_feedgen(entries))
        ours = best(site_feeds)
        every = best(lambda: feeds.write(newsroom(project.site, project.releases, now, {}), ctx))
        # `feed` renders the PDFs and DOCX it lacks; build them first so only the feeds count.
        subprocess.run([sys.executable, "-m", "pressexport", "all", "-q"], cwd=folder, check=True)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pressexport", "feed", "-q"], cwd=folder,
                       check=True)
        end_to_end = time.perf_counter() - start
    finally:
        shutil.rmtree(folder)
    print(f"{count} releases, {len(entries)} entries per site feed (feed.limit)")
    print(f"raw feedgen, site Atom+RSS (content given): {raw * 1000:8.1f} ms")
    print(f"pressexport, site Atom+RSS (content made):  {ours * 1000:8.1f} ms"
          f"   ratio {ours / raw:.2f}")
    print(f"pressexport, every feed (site + topics):    {every * 1000:8.1f} ms")
    print(f"`pressexport feed` end to end:              {end_to_end * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
