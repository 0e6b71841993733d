"""Field types of the YAML model: each a string with its check, and its JSON Schema."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
#: Characters XML cannot carry (and no document should): C0 controls but tab and line breaks,
#: DEL, lone surrogates (from YAML escapes) and the non-characters U+FFFE and U+FFFF.
UNPRINTABLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _printable(value: str) -> str:
    found = UNPRINTABLE_RE.search(value)
    if found:
        code = ord(found.group())
        raise ValueError(f"contains the unprintable character U+{code:04X}; remove it")
    return value


def _one_line(value: str) -> str:
    value = _printable(value).strip()
    if not value:
        raise ValueError("must not be empty")
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    return value


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
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts or "\\" in value or ":" in value:
        raise ValueError(f"'{value}' must be a relative path inside source/media/")
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
Topics = Annotated[list[OneLine], AfterValidator(_unique_topics)]
TopicKey = Annotated[str, AfterValidator(_topic_key)]
BaseUrl = Annotated[str, AfterValidator(_base_url)]
TimeZone = Annotated[str, AfterValidator(_timezone)]
