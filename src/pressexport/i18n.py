"""Labels and date formats in the release's language, and the house styles' datelines.

The labels live in one gettext catalogue per language, `locale/LANG/LC_MESSAGES/pressexport.po`
(read with Babel): each entry's msgctxt is the label's key, its msgid the English text, its
msgstr the translation, and a translator comment says where the wording comes from. Dates, list
patterns and language names come from CLDR through Babel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
             "Nov.", "Dec.")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "pressexport"
#: Right-to-left languages by their BCP 47 base language (Arabic, Persian, Urdu, Hebrew, ...).
RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "iw", "yi", "ps", "sd", "ug", "ckb", "dv"})


@dataclass(frozen=True)
class Labels:
    """Every fixed word a document prints, in one language (the keys of the catalogues)."""

    immediate: str
    embargoed: str
    embargo_when: str  # the embargo's time and date, in this language's order
    embargo_utc: str  # the same instant in UTC, right after the local time and zone
    embargo_utc_day: str  # ... when the UTC date is not the local one
    subject_embargo: str
    subject_corrected: str
    updated: str  # under the release line: "Updated {date}", the correction text after it
    page: str
    contact: str
    contacts: str
    about: str
    notes: str
    end_mark: str
    also_available: str
    phone: str  # with its separator, as it precedes the number: "Tel: "
    email: str
    photo: str
    list_sep: str
    dateline_sep: str
    lead_dash: str  # after the dateline, into the first paragraph: " – ", "——"
    links: str
    subscribe: str  # with its separator, before the feed links: "Subscribe: "
    topics: str
    pdf: str  # a download's link text
    docx: str
    no_releases: str
    all_releases: str
    full_resolution: str
    download: str


KEYS = tuple(f.name for f in fields(Labels))


def catalogue_path(folder: str) -> Path:
    """The .po file of a catalogue folder name (`fr`, `zh_Hans`)."""
    return LOCALE_DIR / folder / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogues() -> tuple[str, ...]:
    """The languages that have a catalogue, as folder names (`ar`, `en`, ..., `zh_Hans`)."""
    return tuple(sorted(p.name for p in LOCALE_DIR.iterdir() if catalogue_path(p.name).is_file()))


@cache
def _table(folder: str) -> dict[str, str]:
    """key -> text of one catalogue. An untranslated or fuzzy entry is left out (gettext's rule:
    the English text is shown instead); in the English catalogue the msgid is the text."""
    from babel.messages.pofile import read_po

    with catalogue_path(folder).open("rb") as handle:
        catalog = read_po(handle, locale=folder, domain=DOMAIN)
    english = folder == "en"
    return {m.context: (m.string or m.id if english else m.string) for m in catalog
            if m.context and isinstance(m.string, str) and (english or (m.string and not m.fuzzy))}


def catalogue_for(language: str) -> str:
    """The catalogue folder that serves `language`: the tag itself, its language and script,
    or its base language; English when none has one (`zh-Hans-CN` → `zh_Hans`, `fr-CH` → `fr`)."""
    parts = language.replace("_", "-").split("-")
    base = parts[0].lower()
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    if base == "zh" and script is None:
        # CLDR's likely script for Chinese without one: Traditional for Taiwan, Hong Kong, Macao.
        regions = {p.upper() for p in parts[1:]}
        script = "Hant" if regions & {"TW", "HK", "MO"} else "Hans"
    available = set(catalogues())
    for candidate in (f"{base}_{script}" if script else None, base):
        if candidate and candidate in available:
            return candidate
    return "en"


@cache
def labels(language: str) -> Labels:
    """The labels for `language`; a language (or a key) without its own falls back to English."""
    table = {**_table("en"), **_table(catalogue_for(language))}
    return Labels(**{key: table[key] for key in KEYS})


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
    return tag.replace("_", "-").split("-")[0].lower()


def is_rtl(tag: str) -> bool:
    """True for languages written right to left (Arabic, Hebrew, Persian, Urdu, ...)."""
    parts = tag.replace("_", "-").split("-")
    if any(p.title() in ("Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm") for p in parts[1:]):
        return True
    if any(p.title() in ("Latn", "Cyrl") for p in parts[1:]):
        return False  # e.g. ku-Latn, az-Latn
    return base_language(tag) in RTL_LANGUAGES


def direction(tag: str) -> str:
    """`rtl` or `ltr`: the HTML dir of a text in language `tag`."""
    return "rtl" if is_rtl(tag) else "ltr"


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
    """The day in the language's long form: `8 September 2017`, `8 septembre 2017`,
    `2017年9月8日` (CLDR through Babel)."""
    from babel.dates import format_date

    locale = _locale(language)
    if locale.language == "en":  # UN style, also for languages Babel does not know
        return format_date(value.date(), "d MMMM y", locale=_locale("en"))
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


@cache
def native_name(tag: str) -> str:
    """Language `tag` named in its own language, as a language menu names it (CLDR):
    `English`, `Français`, `Español`, `Русский`, `العربية`, `中文`.

    The bare language's name unless the tag's script or region is not the language's usual one
    (`zh-Hant`: `中文 (繁體)`). Capitalised as CLDR's contextTransforms do for menus
    (`uiListOrMenu: titlecase-firstword`), which Babel does not ship.
    """
    from babel import Locale
    from babel.core import get_global

    locale = _locale(tag)
    name = locale.languages.get(locale.language) or tag
    likely = get_global("likely_subtags")

    def script(*parts: str | None) -> str | None:
        found = likely.get("_".join(p for p in parts if p))
        return Locale.parse(found).script if found else None

    usual = script(locale.language)
    actual = locale.script or script(locale.language, locale.territory) or usual
    if actual != usual:
        name = Locale(locale.language, script=actual).get_display_name() or name
    return name[:1].upper() + name[1:]


def join_list(items: list[str], language: str) -> str:
    """`English and 中文`: items joined by CLDR's list pattern for `language`."""
    from babel.lists import format_list

    return format_list(items, style="standard", locale=_locale(language)) if items else ""
