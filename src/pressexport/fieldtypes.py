"""Field types of the YAML model: each a string with its check, and its JSON Schema."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from pressexport.names import name_problem

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
#: Characters no document should carry and no font draws, by kind: controls (C0 but tab and
#: line breaks, DEL, C1), lone surrogates (from YAML escapes), noncharacters (U+FDD0..U+FDEF and
#: the last two code points of every plane), private-use characters (each font's own), and the
#: line and paragraph separators (the PDF's fonts have no glyph for them); with what to do.
_ASTRAL_NONCHARACTERS = "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}"
                                for plane in range(1, 17))
UNPRINTABLE = {
    "control character": ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f", "remove it"),
    "lone surrogate": ("\ud800-\udfff", "remove it"),
    "noncharacter": ("\ufdd0-\ufdef\ufffe\uffff" + _ASTRAL_NONCHARACTERS, "remove it"),
    "private-use character": ("\ue000-\uf8ff\U000f0000-\U0010ffff", "remove it"),
    "line separator": ("\u2028\u2029", "use an ordinary line break"),
}
# Found in two steps: 32 single astral code points make one character class ten times slower,
# so they are looked for apart, and only in text that has astral characters at all.
_UNPRINTABLE_RE = re.compile("[" + "".join(chars for chars, _ in UNPRINTABLE.values())
                             .replace(_ASTRAL_NONCHARACTERS, "") + "]")
_ASTRAL_NONCHARACTER_RE = re.compile(f"[{_ASTRAL_NONCHARACTERS}]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")
#: Line breaks, which a one-line field may not hold.
LINE_BREAK_RE = re.compile("[\r\n\u2028\u2029]")


def unprintable(text: str) -> str | None:
    """What is wrong when `text` holds a character no font draws (UNPRINTABLE, or a code point
    Unicode has not assigned), else None."""
    found = _UNPRINTABLE_RE.search(text)
    if not found and _ASTRAL_RE.search(text):
        found = _ASTRAL_NONCHARACTER_RE.search(text)
    if not found:
        return _unassigned(text)
    char = found.group()
    kind, advice = next((kind, advice) for kind, (chars, advice) in UNPRINTABLE.items()
                        if re.match(f"[{chars}]", char))
    return f"contains the {kind} U+{ord(char):04X}, which no font draws; {advice}"


def _unassigned(text: str) -> str | None:
    """What is wrong when `text` holds a code point no version of Unicode this Python knows has
    assigned (no font has a glyph for it). Emoji are left to the build's font check: fonts add
    the newest sooner than Python's tables."""
    if text.isascii():
        return None
    for char in _NON_ASCII_RE.findall(text):
        if unicodedata.category(char) == "Cn" and not 0x1F000 <= ord(char) <= 0x1FAFF:
            return (f"contains U+{ord(char):04X}, which is not a character (unassigned in "
                    f"Unicode {unicodedata.unidata_version}); remove it")
    return None


def _printable(value: str) -> str:
    problem = unprintable(value)
    if problem:
        raise ValueError(problem)
    return value


def _one_line(value: str) -> str:
    stripped = value.strip()
    if LINE_BREAK_RE.search(stripped):
        raise ValueError("must be a single line")
    if not _printable(value).strip():
        raise ValueError("must not be empty")
    return stripped


def _text(value: str) -> str:
    if not _printable(value).strip():
        raise ValueError("must not be empty")
    return value.strip()


def _iso(value: object, *, date_allowed: bool) -> date | datetime:
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str):
        raise ValueError("expected an ISO 8601 date-time such as 2017-09-08T10:00")
    text = value.strip()
    try:
        if len(text) == 10 and date_allowed:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        kind = "date or date-time" if date_allowed else "date-time"
        raise ValueError(
            f"'{text}' is not an ISO 8601 {kind} (such as 2017-09-08"
            f"{'' if not date_allowed else ' or 2017-09-08T10:00'}"
            f"{'T10:00' if not date_allowed else ''})"
        ) from None


def _unique_topics(values: list[str]) -> list[str]:
    from pressexport.slugs import slugify

    twice = sorted({v for v in values if values.count(v) > 1})
    if twice:
        raise ValueError(f"listed more than once: {', '.join(twice)}")
    # Each topic has its own feed folder; two spellings of one topic would share it.
    folders: dict[str, list[str]] = {}
    for value in values:
        folders.setdefault(slugify(value, fallback="topic"), []).append(value)
    for folder, names in sorted(folders.items()):
        if len(names) > 1:
            raise ValueError(f"{' and '.join(repr(n) for n in names)} are one topic "
                             f"(both would be the feed topics/{folder}/): keep one")
    return values


def _topic_key(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(f"topic key '{value}' is not a folder name: use lowercase ASCII letters, "
                         "digits and single hyphens (e.g. capacity-building)")
    return value


def _language(value: str) -> str:
    if not LANGUAGE_RE.match(value):
        raise ValueError(f"'{value}' is not a BCP 47 language tag (such as en, zh-Hans, fr-CH)")
    _output_names([value.lower()])  # out/languages/LANG/
    return value


def _uri(value: str) -> str:
    if not URI_RE.match(_printable(value)):
        raise ValueError(f"'{value}' is not an absolute URI (such as tag:example.org,2017:slug)")
    return value


def _http_url(value: str) -> str:
    _printable(value)
    if not re.match(r"^https?://[^/\s]+", value) or any(c.isspace() for c in value):
        raise ValueError(f"'{value}' is not an absolute http(s) URL")
    return value


def _base_url(value: str) -> str:
    _http_url(value)
    if not value.endswith("/"):
        raise ValueError(f"'{value}' must end with '/'")
    return value


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ValueError, KeyError, OSError):
        raise ValueError(f"'{value}' is not an IANA time zone (such as Asia/Shanghai)") from None
    return value


def _media_file(value: str) -> str:
    path = PurePosixPath(_printable(value))
    if path.is_absolute() or ".." in path.parts or "\\" in value or ":" in value:
        raise ValueError(f"'{value}' must be a relative path inside source/media/")
    # The page copies the file to out/SLUG/media/PATH: each part is an output name.
    _output_names(path.parts)
    return value


def _output_names(names: Iterable[str]) -> None:
    for name in names:
        problem = name_problem(name)
        if problem:
            raise ValueError(problem)


def _topic_folder(value: str) -> str:
    from pressexport.slugs import slugify

    # Each topic has its feeds in out/topics/FOLDER/.
    _output_names([slugify(value, fallback="topic")])
    return value


OneLine = Annotated[str, AfterValidator(_one_line)]
Text = Annotated[str, AfterValidator(_text)]
MarkdownText = Annotated[
    str, AfterValidator(_text), WithJsonSchema({"type": "string", "description": "Markdown"})
]
DateOrDateTime = Annotated[
    date | datetime,
    BeforeValidator(lambda v: _iso(v, date_allowed=True)),
    WithJsonSchema({"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]}),
]
DateTime = Annotated[
    datetime,
    BeforeValidator(lambda v: _iso(v, date_allowed=False)),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
Language = Annotated[str, AfterValidator(_language)]
HttpUrl = Annotated[str, AfterValidator(_http_url)]


def _email(value: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"'{value}' is not an email address: {exc}") from None


def _mailbox(value: str) -> str:
    """One address as a header shows it, `Name <addr@host>` or `addr@host`; returned as written."""
    from email.policy import default

    try:
        header = default.header_factory("To", value)
        parsed = not header.defects and len(header.addresses) == 1 \
            and not header.groups[0].display_name
    except (IndexError, ValueError, TypeError):  # the stdlib parser trips on some bad input
        parsed = False
    if not parsed:
        raise ValueError(f"'{value}' is not one email address (such as "
                         "'Press office <press@example.org>' or 'press@example.org'; "
                         "quote a name with a comma: '\"Smith, J.\" <j@example.org>')")
    _email(header.addresses[0].addr_spec)
    return value


Mailbox = Annotated[str, AfterValidator(_one_line), AfterValidator(_mailbox)]


Email = Annotated[str, AfterValidator(_email)]
MediaFile = Annotated[str, AfterValidator(_media_file)]
Uri = Annotated[str, AfterValidator(_uri)]
Topic = Annotated[str, AfterValidator(_one_line), AfterValidator(_topic_folder)]
Topics = Annotated[list[Topic], AfterValidator(_unique_topics)]
TopicKey = Annotated[str, AfterValidator(_topic_key)]
BaseUrl = Annotated[str, AfterValidator(_base_url)]
TimeZone = Annotated[str, AfterValidator(_timezone)]
