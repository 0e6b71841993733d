"""`pressexport new`: a release YAML dated today, with every field ready to fill in."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from pressexport.clock import build_time
from pressexport.errors import UsageError
from pressexport.output import write_atomic
from pressexport.slugs import slugify

SKELETON = """\
headline: {headline}
# subheadline: One line under the headline
date: {date}
dateline: {dateline}
topics: []
body: |
  The first paragraph: who, what, when, where, why.

  Further paragraphs, quotes ("...," said ...), ## subheads, lists and [links](https://...).
# summary: One or two sentences for feeds and the email preheader.
# notes_to_editors: |
#   Background for journalists.
# media:
#   - caption: What the photo shows.
#     credit: Organisation 2024
#     file: photo.jpg        # under source/media/
#     alt: Description for screen readers.
# contacts:
#   - name: Full Name
#     role: Media officer
#     phone: "+00 000 000"
#     email: press@example.org
# embargo: {date}T10:00
"""


def release_slug(day: str, headline: str) -> str:
    """`2024-11-20-headline-words`: the slug `new` and `import` give a release."""
    return f"{day}-{slugify(headline)[:60].rstrip('-')}"


def create(source: Path, headline: str, now: datetime | None) -> Path:
    """Write source/releases/DATE-SLUG.yaml; refuse to overwrite an existing release."""
    from pressexport.load import load_site

    site = load_site(source)
    moment = build_time(site, now)
    day = moment.astimezone(site.tz).date().isoformat()
    slug = release_slug(day, headline)
    path = source / "releases" / f"{slug}.yaml"
    if path.exists():
        raise UsageError(f"{path} already exists")
    text = SKELETON.format(headline=json.dumps(headline, ensure_ascii=False), date=day,
                           dateline=json.dumps("City", ensure_ascii=False))
    write_atomic(path.parent, path.name, text.encode("utf-8"))
    return path
