"""The typed model: what site.yaml and a release YAML may hold, and the resolved release."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from pathlib import PurePosixPath
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from pressexport.markup import Markdown

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


def _unique(values: list[str]) -> list[str]:
    twice = sorted({v for v in values if values.count(v) > 1})
    if twice:
        raise ValueError(f"listed more than once: {', '.join(twice)}")
    return values


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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contact(_Strict):
    """A media contact; absent fields print nothing, not even their label."""

    name: OneLine
    role: OneLine | None = None
    organization: OneLine | None = None
    phone: OneLine | None = None
    email: Annotated[str, AfterValidator(lambda v: _email(v))] | None = None


def _email(value: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"'{value}' is not an email address: {exc}") from None


def _mailbox(value: str) -> str:
    """One address as a header shows it, `Name <addr@host>` or `addr@host`; returned as written."""
    from email.policy import default

    header = default.header_factory("To", value)
    if header.defects or len(header.addresses) != 1 or header.groups[0].display_name:
        raise ValueError(f"'{value}' is not one email address (such as "
                         "'Press office <press@example.org>' or 'press@example.org'; "
                         "quote a name with a comma: '\"Smith, J.\" <j@example.org>')")
    _email(header.addresses[0].addr_spec)
    return value


Mailbox = Annotated[str, AfterValidator(_one_line), AfterValidator(_mailbox)]


class MediaItem(_Strict):
    """A photo: embedded from `file`, linked by `url`, or with neither, a photo note."""

    caption: Text
    credit: OneLine | None = None
    file: Annotated[str, AfterValidator(_media_file)] | None = None
    url: HttpUrl | None = None
    alt: Text | None = None

    @model_validator(mode="after")
    def _file_or_url(self) -> MediaItem:
        if self.file and self.url:
            raise ValueError("give either 'file' or 'url', not both")
        if self.file and not self.alt:
            raise ValueError("'alt' is required with 'file' (describe the image for screen "
                             "readers)")
        return self


class ReleaseFile(_Strict):
    """One release, as written in source/releases/SLUG.yaml."""

    model_config = ConfigDict(title="pressexport release")

    headline: OneLine = Field(description="One line, no Markdown.")
    subheadline: OneLine | None = None
    date: DateOrDateTime = Field(description="Release date; without offset, in site.timezone.")
    updated: DateTime | None = Field(None, description="Set when a published release is corrected.")
    correction: MarkdownText | None = Field(None, description="What was corrected (Markdown).")
    id: Annotated[str, AfterValidator(_uri)] | None = Field(None, description="Feed entry id.")
    embargo: DateTime | None = Field(None, description="Not for publication before this instant.")
    language: Language | None = Field(None, description="BCP 47 tag; default site.language.")
    dateline: OneLine = Field(description="The place, e.g. 'Hangzhou' or 'Hangzhou, China'.")
    topics: Annotated[list[OneLine], AfterValidator(_unique)] = Field(default_factory=list)
    summary: Text | None = Field(
        None, description="One or two sentences; default: the first paragraph."
    )
    body: MarkdownText
    notes_to_editors: MarkdownText | None = None
    media: list[MediaItem] = Field(default_factory=list)
    contacts: list[Contact] | None = Field(None, description="Default: site.yaml's contacts.")
    boilerplate: MarkdownText | None = Field(None, description="Default: the organisation's.")
    translations: dict[Language, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _correction_needs_updated(self) -> ReleaseFile:
        if self.correction and not self.updated:
            raise ValueError("'correction' requires 'updated' (when the correction was made)")
        return self


class Organization(_Strict):
    """The letterhead and the About block."""

    name: OneLine
    short_name: OneLine | None = None
    url: HttpUrl | None = None
    logo: Annotated[str, AfterValidator(_media_file)] | None = None
    boilerplate: MarkdownText | None = None
    address: Text | None = None


class SiteInfo(_Strict):
    """The newsroom: every URL in feeds and emails is absolute under base_url."""

    title: OneLine
    base_url: Annotated[str, AfterValidator(_base_url)]
    language: Language = "en"
    timezone: Annotated[str, AfterValidator(_timezone)] = "UTC"


class FeedSettings(_Strict):
    """Feed title, subtitle, author and entry limit."""

    title: OneLine | None = None
    subtitle: OneLine | None = None
    limit: Annotated[int, Field(ge=1)] = 50
    author: OneLine | None = None


class EmailSettings(_Strict):
    """Headers of the .eml and of `send`."""

    model_config = ConfigDict(populate_by_name=True)

    from_: Mailbox | None = Field(None, alias="from")
    reply_to: Mailbox | None = None
    to: list[Mailbox] = Field(default_factory=list)


class PdfSettings(_Strict):
    """Print settings."""

    page_size: Literal["A4", "Letter"] = "A4"


class StyleSettings(_Strict):
    """House style: `un` or `ap` dateline and end mark."""

    house: Literal["un", "ap"] = "un"


class Site(_Strict):
    """source/site.yaml: the organisation and every setting shared by all releases."""

    model_config = ConfigDict(title="pressexport site")

    organization: Organization
    site: SiteInfo
    feed: FeedSettings = FeedSettings()
    email: EmailSettings = EmailSettings()
    contacts: list[Contact] = Field(default_factory=list)
    pdf: PdfSettings = PdfSettings()
    style: StyleSettings = StyleSettings()

    @cached_property
    def tz(self) -> ZoneInfo:
        """The newsroom's time zone."""
        return ZoneInfo(self.site.timezone)

    def localize(self, value: date | datetime) -> datetime:
        """Make `value` an aware datetime: a date or naive time is taken in site.timezone."""
        if not isinstance(value, datetime):
            value = datetime.combine(value, time(0, 0))
        return value if value.tzinfo else value.replace(tzinfo=self.tz)


@dataclass(frozen=True, eq=False)
class Release:
    """A validated release with every default resolved and every Markdown field parsed once."""

    slug: str
    source_name: str
    source_bytes: bytes
    site: Site
    headline: str
    subheadline: str | None
    date: datetime
    updated: datetime | None
    correction: Markdown | None
    id: str
    embargo: datetime | None
    language: str
    dateline: str
    topics: tuple[str, ...]
    summary: str
    body: Markdown
    notes_to_editors: Markdown | None
    media: tuple[MediaItem, ...]
    contacts: tuple[Contact, ...]
    boilerplate: Markdown | None
    translations: tuple[tuple[str, str], ...] = field(default=())

    @property
    def url(self) -> str:
        """The web page's absolute URL."""
        return f"{self.site.site.base_url}{self.slug}/"

    @property
    def last_modified(self) -> datetime:
        """`updated` when corrected, else the release date: what feeds call updated."""
        return self.updated or self.date

    def held_back(self, now: datetime) -> bool:
        """True while the embargo has not passed at `now`."""
        return self.embargo is not None and self.embargo > now
