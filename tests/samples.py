"""Sample releases beyond the seed (every Markdown construct, images, links, Chinese)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import EVERY_CONSTRUCT_BODY, ROOT, write_release

KITCHEN_SLUG = "2024-11-20-sample-every-construct"
CHINESE_SLUG = "2024-11-20-sample-zh"

#: A headline full of markup characters: escaped in HTML, intact in the PDF.
MARKUP_HEADLINE = """Tom & Jerry's <b>"bold"</b> claims & <script>alert('x')</script> > all"""

#: Latin with accents, Greek and Cyrillic: the font stack must cover them.
ACCENTS = "\nÄrzte, Überblick, São Paulo, Zürich, Kraków, Đà Nẵng, Ελλάδα, Москва.\n"


def _indent(text: str) -> str:
    return "\n".join("  " + line if line else "" for line in text.splitlines())


KITCHEN = f"""\
headline: {json.dumps(MARKUP_HEADLINE)}
subheadline: A subheadline that explains the headline in one line
date: 2024-11-20T09:00
updated: 2024-11-21T10:30
correction: An earlier version gave the wrong **number** of participants.
embargo: 2024-11-20T10:00
dateline: Geneva, Switzerland
topics: [Capacity Building, "Migration, Law"]
summary: A sample release that uses every construct the body may hold.
translations:
  zh-Hans: {CHINESE_SLUG}
body: |
{_indent(EVERY_CONSTRUCT_BODY + ACCENTS)}
notes_to_editors: |
  - Note one, with a [link](https://example.org/notes).
  - Note two.
media:
  - caption: Participants during the training session.
    credit: Example Org 2024
    file: photos/training session.png
    alt: Participants sitting around a table
  - caption: Video of the opening session
    credit: Example TV
    url: https://example.org/video
  - caption: A photo note without an image.
    credit: Example Org
contacts:
  - name: Jane Doe
    role: Media Officer
    organization: Example Org
    phone: +41 22 000 00 00
    email: jane.doe@example.org
  - name: John Roe
    phone: +41 22 000 00 01
boilerplate: |
  **Example Org** is a sample organisation used to test the layout. Find out more at [example.org](https://example.org/).
"""

CHINESE_HEADLINE = "示例组织发布中文排版测试新闻稿"
CHINESE_SENTENCE = "这是一份用于检查中文排版的示例新闻稿，内容不涉及任何真实事件。"
CHINESE = f"""\
headline: {CHINESE_HEADLINE}
subheadline: 标题、正文、列表和联系人均为中文
date: 2024-11-20
dateline: 日内瓦
language: zh-Hans
translations:
  en: {KITCHEN_SLUG}
body: |
  {CHINESE_SENTENCE}

  ## 测试内容

  - 标点符号：“引号”、括号（示例）和顿号。
  - 中英文混排：Example Org 与示例组织。
media:
  - caption: 示例图片说明。
    credit: 示例组织 2024
contacts:
  - name: 张伟
    organization: 示例组织
    phone: +86 10 0000 0000
    email: zhang.wei@example.org
"""

LOGO_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" \
viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#0b4f8a"/></svg>
"""


def png_bytes() -> bytes:
    """A small landscape PNG (a photo stand-in)."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 350), (70, 110, 150))
    draw = ImageDraw.Draw(image)
    for x in range(0, 600, 30):
        draw.rectangle([x, 200 + (x % 90), x + 20, 350], fill=(200, 170, 120))
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def layout_workspace(folder: Path, page_size: str = "Letter") -> Path:
    """A workspace with the seed, the sample releases, a photo, a logo and `page_size`."""
    shutil.copytree(ROOT / "source", folder / "source")
    media = folder / "source" / "media"
    (media / "photos").mkdir(parents=True)
    (media / "photos" / "training session.png").write_bytes(png_bytes())
    (media / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    site = folder / "source" / "site.yaml"
    text = site.read_text(encoding="utf-8")
    text = text.replace("  url: https://www.iom.int/\n",
                        "  url: https://www.iom.int/\n  logo: logo.svg\n")
    text = text.replace("page_size: A4", f"page_size: {page_size}")
    site.write_text(text, encoding="utf-8")
    write_release(folder, KITCHEN_SLUG, KITCHEN)
    write_release(folder, CHINESE_SLUG, CHINESE)
    return folder


def flat(text: str) -> str:
    """`text` with every run of whitespace made one space."""
    return " ".join(text.split())


def in_order(text: str, parts: list[str]) -> None:
    """Each of `parts` occurs in `text` after the one before it."""
    position = 0
    for part in parts:
        found = text.find(flat(part), position)
        assert found >= 0, f"missing or out of order: {part}"
        position = found + len(flat(part))


def seed_parts_in_spec_order(facts: tuple[str, ...]) -> list[str]:
    """The seed's parts in SPEC order: status, then every fact in document order, the dateline
    and date leading into the first paragraph (house style `un`), the end mark after the
    photo credit."""
    return ["FOR IMMEDIATE RELEASE", *facts[:4], f"{facts[4]} – {facts[5]}", *facts[6:14],
            "-ENDS-", *facts[14:]]
