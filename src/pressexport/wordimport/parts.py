"""The parts of a release as printed, read back: the dateline lead, the release status, a
contact's lines, a list of topics. Shared by the reader of our own documents and of drafts."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from pressexport.wordimport import markers
from pressexport.wordimport.dates import find_date, find_moment

#: The dash after a dateline: en or em dash (spaced or not), Chinese ——, a spaced hyphen.
LEAD_DASH = re.compile(r"\s*(?:——|—|–|\s-{1,2}\s)\s*")
MAX_LEAD = 100  # characters a dateline may take before its dash
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"^\+?[\d\s().\-/]{7,}$")


@dataclass(frozen=True)
class Lead:
    """A dateline leading into a paragraph: `CITY, DATE – ` or `CITY – `."""

    place: str
    date: date | None
    length: int  # characters of the paragraph it takes, dash included


def split_lead(text: str, *, standalone: bool = False) -> Lead | None:
    """The dateline a paragraph opens with, if any (`standalone`: the whole paragraph is one,
    with or without its dash)."""
    dash = LEAD_DASH.search(text[: MAX_LEAD + 4])
    if dash is None and not standalone:
        return None
    prefix = text[: dash.start()] if dash else text.strip()
    length = dash.end() if dash else len(text)
    if not prefix or len(prefix) > MAX_LEAD or "\n" in prefix:
        return None
    found = find_date(prefix)
    if found is not None:
        if prefix[found.end:].strip(" ,，"):
            return None
        place = re.sub(r"(?:[\s,，、]+(?:le|el|the|on))?[\s,，、;]*$", "", prefix[: found.start],
                       flags=re.IGNORECASE)
        return Lead(_place(place), found.value, length) if place else None
    if not _looks_like_place(prefix):
        return None
    return Lead(_place(prefix), None, length)


def _looks_like_place(text: str) -> bool:
    """`GENEVA`, `New York`, `日内瓦`: a few capitalised words, not the start of a sentence."""
    words = text.replace(",", " ").split()
    if not words or len(words) > 4 or re.search(r"[.;:!?\"“”]", text):
        return False
    if all(not w[0].isascii() for w in words):  # Chinese, Arabic, Cyrillic
        return len(text) <= 24
    return text.isupper() or all(w[0].isupper() for w in words if w[0].isalpha())


def _place(text: str) -> str:
    """An all-capitals city as written normally (`GENEVA, Switzerland` → `Geneva, Switzerland`);
    the AP house style capitalises it again."""
    text = text.strip(" ,，")
    city, sep, rest = text.partition(",")
    if city.isupper() and len(city) > 3:
        city = string.capwords(city.lower())
    return city + sep + rest


@dataclass(frozen=True)
class Status:
    """The release line: immediate, or embargoed until `embargo` (None: no time found)."""

    embargoed: bool
    embargo: datetime | None = None


def read_status(text: str, tz: ZoneInfo) -> Status | None:
    """`FOR IMMEDIATE RELEASE` or `EMBARGOED UNTIL ...`, in any of the six languages."""
    if markers.opening("immediate", text) == "" or _is_immediate(text):
        return Status(False)
    rest = markers.opening("embargo", text)
    if rest is not None:
        return Status(True, find_moment(rest, tz))
    return None


def _is_immediate(text: str) -> bool:
    rest = markers.opening("immediate", text)
    return rest is not None and len(rest) < 40 and find_date(rest) is None


def split_topics(text: str) -> list[str]:
    """`Migration, Health` or `移民、健康` as a list."""
    return [t.strip() for t in re.split(r"\s*[,，、;；]\s*", text) if t.strip()]


def contact(lines: list[str]) -> dict[str, str]:
    """A contact from its lines: name first, then role and organisation; phones and email
    addresses by their labels or their look."""
    found: dict[str, str] = {}
    unlabeled = []
    for line in (line.strip() for line in lines):
        if not line:
            continue
        phone = _labeled("phone", line)
        email = EMAIL.search(line)
        if email and "email" not in found:
            found["email"] = email.group(0)
        elif phone is not None and phone:
            found.setdefault("phone", phone)
        elif PHONE.match(line):
            found.setdefault("phone", line)
        elif _labeled("email", line) is None:
            unlabeled.append(line)
    if unlabeled and "," in unlabeled[0] and len(unlabeled) == 1:
        unlabeled = [part.strip() for part in unlabeled[0].split(",", 2)]
    for key, value in zip(("name", "role", "organization"), unlabeled, strict=False):
        found[key] = value
    return found


def _labeled(kind: str, line: str) -> str | None:
    """The value after a `Tel:`-like label, or None when the line has none."""
    rest = markers.opening(kind, line)
    if rest is None or rest == line:
        return None
    return rest.strip(" :：.")
