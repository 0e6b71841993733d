"""Labels and date formats in the release's language, and the house styles' datelines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
             "Nov.", "Dec.")


@dataclass(frozen=True)
class Labels:
    """Every fixed word a document prints, in one language."""

    immediate: str
    embargoed: str
    page: str
    contact: str
    contacts: str
    about: str
    notes: str
    end_mark: str
    updated: str  # under the release line: "Updated {date}", the correction text after it
    also_available: str
    phone: str  # with its separator, as it precedes the number: "Tel: "
    email: str
    photo: str
    list_sep: str
    dateline_sep: str
    links: str
    subject_embargo: str
    embargo_when: str  # the embargo's time and date, in this language's order
    embargo_utc: str  # the same instant in UTC, right after the local time and zone
    embargo_utc_day: str  # ... when the UTC date is not the local one
    subject_corrected: str  # the .eml subject's prefix when the release has a correction
    all_releases: str  # the web page's link to the newsroom index
    full_resolution: str  # link text to an image at full resolution
    download: str  # a document offered on the web page, with its size
    subscribe: str
    topics: str
    pdf: str  # a download's link text
    docx: str
    no_releases: str


ENGLISH = Labels(
    immediate="FOR IMMEDIATE RELEASE",
    embargoed="EMBARGOED UNTIL {when}",
    page="Page {page} of {pages}",
    contact="Contact",
    contacts="Contacts",
    about="About {name}",
    notes="Notes to editors",
    end_mark="-ENDS-",
    updated="Updated {date}",
    also_available="Also available in {languages}",
    phone="Tel: ",
    email="Email: ",
    photo="Photo: {credit}",
    list_sep=", ",
    dateline_sep=", ",
    links="Links",
    subject_embargo="[EMBARGOED until {when}] ",
    embargo_when="{time}, {date}",
    embargo_utc=" ({time} UTC)",
    embargo_utc_day=" ({time} UTC, {date})",
    subject_corrected="[CORRECTED] ",
    all_releases="All press releases",
    full_resolution="Full resolution",
    download="{label}, {size}",
    subscribe="Subscribe",
    topics="Topics",
    pdf="PDF",
    docx="Word (DOCX)",
    no_releases="No press releases yet.",
)
CHINESE = Labels(
    immediate="即时发布",
    embargoed="禁发至{when}",
    page="第 {page} 页，共 {pages} 页",
    contact="联系人",
    contacts="联系人",
    about="关于{name}",
    notes="编者注",
    end_mark="-完-",
    updated="更新于{date}",
    also_available="其他语言版本：{languages}",
    phone="电话：",
    email="电子邮件：",
    photo="图片：{credit}",
    list_sep="、",
    dateline_sep="，",
    links="链接",
    subject_embargo="[禁发至{when}] ",
    embargo_when="{date} {time}",
    embargo_utc="（UTC {time}）",
    embargo_utc_day="（UTC {date} {time}）",
    subject_corrected="[更正] ",
    all_releases="全部新闻稿",
    full_resolution="原始分辨率",
    download="{label}，{size}",
    subscribe="订阅",
    topics="主题",
    pdf="PDF",
    docx="Word 文档（DOCX）",
    no_releases="暂无新闻稿。",
)


@dataclass(frozen=True)
class PagePiece:
    """A piece of the `Page {page} of {pages}` label: fixed text, or where a number goes."""

    text: str = ""
    number: str | None = None  # "page" or "pages", as the label's placeholders name them


def page_pieces(label: str) -> list[PagePiece]:
    """`Page {page} of {pages}` as its text and its two numbers (the page, the page count), in
    the label's order, for formats that count pages themselves (CSS counters, Word fields)."""
    # The split alternates text and placeholder names: "Page ", "page", " of ", "pages", "".
    parts = re.split(r"\{(pages?)\}", label)
    pieces = [PagePiece(number=part) if i % 2 else PagePiece(part) for i, part in enumerate(parts)]
    return [piece for piece in pieces if piece.text or piece.number]


def base_language(tag: str) -> str:
    """`zh-Hans-CN` → `zh`."""
    return tag.split("-")[0].lower()


def labels(language: str) -> Labels:
    """The labels for `language`; languages without their own fall back to English."""
    return CHINESE if base_language(language) == "zh" else ENGLISH


@cache
def _locale(language: str):
    from babel import Locale, UnknownLocaleError

    for tag in (language, base_language(language), "en"):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("babel knows English")


def long_date(value: datetime, language: str) -> str:
    """The day in the language's long form: `8 September 2017`, `2017年9月8日`."""
    from babel.dates import format_date

    locale = _locale(language)
    if locale.language == "en":  # UN style, also for languages Babel does not know
        return format_date(value.date(), "d MMMM y", locale="en")
    return format_date(value.date(), "long", locale=locale)


def ap_date(value: datetime) -> str:
    """AP style: `Sept. 8, 2017`."""
    return f"{AP_MONTHS[value.month - 1]} {value.day}, {value.year}"


def clock_time(value: datetime, language: str) -> str:
    """`10:00 China Standard Time`: the local time and its zone's CLDR name in `language`,
    never a bare abbreviation that several zones share ("CST" is also US Central)."""
    from babel.dates import get_timezone_name

    if value.utcoffset() == timedelta(0) and value.tzname() in ("UTC", "Z", None):
        return f"{value:%H:%M} UTC"
    # A ZoneInfo knows its IANA key; Babel names the zone, standard or summer time as in force.
    name = get_timezone_name(value, width="long", locale=_locale(language))
    return f"{value:%H:%M} {name}"


def utc_time(value: datetime, labels: Labels, language: str) -> str:
    """The same instant in UTC, `(02:00 UTC)`, with its date when that is another day; empty
    for a time already given in UTC."""
    utc = value.astimezone(UTC)
    if value.utcoffset() == timedelta(0) and value.tzname() in ("UTC", "Z", None):
        return ""
    if utc.date() == value.date():
        return labels.embargo_utc.format(time=f"{utc:%H:%M}")
    return labels.embargo_utc_day.format(time=f"{utc:%H:%M}", date=long_date(utc, language))


def file_size(size: int, language: str) -> str:
    """`245 kB`, `1.2 MB` (decimal units, as CLDR and every operating system's file dialog
    word them), in the language's number format."""
    from babel.units import format_unit

    locale = _locale(language)
    if size < 1_000_000:
        return format_unit(max(1, round(size / 1000)), "digital-kilobyte", "short",
                           locale=locale)
    return format_unit(round(size / 1_000_000, 1), "digital-megabyte", "short", locale=locale)


def language_name(tag: str, in_language: str) -> str:
    """The name of language `tag`, written in `in_language` (`zh` in English: `Chinese`)."""
    name = _locale(tag).get_display_name(_locale(in_language))
    return name or tag
