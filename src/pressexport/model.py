"""The typed model: what site.yaml and a release YAML may hold, and the resolved release."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    model_validator,
)

from pressexport.fieldtypes import (
    BaseUrl,
    DateOrDateTime,
    DateTime,
    Email,
    HttpUrl,
    Language,
    Mailbox,
    MarkdownText,
    MediaFile,
    OneLine,
    Text,
    TimeZone,
    TopicKey,
    Topics,
    Uri,
)
from pressexport.markup import Markdown

#: The tags of the two shapes site text may take (they never show in a located error).
TEXT_TAG, MAP_TAG = "<text>", "<map>"


def _text_or_map(value: Any) -> str | None:
    if isinstance(value, dict):
        return MAP_TAG
    return TEXT_TAG if isinstance(value, str) else None


def _local(inner: Any) -> Any:
    """Site text: one string, or a map of language tag → text (the release's language is used,
    falling back to site.language's)."""
    return Annotated[
        Annotated[inner, Tag(TEXT_TAG)] | Annotated[dict[Language, inner], Tag(MAP_TAG)],
        Discriminator(_text_or_map, custom_error_type="text_or_map",
                      custom_error_message="expected text, or a map of language tag to text"),
    ]


LocalOneLine = _local(OneLine)
LocalText = _local(Text)
LocalMarkdown = _local(MarkdownText)


def pick(value: str | dict[str, str] | None, language: str, fallback: str) -> str | None:
    """The text of `value` for `language`: itself when one string; from a map, the entry for the
    language (exact tag, then the same base language), else for `fallback` (site.language)."""
    if value is None or isinstance(value, str):
        return value
    return lookup(value, language) or lookup(value, fallback) or next(iter(value.values()))


def lookup(mapping: dict[str, str], language: str) -> str | None:
    """The entry of `mapping` for `language`: the tag itself (any case), else one of the same
    base language (`zh` for `zh-Hans`, `fr` for `fr-CH`); None when there is none."""
    tags = {tag.lower(): tag for tag in mapping}
    if language.lower() in tags:
        return mapping[tags[language.lower()]]
    base = language.split("-")[0].lower()
    same = sorted(tag for tag in mapping if tag.split("-")[0].lower() == base)
    return mapping[same[0]] if same else None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contact(_Strict):
    """A media contact; absent fields print nothing, not even their label."""

    name: OneLine
    role: OneLine | None = None
    organization: OneLine | None = None
    phone: OneLine | None = None
    email: Email | None = None


class SiteContact(Contact):
    """A default contact in site.yaml: its role and organization may be given per language."""

    role: LocalOneLine | None = None  # type: ignore[assignment]
    organization: LocalOneLine | None = None  # type: ignore[assignment]

    def localized(self, language: str, fallback: str) -> Contact:
        """The contact as a release in `language` shows it."""
        return Contact(name=self.name, role=pick(self.role, language, fallback),
                       organization=pick(self.organization, language, fallback),
                       phone=self.phone, email=self.email)


class MediaItem(_Strict):
    """A photo: embedded from `file`, linked by `url`, or with neither, a photo note."""

    caption: Text
    credit: OneLine | None = None
    file: MediaFile | None = None
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
    id: Uri | None = Field(None, description="Feed entry id.")
    embargo: DateTime | None = Field(None, description="Not for publication before this instant.")
    language: Language | None = Field(None, description="BCP 47 tag; default site.language.")
    dateline: OneLine = Field(description="The place, e.g. 'Hangzhou' or 'Hangzhou, China'.")
    topics: Topics = Field(default_factory=list)
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

    name: LocalOneLine
    short_name: LocalOneLine | None = None
    url: HttpUrl | None = None
    logo: MediaFile | None = None
    boilerplate: LocalMarkdown | None = None
    address: LocalText | None = None
    about: LocalOneLine | None = Field(None, description="Title of the About block, e.g. "
                                       "{fr: 'À propos de l’OIM'}; default: 'About {name}'.")


class SiteInfo(_Strict):
    """The newsroom: every URL in feeds and emails is absolute under base_url."""

    title: LocalOneLine
    base_url: BaseUrl
    language: Language = "en"
    timezone: TimeZone = "UTC"


class FeedSettings(_Strict):
    """Feed title, subtitle, author and entry limit."""

    title: LocalOneLine | None = None
    subtitle: LocalOneLine | None = None
    limit: Annotated[int, Field(ge=1)] = 50
    author: OneLine | None = None


class EmailSettings(_Strict):
    """Headers of the .eml and of `send`."""

    model_config = ConfigDict(populate_by_name=True)

    # Required: every build writes an .eml, and RFC 5322 requires a From header.
    from_: Mailbox = Field(alias="from")
    reply_to: Mailbox | None = None
    to: list[Mailbox] = Field(default_factory=list)


class PdfSettings(_Strict):
    """Print settings."""

    page_size: Literal["A4", "Letter"] = "A4"


class StyleSettings(_Strict):
    """House style: `un` or `ap` dateline and end mark; hyphenation."""

    house: Literal["un", "ap"] = "un"
    hyphenate: bool = Field(
        False, description="Hyphenate running text in the PDF by the release's language. "
        "Off by default: UN practice sets ragged-right text without hyphens.")


class Site(_Strict):
    """source/site.yaml: the organisation and every setting shared by all releases."""

    model_config = ConfigDict(title="pressexport site")

    organization: Organization
    site: SiteInfo
    feed: FeedSettings = FeedSettings()
    email: EmailSettings
    contacts: list[SiteContact] = Field(default_factory=list)
    pdf: PdfSettings = PdfSettings()
    style: StyleSettings = StyleSettings()
    topics: dict[TopicKey, dict[Language, OneLine]] = Field(
        default_factory=dict, description="Topic key (its feed folder) → label per language.")

    #: The fields that may be given per language (their paths in site.yaml).
    LOCAL_FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("organization", "name"), ("organization", "short_name"),
        ("organization", "boilerplate"), ("organization", "address"),
        ("organization", "about"), ("site", "title"), ("feed", "title"), ("feed", "subtitle"))

    _localized: dict[str, Site] = PrivateAttr(default_factory=dict)

    def localized(self, language: str) -> Site:
        """This site as a release (or page) in `language` shows it: every text that site.yaml
        gives per language resolved to that language's, or site.language's (made once)."""
        if language not in self._localized:
            self._localized[language] = self._resolve_text(language)
        return self._localized[language]

    def _resolve_text(self, language: str) -> Site:
        fallback = self.site.language
        updates: dict[str, dict[str, Any]] = {}
        for section, name in self.LOCAL_FIELDS:
            value = getattr(getattr(self, section), name)
            updates.setdefault(section, {})[name] = pick(value, language, fallback)
        copies = {section: getattr(self, section).model_copy(update=fields)
                  for section, fields in updates.items()}
        contacts = [c.localized(language, fallback) for c in self.contacts]
        return self.model_copy(update={**copies, "contacts": contacts})

    def topic_label(self, key: str, language: str) -> str | None:
        """A topic's label in `language` (or site.language's); None for a key not in the map."""
        labels = self.topics.get(key)
        return pick(labels, language, self.site.language) if labels else None

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
    topics: tuple[str, ...]  # as the release's language names them
    summary: str
    body: Markdown
    notes_to_editors: Markdown | None
    media: tuple[MediaItem, ...]
    contacts: tuple[Contact, ...]
    boilerplate: Markdown | None
    translations: tuple[tuple[str, str], ...] = field(default=())
    topic_keys: tuple[str, ...] = field(default=())  # each topic's key (its feed folder)

    @property
    def url(self) -> str:
        """The web page's absolute URL."""
        return f"{self.site.site.base_url}{self.slug}/"

    @property
    def published(self) -> datetime:
        """When the release is published: its date, or its embargo when that is later."""
        return max(self.date, self.embargo) if self.embargo else self.date

    @property
    def last_modified(self) -> datetime:
        """`updated` when corrected, else the publication instant: what feeds call updated."""
        return self.updated or self.published

    def held_back(self, now: datetime) -> bool:
        """True while the embargo has not passed at `now`."""
        return self.embargo is not None and self.embargo > now

    def forget_trees(self, keep: Markdown | None = None) -> None:
        """Keep only the text of the Markdown fields (see Markdown.forget), but `keep`'s (the
        site's boilerplate, which every release shares)."""
        for markdown in (self.body, self.correction, self.notes_to_editors, self.boilerplate):
            if markdown is not None and markdown is not keep:
                markdown.forget()
