"""What every format shows, in order: the release as worded in its language and house style."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from pressexport import i18n
from pressexport.markup import Markdown
from pressexport.model import Contact, MediaItem, Release


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


@dataclass(frozen=True)
class ReleaseView:
    """The release's parts in SPEC order, with every label in the release's language."""

    release: Release
    labels: i18n.Labels
    status: str
    organization: str
    headline: str
    subheadline: str | None
    lead_in: str
    dateline: str
    body: Markdown
    media: tuple[MediaView, ...]
    end_mark: str
    correction: Section | None
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


def view(release: Release) -> ReleaseView:
    """Word the release for display: status, lead-in, labels, contacts, sections."""
    site = release.site
    labels = i18n.labels(release.language)
    org = site.organization
    line = dateline(release)
    translations = tuple(
        Translation(tag, i18n.language_name(tag, release.language), f"{site.site.base_url}{slug}/")
        for tag, slug in release.translations)
    return ReleaseView(
        release=release,
        labels=labels,
        status=status_line(release),
        organization=org.name,
        headline=release.headline,
        subheadline=release.subheadline,
        topics=labels.list_sep.join(release.topics) or None,
        lead_in=line + lead_dash(release),
        dateline=line,
        body=release.body,
        media=tuple(_media(item, labels, release) for item in release.media),
        end_mark="###" if site.style.house == "ap" else labels.end_mark,
        correction=_correction(release, labels),
        notes=Section(labels.notes, release.notes_to_editors) if release.notes_to_editors else None,
        contacts_title=labels.contacts if len(release.contacts) > 1 else labels.contact,
        contacts=tuple(_contact(c, labels) for c in release.contacts),
        about=(Section(labels.about.format(name=org.short_name or org.name), release.boilerplate)
               if release.boilerplate else None),
        translations=translations,
        also_available=_also_available(translations, labels),
    )


def status_line(release: Release) -> str:
    """`FOR IMMEDIATE RELEASE` or `EMBARGOED UNTIL 10:00 CST (UTC+08:00), 20 November 2024`."""
    labels = i18n.labels(release.language)
    if release.embargo is None:
        return labels.immediate
    return labels.embargoed.format(when=embargo_time(release))


def subject(release: Release) -> str:
    """The email subject: the headline, prefixed `[EMBARGOED until ...]` when embargoed."""
    if release.embargo is None:
        return release.headline
    prefix = i18n.labels(release.language).subject_embargo.format(when=embargo_time(release))
    return prefix + release.headline


def embargo_time(release: Release) -> str:
    """The embargo's local time, zone and date in site.timezone."""
    assert release.embargo is not None
    local = release.embargo.astimezone(release.site.tz)
    labels = i18n.labels(release.language)
    return labels.embargo_when.format(time=i18n.clock_time(local),
                                      date=i18n.long_date(local, release.language))


def lead_dash(release: Release) -> str:
    """The dash after the dateline that leads into the body's first paragraph."""
    return " — " if release.site.style.house == "ap" else " – "


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
    return f"{release.dateline}{labels.dateline_sep}{date}"


def _media(item: MediaItem, labels: i18n.Labels, release: Release) -> MediaView:
    credit = labels.photo.format(credit=item.credit) if item.credit else None
    href = media_url(release, item.file) if item.file else item.url
    return MediaView(item.caption, credit, item.file, item.url, item.alt, href)


def media_src(name: str) -> str:
    """The URL of a file under media/ relative to the web page (also its path under source/):
    the page's copy keeps the file's name, percent-encoded in the URL."""
    return "media/" + quote(name)


def media_url(release: Release, name: str) -> str:
    """The absolute URL of the web page's copy of a file under media/."""
    return release.url + media_src(name)


def _correction(release: Release, labels: i18n.Labels) -> Section | None:
    if release.correction is None or release.updated is None:
        return None
    when = i18n.long_date(release.updated.astimezone(release.site.tz), release.language)
    return Section(labels.correction.format(date=when), release.correction)


def _contact(contact: Contact, labels: i18n.Labels) -> ContactView:
    lines = [ContactLine(value) for value in (contact.name, contact.role, contact.organization)
             if value]
    if contact.phone:
        lines.append(ContactLine(contact.phone, labels.phone))
    if contact.email:
        lines.append(ContactLine(contact.email, labels.email, f"mailto:{contact.email}"))
    return ContactView(tuple(lines))


def _also_available(translations: tuple[Translation, ...], labels: i18n.Labels) -> str | None:
    if not translations:
        return None
    names = [translation.name for translation in translations]
    return labels.also_available.format(languages=labels.list_sep.join(names))
