"""Releases that exercise the feeds: corrections, embargo, translations, markup in text fields.

They are test fixtures, not news: every name and fact in them is invented for the tests.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from conftest import SEED_SLUG, write_release

TRICKY_TITLE = """Relief & recovery: <update> "phase 2" 'north'"""
SCRIPT = "<script>alert(1)</script>"
EMBARGO_SLUG = "2024-11-20-embargoed-announcement"
EMBARGO_LOCAL = "2024-11-20T10:00"  # in site.timezone (Asia/Shanghai, UTC+08:00)
CORRECTED = "2018-01-05-corrected-figures"
SAME_DAY = "2018-01-05-another-same-time"
ZH = "2019-03-01-zh-example"
EN = "2019-03-01-en-example"
SCRIPTED = "2019-06-01-markup-in-fields"
IMAGE = "group photo é.png"  # a name that must be percent-encoded in a URL

RELEASES = {
    CORRECTED: f"""\
headline: '{TRICKY_TITLE.replace("'", "''")}'
date: 2018-01-05T09:00
updated: 2018-02-01T16:30
correction: An earlier version of this test release gave a wrong figure in the second paragraph.
dateline: Testville
topics: [Capacity Building, "Health & <Safety>"]
summary: 'Summary with markup characters: & < > " '' kept as text.'
body: |
  First paragraph of an invented test release.

  Second paragraph with a [link](https://example.org/report?a=1&b=2).
media:
  - caption: An invented photo caption.
    credit: Test Photographer
    file: {IMAGE}
    alt: A grey square standing in for a photo.
""",
    SAME_DAY: """\
headline: Another release at the same time
date: 2018-01-05T09:00
dateline: Testville
body: |
  An invented release dated the same instant as another, to test ordering by slug.
""",
    EMBARGO_SLUG: f"""\
headline: Embargoed test announcement
date: 2024-11-20
embargo: {EMBARGO_LOCAL}
dateline: Testville
topics: [Capacity Building, Embargoed Only]
body: |
  Text that must not reach a feed or the index before the embargo.
""",
    ZH: f"""\
headline: 测试新闻稿：能力建设培训
date: 2019-03-01
language: zh
dateline: 杭州
topics: [能力建设]
translations: {{en: {EN}}}
body: |
  这是一篇用于测试的虚构新闻稿。
""",
    EN: f"""\
headline: Test release in English with a Chinese translation
date: 2019-03-01
dateline: Hangzhou
translations: {{zh: {ZH}}}
body: |
  An invented test release that has a Chinese translation.
""",
    SCRIPTED: f"""\
headline: "Alert {SCRIPT} headline"
subheadline: "<img src=x onerror=alert(2)>"
date: 2019-06-01
dateline: Testville
summary: "Summary {SCRIPT}"
body: |
  A paragraph with a link whose text is markup:
  [\\<script\\>alert(3)\\</script\\>](https://example.org/x?q="><script>alert(4)</script>).

  Code `{SCRIPT}` stays text.
media:
  - caption: "Caption {SCRIPT}"
    credit: "Credit <b>bold</b>"
    url: 'https://example.org/photo?x="><script>alert(5)</script>'
contacts:
  - name: "Name {SCRIPT}"
    email: press@example.org
""",
}

#: Newest first at a time after the embargo; equal dates by slug.
ORDER_AFTER_EMBARGO = [EMBARGO_SLUG, SCRIPTED, EN, ZH, SAME_DAY, CORRECTED, SEED_SLUG]
ORDER_BEFORE_EMBARGO = ORDER_AFTER_EMBARGO[1:]
BEFORE = "2024-11-20T09:59:59"
AFTER = "2024-11-20T10:00:00"

#: Fake documents put in out/ before `pressexport feed`, whose sizes the enclosures must carry.
#: The scripted release gets none: its enclosures are rendered, or skipped without a writer.
FAKE_DOCUMENTS = {slug: {"pdf": b"%PDF-1.7 fake " + slug.encode() * 3,
                         "docx": b"PK fake docx " + slug.encode()}
                  for slug in ORDER_AFTER_EMBARGO if slug != SCRIPTED}


def png(width: int = 8, height: int = 8) -> bytes:
    """A small valid grey PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def add_releases(workspace: Path) -> None:
    """Write the fixture releases (and their image) next to the seed."""
    media = workspace / "source" / "media"
    media.mkdir(exist_ok=True)
    (media / IMAGE).write_bytes(png())
    for slug, text in RELEASES.items():
        write_release(workspace, slug, text)


def add_fake_documents(out: Path) -> None:
    """Put the fake PDF and DOCX files into `out`."""
    for slug, documents in FAKE_DOCUMENTS.items():
        for suffix, data in documents.items():
            path = out / slug / f"{slug}.{suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
