"""What every format shows, in order: the release as worded in its language and house style."""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass
from datetime import datetime

from pressexport import i18n
from pressexport.layout import media_src
from pressexport.markup import Markdown
from pressexport.model import Contact, MediaItem, Release
from pressexport.typography import typeset, typeset_markdown


@dataclass(frozen=True)
class MediaView:
    """One media item as printed: caption, credit line, and the image or link if any."""

    caption: str
    credit: str | None
    file: str | None  # an image under media/
    url: str | None  # a photo online
    alt: str | None
    href: str | None  # the absolute URL of the image (copied next to the web page) or link


@dataclass(frozen=True)
class Section:
    """A titled Markdown block (correction, notes to editors, About)."""

    title: str
    text: Markdown


@dataclass(frozen=True)
class UpdateNotice:
    """`Updated 22 October 2024`, shown under the release line, and what was corrected."""

    title: str
    correction: Markdown | None


@dataclass(frozen=True)
class ContactLine:
    """One line of a contact: a name or role, or a label and the value it names, which may link
    somewhere (the email address, to mailto:)."""

    value: str
    label: str = ""  # with its separator: "Tel: ", "Email: "
    href: str | None = None

    @property
    def text(self) -> str:
        """The line as plain text: `Email: jane.doe@example.org`."""
        return self.label + self.value


@dataclass(frozen=True)
class ContactView:
    """A contact as lines, the name first; absent fields leave no line and no label."""

    lines: tuple[ContactLine, ...]


@dataclass(frozen=True)
class Translation:
    """A translation of the release: its language tag, the language's name in this release's
    language, and its web page."""

    tag: str
    name: str
    url: str
    slug: str


@dataclass(frozen=True)
class Letterhead:
    """The organisation as the top of every document shows it."""

    name: str
    short_name: str | None  # shown after the name, when the name does not already show it
    logo: str | None  # a file under media/
    address: tuple[str, ...]  # its lines
    url: str | None
    url_text: str | None  # the URL as printed: host and path, no scheme


@dataclass(frozen=True)
class ReleaseView:
    """The release's parts in SPEC order, with every label in the release's language.

    Built once per release by the pipeline and handed to every writer and template; `release`
    stays reachable for what only some writers need (ids, the canonical data).
    """

    release: Release
    labels: i18n.Labels
    status: str  # the documents' release line: the embargo notice while `embargo` is set
    page_status: str  # the web page's: a page exists only once published, so never an embargo
    organization: str
    letterhead: Letterhead
    url: str  # the web page's absolute URL
    index_url: str  # the newsroom index's
    site_title: str
    summary: str
    published: str  # the publication instant, ISO 8601 (date, or the embargo when later)
    updated: str | None  # ISO 8601
    headline: str
    subheadline: str | None
    lead_in: str
    dateline: str
    body: Markdown
    media: tuple[MediaView, ...]
    end_mark: str
    update: UpdateNotice | None  # under the release line of every document
    notes: Section | None
    contacts_title: str
    contacts: tuple[ContactView, ...]
    about: Section | None
    translations: tuple[Translation, ...]
    topics: str | None  # "Capacity Building", as the release lists them
    also_available: str | None  # "Also available in Chinese", naming each translation

    @property
    def language(self) -> str:
        """The release's BCP 47 language tag."""
        return self.release.language

    @property
    def direction(self) -> str:
        """`rtl` for a release in a right-to-left language, else `ltr` (the HTML dir)."""
        return i18n.direction(self.release.language)

    @property
    def site_language(self) -> str:
        """The site's language: runs of another script are marked against it."""
        return self.release.site.site.language

    @property
    def embargoed(self) -> bool:
        """True when the documents carry an embargo notice."""
        return self.release.embargo is not None

    @property
    def hyphenate(self) -> bool:
        """Whether running text is hyphenated (site.yaml style.hyphenate; UN practice: not)."""
        return self.release.site.style.hyphenate

    @property
    def topic_list(self) -> tuple[str, ...]:
        """The topics one by one (for metadata)."""
        return self.release.topics


def view(release: Release, unpublished: Set[str] = frozenset()) -> ReleaseView:
    """Word the release for display: status, lead-in, labels, contacts, sections.

    `unpublished` are the slugs of releases still held back: a translation among them is not
    named, so nothing public points at a release before its embargo.
    """
    site = release.site
    org = site.organization
    language = release.language
    labels = i18n.labels(language)
    line = dateline(release)

    def text(value: str) -> str:
        return typeset(value, language)

    def markdown(value: Markdown) -> Markdown:
        return typeset_markdown(value, language, site.site.language)

    translations = tuple(
        Translation(tag, i18n.native_name(tag), f"{site.site.base_url}{slug}/", slug)
        for tag, slug in release.translations if slug not in unpublished)
    return ReleaseView(
        release=release,
        labels=labels,
        status=status_line(release),
        page_status=labels.immediate,
        organization=text(org.name),
        letterhead=letterhead(release),
        url=release.url,
        index_url=site.site.base_url,
        site_title=text(site.site.title),
        summary=text(release.summary),
        published=release.published.isoformat(timespec="seconds"),
        updated=release.updated.isoformat(timespec="seconds") if release.updated else None,
        headline=text(release.headline),
        subheadline=text(release.subheadline) if release.subheadline else None,
        topics=text(labels.list_sep.join(release.topics)) or None,
        lead_in=line + lead_dash(release),
        dateline=line,
        body=markdown(release.body),
        media=tuple(_media(item, labels, release) for item in release.media),
        end_mark="###" if site.style.house == "ap" else labels.end_mark,
        update=_update(release, labels, markdown),
        notes=Section(labels.notes, markdown(release.notes_to_editors))
        if release.notes_to_editors else None,
        contacts_title=labels.contacts if len(release.contacts) > 1 else labels.contact,
        contacts=tuple(_contact(c, labels, language) for c in release.contacts),
        about=Section(about_title(release), markdown(release.boilerplate))
        if release.boilerplate else None,
        translations=translations,
        also_available=_also_available(translations, labels, language),
    )


def about_title(release: Release) -> str:
    """`About IOM`: the organisation's own title for the block when site.yaml gives one
    (`organization.about`, for languages whose grammar needs an article), else the label."""
    org = release.site.organization
    if org.about:
        return typeset(org.about, release.language)
    label = i18n.labels(release.language).about
    return typeset(label.format(name=org.short_name or org.name), release.language)


def letterhead(release: Release) -> Letterhead:
    """The organisation's name, logo, address and web address."""
    org = release.site.organization
    address = tuple(line.strip() for line in (org.address or "").splitlines() if line.strip())
    # "United Nations Children's Fund (UNICEF)" already shows its short name: not twice.
    short = org.short_name if org.short_name and org.short_name not in org.name else None
    url_text = org.url.split("://", 1)[1].rstrip("/") if org.url else None
    language = release.language
    return Letterhead(typeset(org.name, language), short and typeset(short, language), org.logo,
                      tuple(typeset(line, language) for line in address), org.url, url_text)


def status_line(release: Release) -> str:
    """`FOR IMMEDIATE RELEASE` or `EMBARGOED UNTIL 10:00 China Standard Time (02:00 UTC),
    20 November 2024`."""
    labels = i18n.labels(release.language)
    if release.embargo is None:
        return labels.immediate
    return typeset(labels.embargoed.format(when=embargo_time(release)), release.language)


def subject(release: Release) -> str:
    """The email subject: the headline, prefixed `[CORRECTED]` when corrected and
    `[EMBARGOED until ...]` when embargoed (in the release's language and typography)."""
    labels = i18n.labels(release.language)
    prefix = labels.subject_corrected if release.correction is not None else ""
    if release.embargo is not None:
        prefix += labels.subject_embargo.format(when=embargo_time(release))
    return typeset(prefix + release.headline, release.language)


def embargo_time(release: Release) -> str:
    """The embargo's local time, zone (CLDR's name), the instant in UTC, and the date."""
    assert release.embargo is not None
    local = release.embargo.astimezone(release.site.tz)
    labels = i18n.labels(release.language)
    when = i18n.clock_time(local, release.language) + i18n.utc_time(local, labels,
                                                                     release.language)
    return labels.embargo_when.format(time=when, date=i18n.long_date(local, release.language))


def lead_dash(release: Release) -> str:
    """The dash after the dateline that leads into the body's first paragraph: the house
    style's (AP: an em dash), else the language's (` – `, Chinese `——`)."""
    if release.site.style.house == "ap":
        return " — "
    return i18n.labels(release.language).lead_dash


def dateline(release: Release) -> str:
    """The dateline and date as the house style writes them, without the dash that leads into
    the first paragraph (a body opening with a heading, list or quote gets it on its own)."""
    local: datetime = release.date.astimezone(release.site.tz)
    labels = i18n.labels(release.language)
    if release.site.style.house == "ap":
        city, sep, rest = release.dateline.partition(",")
        date = i18n.ap_date(local) if i18n.base_language(release.language) == "en" \
            else i18n.long_date(local, release.language)
        return f"{city.upper()}{sep}{rest}, {date}"
    date = i18n.long_date(local, release.language)
    return typeset(f"{release.dateline}{labels.dateline_sep}{date}", release.language)


def _media(item: MediaItem, labels: i18n.Labels, release: Release) -> MediaView:
    language = release.language
    credit = typeset(labels.photo.format(credit=item.credit), language) if item.credit else None
    href = media_url(release, item.file) if item.file else item.url
    return MediaView(typeset(item.caption, language), credit, item.file, item.url,
                     typeset(item.alt, language) if item.alt else None, href)


def media_url(release: Release, name: str) -> str:
    """The absolute URL of the web page's copy of a file under media/."""
    return release.url + media_src(name)


def _update(release: Release, labels: i18n.Labels,
            markdown: Callable[[Markdown], Markdown]) -> UpdateNotice | None:
    if release.updated is None:
        return None
    when = i18n.long_date(release.updated.astimezone(release.site.tz), release.language)
    correction = markdown(release.correction) if release.correction else None
    return UpdateNotice(typeset(labels.updated.format(date=when), release.language), correction)


def _contact(contact: Contact, labels: i18n.Labels, language: str) -> ContactView:
    lines = [ContactLine(typeset(value, language))
             for value in (contact.name, contact.role, contact.organization) if value]
    if contact.phone:
        lines.append(ContactLine(contact.phone, labels.phone))
    if contact.email:
        lines.append(ContactLine(contact.email, labels.email, f"mailto:{contact.email}"))
    return ContactView(tuple(lines))


def _also_available(translations: tuple[Translation, ...], labels: i18n.Labels,
                    language: str) -> str | None:
    if not translations:
        return None
    names = i18n.join_list([translation.name for translation in translations], language)
    return labels.also_available.format(languages=names)
