"""Dates and times written out in a draft, in the six UN languages: month and weekday names
from CLDR (through Babel), AP's abbreviations, ISO dates and 2024年11月20日."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo

#: Babel locales whose month and weekday names a draft may use: the six UN languages, with the
#: Levantine month names (كانون الثاني ...) that CLDR gives ar_SY besides the ar ones (يناير ...).
LOCALES = ("en", "fr", "es", "ru", "zh", "ar", "ar_SY")
#: AP style's abbreviations (pressexport's own `ap` house style prints them).
AP_MONTHS = {"sept": 9}
ORDINAL = r"(?:st|nd|rd|th|er|re|e|º|°)?"


@dataclass(frozen=True)
class Found:
    """A date found in a text, with where it stands."""

    value: date
    start: int
    end: int


def ascii_digits(text: str) -> str:
    """Arabic-Indic and other decimal digits as ASCII, one character for one (spans hold)."""
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c
                   for c in text)


@cache
def _names() -> tuple[dict[str, int], list[str]]:
    """Month name → number, and weekday names, lowercased, in every locale."""
    from babel.dates import get_day_names, get_month_names

    months: dict[str, int] = dict(AP_MONTHS)
    weekdays: set[str] = set()
    for locale in LOCALES:
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in get_month_names(width, context, locale).items():
                    if not name[0].isdigit():  # zh's abbreviations are 1月 ...
                        months[name.lower().rstrip(".")] = number
                weekdays.update(n.lower() for n in get_day_names("wide", context, locale).values())
    return months, sorted(weekdays, key=len, reverse=True)


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    months, weekdays = _names()
    month = "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True))
    weekday = "|".join(re.escape(w) for w in weekdays)
    lead = rf"(?:(?:{weekday}),?\s+(?:le\s+)?)?"
    flags = re.IGNORECASE
    return (
        re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
        re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"),
        re.compile(rf"{lead}(?<!\d)(?P<d>\d{{1,2}}){ORDINAL}\.?\s+(?:de\s+)?(?P<mn>{month})\.?,?"
                   rf"\s+(?:de\s+|del\s+)?(?P<y>\d{{4}})(?:\s*(?:г\.|года|г(?!\w)))?", flags),
        re.compile(rf"{lead}(?P<mn>{month})\.?\s+(?P<d>\d{{1,2}}){ORDINAL},?\s+(?P<y>\d{{4}})",
                   flags),
    )


def find_date(text: str) -> Found | None:
    """The first date written in `text`, if any."""
    plain = ascii_digits(text)
    best: Found | None = None
    for pattern in _patterns():
        for match in pattern.finditer(plain):
            value = _value(match)
            if value is not None:
                if best is None or match.start() < best.start:
                    best = Found(value, match.start(), match.end())
                break
    return best


def _value(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    month = int(groups["m"]) if groups.get("m") else _names()[0][groups["mn"].lower()]
    try:
        return date(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None


TIME = re.compile(r"(?<![\d:])(?P<h>\d{1,2})(?:[:h.](?P<min>\d{2}))?\s*"
                  r"(?P<ampm>[ap]\.?\s?m\.?(?!\w))?", re.IGNORECASE)
ZONE_AFTER = re.compile(r"\s*(?:UTC|GMT)\s*(?P<off>[+\-−]\s*\d{1,2}(?::?\d{2})?)?")
OFFSET_LATER = re.compile(r"[^\d()（）]{0,40}?[(（]\s*(?:UTC|GMT)\s*(?P<off>[+\-−]\s*\d{1,2}"
                          r"(?::?\d{2})?)\s*[)）]")


def find_moment(text: str, tz: ZoneInfo) -> datetime | None:
    """The instant a text such as `EMBARGOED UNTIL 10:00 China Standard Time (02:00 UTC),
    20 November 2024` names: its date and time, in the zone it gives (UTC or an offset), else
    in `tz`. None without a date or a time."""
    found = find_date(text)
    if found is None:
        return None
    plain = ascii_digits(text[: found.start] + " " * (found.end - found.start) + text[found.end:])
    candidates = []
    for match in TIME.finditer(plain):
        if match.group("min") is None and match.group("ampm") is None:
            continue  # a bare number is no time
        clock = _clock(match)
        if clock is None:
            continue
        direct = ZONE_AFTER.match(plain, match.end())
        before = re.search(r"(?:UTC|GMT)\s*$", plain[: match.start()])
        later = OFFSET_LATER.match(plain, match.end())
        if direct or before:
            zone = _offset(direct.group("off") if direct else None)
            candidates.append((0, clock, zone))
        elif later:
            candidates.append((1, clock, _offset(later.group("off"))))
        else:
            candidates.append((2, clock, tz))
    if not candidates:
        return None
    _, clock, zone = min(candidates, key=lambda c: c[0])
    return datetime.combine(found.value, clock, zone)


def _clock(match: re.Match[str]) -> time | None:
    hour, minute = int(match.group("h")), int(match.group("min") or 0)
    ampm = (match.group("ampm") or "").lower()
    if ampm and not 1 <= hour <= 12:
        return None
    if ampm.startswith("p") and hour != 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _offset(text: str | None) -> timezone:
    if not text:
        return UTC
    sign = -1 if text[0] in "-−" else 1
    digits = re.sub(r"\D", "", text)
    hours, minutes = (int(digits[:-2] or 0), int(digits[-2:])) if len(digits) > 2 else \
        (int(digits), 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
