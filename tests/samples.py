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


# -- the test corpus: one release per hard case of layout and delivery ----------------------------

#: The instant the corpus is built at: after every release's date, before EMBARGOED_SLUG's embargo.
CORPUS_NOW = "2024-12-01T00:00"
EMBARGOED_SLUG = "2024-11-30-corpus-embargoed"
PHOTO_SLUG = "2024-11-25-corpus-photo"
PHOTO_FR_SLUG = "2024-11-25-corpus-photo-fr"
CORRECTED_SLUG = "2024-11-26-corpus-correction"
LONG_SLUG = "2024-11-27-corpus-long"
EMOJI_SLUG = "2024-11-28-corpus-emoji"
GERMAN_SLUG = "2024-11-29-corpus-german"
#: 63 letters, no hyphen: longer than the headline's line, it must break, not run off the page.
GERMAN_WORD = "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz"
EMOJI = "💉"
#: Photo pixels: the large one prints at the text width (above 150 ppi), the small one at
#: 150 ppi (never enlarged).
LARGE_PHOTO = ("photos/harbour.jpg", (2400, 1600))
SMALL_PHOTO = ("photos/small.png", (320, 200))

_CONTACT = """\
contacts:
  - name: Alex Example
    role: Communications Officer
    organization: Example Org
    phone: +41 22 000 00 10
    email: alex.example@example.org
"""

_EMBARGOED = f"""\
headline: Example Org publishes its annual survey of regional training needs
date: 2024-11-30T09:00
embargo: 2024-12-03T10:00
dateline: Geneva
topics: [Capacity Building]
body: |
  Example Org today publishes its annual survey of training needs across the region. The
  survey finds that 62% of responding offices plan to train more staff next year.

  "The survey helps us plan the coming year," said an Example Org spokesperson.
{_CONTACT}"""

_PHOTO_BODY = """\
  Example Org opened a new training centre today. The centre has four classrooms and a
  library, and will host its first course in January.

  The centre is open to partner organisations on request.
"""

_PHOTO_EN = f"""\
headline: Example Org opens a training centre
subheadline: Four classrooms and a library for partner organisations
date: 2024-11-25T09:00
dateline: Geneva, Switzerland
translations:
  fr: {PHOTO_FR_SLUG}
body: |
{_PHOTO_BODY}media:
  - caption: The new training centre seen from the street.
    credit: Example Org 2024
    file: {LARGE_PHOTO[0]}
    alt: A low building with large windows
  - caption: A classroom before the first course.
    credit: Example Org 2024
    file: {SMALL_PHOTO[0]}
    alt: Empty desks facing a whiteboard
{_CONTACT}"""

_PHOTO_FR = f"""\
headline: Example Org ouvre un centre de formation
subheadline: Quatre salles de classe et une bibliothèque pour les organisations partenaires
date: 2024-11-25T09:00
dateline: Genève, Suisse
language: fr
body: |
  Example Org a ouvert aujourd’hui un nouveau centre de formation. Le centre compte quatre
  salles de classe et une bibliothèque ; il accueillera son premier cours en janvier.

  Le centre est ouvert aux organisations partenaires sur demande.
media:
  - caption: Le nouveau centre de formation vu de la rue.
    credit: Example Org 2024
    file: {LARGE_PHOTO[0]}
    alt: Un bâtiment bas aux grandes fenêtres
{_CONTACT}"""

_CORRECTED = f"""\
headline: Example Org announces the dates of its spring workshops
date: 2024-11-26T09:00
updated: 2024-11-27T15:00
correction: An earlier version gave the wrong date for the second workshop; it is **14 March**.
dateline: Geneva
body: |
  Example Org will hold two workshops in the spring: the first on 7 March and the second on
  14 March. Registration opens in January.
{_CONTACT}"""

_LONG_PARAGRAPHS = [
    "Example Org today presented the results of a two-year programme that trained staff of "
    "partner organisations in planning, reporting and working with communities. The "
    "programme ran in twelve cities and reached more than 1,400 participants, 55% of them "
    "women.",
    "The programme combined classroom courses with practical work in the participants' own "
    "offices. Each course lasted five days and was followed by three months of mentoring, "
    "during which participants applied what they had learned to a project of their choice.",
    "Participants rated the courses highly: in the final survey, nine in ten said that they "
    "used the methods they had learned in their daily work, and eight in ten said that their "
    "office had changed at least one procedure as a result.",
    "The programme also produced a set of open training materials, which partner "
    "organisations may adapt and translate. The materials cover project planning, budgeting, "
    "monitoring and evaluation, and communication with the public.",
    "Trainers came from partner organisations and from Example Org's own staff. Each trainer "
    "took part in a preparatory course and was paired with a more experienced colleague for "
    "their first sessions.",
]
_LONG_QUOTE = ("> \"The programme showed that short courses work best when they are followed "
               "by practice,\" said an Example Org programme manager. \"We will build on that "
               "in the next phase.\"")


def _long_body() -> str:
    """Several pages of structured text: subheads, lists, quotes and many paragraphs."""
    p = _LONG_PARAGRAPHS
    parts = [p[0], p[1], "## What participants learned", p[2],
             "- Planning a project from its goals to its budget\n"
             "- Reporting results to partners and the public\n"
             "- Working with communities and listening to their concerns",
             _LONG_QUOTE, p[3], "### Materials", p[4],
             "1. A trainer's guide with session plans\n"
             "2. A workbook for participants\n"
             "3. Short videos for each module",
             "## The next phase", p[1], p[2], _LONG_QUOTE, p[3], p[4], p[0],
             "## How to take part", p[2], p[3],
             "- Partner organisations apply through their regional office\n"
             "- Applications open in February", p[4]]
    return "\n\n".join(parts)


_LONG = f"""\
headline: Example Org presents the results of its two-year training programme
subheadline: More than 1,400 participants in twelve cities; open materials for partners
date: 2024-11-27T09:00
dateline: Geneva, Switzerland
topics: [Capacity Building, Training]
body: |
{_indent(_long_body())}
notes_to_editors: |
  - The programme ran from December 2022 to November 2024.
  - The training materials are available on request from the contacts below.
  - Photos of the courses are available on request.
{_CONTACT}  - name: Sam Sample
    role: Programme Manager
    organization: Example Org
    phone: +41 22 000 00 11
    email: sam.sample@example.org
  - name: Robin Placeholder
    role: Press Officer
    phone: +41 22 000 00 12
boilerplate: |
  **Example Org** is a sample organisation used to test how press releases are laid out. It
  has no members, no offices and no programmes; everything said of it here is invented for
  the tests. Find out more at [example.org](https://example.org/).
"""

_EMOJI = f"""\
headline: Example Org starts its winter vaccination reminder {EMOJI}
date: 2024-11-28T09:00
dateline: Geneva
body: |
  Example Org today starts its winter reminder campaign {EMOJI}: staff are reminded to check
  their vaccination records before travelling.
{_CONTACT}"""

_GERMAN = f"""\
headline: Example Org erläutert das {GERMAN_WORD} in einem Seminar
date: 2024-11-29T09:00
dateline: Genf
language: de
body: |
  Example Org erläutert in einem Seminar das {GERMAN_WORD}, ein Beispiel für sehr lange
  zusammengesetzte Wörter.
{_CONTACT}"""

#: slug → YAML of every corpus release (besides the seed and the layout samples).
CORPUS = {EMBARGOED_SLUG: _EMBARGOED, PHOTO_SLUG: _PHOTO_EN, PHOTO_FR_SLUG: _PHOTO_FR,
          CORRECTED_SLUG: _CORRECTED, LONG_SLUG: _LONG, EMOJI_SLUG: _EMOJI,
          GERMAN_SLUG: _GERMAN}


def photo_bytes(size: tuple[int, int], kind: str) -> bytes:
    """A photo stand-in of `size` pixels, as `kind` ("JPEG" or "PNG"): bands and blocks."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    width, height = size
    image = Image.new("RGB", size, (96, 128, 160))
    draw = ImageDraw.Draw(image)
    step = max(width // 20, 1)
    for x in range(0, width, step):
        top = height // 2 + (x * 7) % (height // 3)
        draw.rectangle([x, top, x + step * 2 // 3, height], fill=(210, 180, 130))
    out = BytesIO()
    image.save(out, format=kind, quality=85)
    return out.getvalue()


#: The corpus's site: a neutral organisation (the seed is IOM's and keeps its own workspace),
#: Geneva time, a raster logo (the DOCX letterhead shows it), an address and a boilerplate.
CORPUS_SITE = """\
organization:
  name: Example Organization
  short_name: Example Org
  url: https://example.org/
  logo: logo.png
  address: |
    1 Example Street
    1200 Geneva, Switzerland
  boilerplate: |
    **Example Org** is a sample organisation used to test how press releases are laid out.
site:
  title: Example Org newsroom
  base_url: https://newsroom.example.org/
  language: en
  timezone: Europe/Zurich
feed:
  title: Example Org press releases
  author: Example Org press office
email:
  from: Example Org press office <press@newsroom.example.org>
  reply_to: press@newsroom.example.org
  to: []
pdf:
  page_size: A4
"""


def logo_bytes() -> bytes:
    """A raster logo, 300 pixels square (sharp at the letterhead's 12 mm)."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 300), (255, 255, 255))
    ImageDraw.Draw(image).ellipse([10, 10, 290, 290], fill=(11, 79, 138))
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def corpus_workspace(folder: Path) -> Path:
    """The layout samples and the corpus under Example Org's site (A4): an embargoed release,
    a translation pair with photos, a correction, a long structured release, an emoji and a
    63-letter German word. The seed is not here: it is IOM's, built under its own site.yaml."""
    media = folder / "source" / "media"
    (media / "photos").mkdir(parents=True)
    (folder / "source" / "releases").mkdir()
    (folder / "source" / "site.yaml").write_text(CORPUS_SITE, encoding="utf-8")
    (media / "logo.png").write_bytes(logo_bytes())
    (media / "photos" / "training session.png").write_bytes(png_bytes())
    for (name, size), kind in ((LARGE_PHOTO, "JPEG"), (SMALL_PHOTO, "PNG")):
        (media / name).write_bytes(photo_bytes(size, kind))
    for slug, text in {KITCHEN_SLUG: KITCHEN, CHINESE_SLUG: CHINESE, **CORPUS}.items():
        write_release(folder, slug, text)
    return folder
