"""A document pressexport wrote, edited or not, read back by its named styles; what it does not
print comes from its custom properties (writers/docx_meta.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from pressexport import i18n
from pressexport.errors import Problem
from pressexport.model import Site
from pressexport.wordimport import markers, parts
from pressexport.wordimport.docxread import Para, Piece
from pressexport.wordimport.draft import Draft, located
from pressexport.wordimport.inline import plain
from pressexport.wordimport.structure import Structure
from pressexport.writers.docx_meta import loads

#: The Word version's styles the reader relies on (each in writers.word.STYLES). The front and
#: the organisation and status lines are optional: a reference may print them in its header.
FRONT = frozenset({"Release Status", "Updated", "Organization", "Title", "Subtitle", "Topics",
                   "Also Available"})
#: The correction text, printed in the front under the update notice.
CORRECTION = "Correction"
MEDIA = frozenset({"Figure", "Caption"})
END, SECTION, CONTACT, ABOUT, DATELINE = ("End Mark", "Notes Heading", "Contact",
                                          "Boilerplate", "Dateline")
STYLES = FRONT | MEDIA | {CORRECTION, END, SECTION, CONTACT, ABOUT, DATELINE}


@dataclass
class _Parts:
    front: dict[str, Para]
    correction: list[Para]
    body: list[Para]
    media: list[Para]
    after: list[Para]


def read(paras: Sequence[Para], meta: Mapping[str, str], structure: Structure, site: Site,
         file: str) -> Draft:
    """The release the document shows, its unprinted fields from `meta`."""
    warnings: list[Problem] = []
    split = _split(paras, file, warnings)
    language = meta.get("language") or site.site.language
    labels = i18n.labels(language)
    body, lead = _lead(split.body)
    date, dateline = _dateline(lead, meta, site)
    media = _media(split.media, meta, file, warnings)
    sections = _sections(split.after, meta, structure, file, warnings)
    return Draft(
        headline=_text(split.front.get("Title")),
        subheadline=_text(split.front.get("Subtitle")),
        date=date,
        updated=_moment(meta.get("updated")),
        correction=(structure.markdown(split.correction) if split.correction
                    else sections.get("correction")),
        id=meta.get("id"),
        embargo=_embargo(split.front.get("Release Status"), meta, site),
        language=language,
        dateline=dateline,
        topics=_topics(split.front.get("Topics"), meta, labels),
        summary=meta.get("summary"),
        body=structure.markdown(body),
        notes_to_editors=sections.get("notes"),
        media=tuple(media),
        contacts=_contacts(sections.get("contacts", []), meta, language),
        boilerplate=sections.get("about"),
        translations=loads(meta, "translations", {}),
        source_slug=meta.get("slug"),
        source_language=meta.get("language"),
        warnings=tuple(warnings),
    )


def _split(paras: Sequence[Para], file: str, warnings: list[Problem]) -> _Parts:
    """Front, body, media and what follows the end mark, by style and position."""
    out = _Parts({}, [], [], [], [])
    stage = "front"
    for para in paras:
        if para.in_table:
            warnings.append(located(file, para.number, "", "a table was not imported"))
            continue
        if stage == "front" and para.style in FRONT:
            out.front.setdefault(para.style, para)
        elif stage == "front" and para.style == CORRECTION:
            out.correction.append(para)
        elif stage == "after":
            out.after.append(para)
        elif para.style == END or (stage != "front" and markers.is_end_mark(para.text)):
            stage = "after"
        elif para.style in MEDIA or para.pictures:
            stage = "media"
            out.media.append(para)
        else:
            stage = "body" if stage == "front" else stage
            out.body.append(para)
    return out


def _text(para: Para | None) -> str | None:
    text = plain(para.pieces) if para else ""
    return text or None


def _lead(body: list[Para]) -> tuple[list[Para], str | None]:
    """The body without the dateline that leads into it, and the dateline's text."""
    for i, para in enumerate(body):
        if not para.text.strip():
            continue
        lead = "".join(p.text for p in _leading(para.pieces, DATELINE))
        if lead:
            rest = para.pieces[len(_leading(para.pieces, DATELINE)):]
        else:  # the style was lost: a typed `CITY, DATE – ` lead
            found = parts.split_lead(para.text)
            if found is None:
                return body, None
            lead, rest = para.text[: found.length], drop(para.pieces, found.length)
        return [*body[:i], replace(para, pieces=tuple(rest)), *body[i + 1:]], lead
    return body, None


def _leading(pieces: Sequence[Piece], style: str) -> list[Piece]:
    out = []
    for piece in pieces:
        if piece.style != style:
            break
        out.append(piece)
    return out


def drop(pieces: Sequence[Piece], count: int) -> list[Piece]:
    """`pieces` without their first `count` characters."""
    out = []
    for piece in pieces:
        if count >= len(piece.text):
            count -= len(piece.text)
            continue
        out.append(replace(piece, text=piece.text[count:]))
        count = 0
    return out


def _dateline(lead: str | None, meta: Mapping[str, str], site: Site):
    """The date and place: the metadata's where the document still shows them, else what the
    document shows (an edit)."""
    known_date = _moment(meta.get("date"))
    known_place = meta.get("dateline")
    found = parts.split_lead(lead, standalone=True) if lead else None
    date = known_date
    if found and found.date and (known_date is None
                                 or found.date != known_date.astimezone(site.tz).date()):
        date = found.date
    place = known_place
    if found and (known_place is None or found.place.casefold() != known_place.casefold()):
        place = found.place
    return date, place


def _moment(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _embargo(status: Para | None, meta: Mapping[str, str], site: Site) -> datetime | None:
    known = _moment(meta.get("embargo"))
    found = parts.read_status(status.text, site.tz) if status else None
    if found is None:
        return known
    if not found.embargoed:
        return None
    return known or found.embargo


def _topics(para: Para | None, meta: Mapping[str, str], labels: i18n.Labels) -> tuple[str, ...]:
    known = tuple(loads(meta, "topics", []))
    if para is None or labels.list_sep.join(known) == para.text.strip():
        return known
    return tuple(parts.split_topics(para.text))


def _media(paras: Sequence[Para], meta: Mapping[str, str], file: str,
           warnings: list[Problem]) -> list[dict[str, str]]:
    """Each caption with its credit, link, and the picture before it (its file by digest)."""
    files = loads(meta, "media", [])
    by_digest = {m.get("sha1"): m.get("file") for m in files if m.get("sha1")}
    unnamed = [m.get("file") for m in files if not m.get("sha1")]
    items, picture = [], None
    for para in paras:
        if para.pictures:
            picture = para.pictures[0]
            name = by_digest.get(picture.sha1) or (unnamed.pop(0) if unnamed else None)
            if name is None:
                warnings.append(located(file, para.number, "media", "a picture the release "
                                        "does not have was not imported (put it in media/)"))
                picture = None
            else:
                picture = (name, picture.alt)
        if para.style != "Caption":
            continue
        lines = para.lines()
        item = {"caption": plain(lines[0])}
        href = next((p.href for p in lines[0] if p.href), None)
        credit = " ".join(plain(line) for line in lines[1:]).strip()
        if credit:
            item["credit"] = _unlabeled(credit)
        if picture:
            item["file"], item["alt"] = picture
            picture = None
        elif href:
            item["url"] = href
        if item["caption"]:
            items.append(item)
    return items


def _unlabeled(credit: str) -> str:
    """`Photo: IOM 2017` → `IOM 2017`, in any language pressexport prints."""
    for tag in markers.LANGUAGES:
        label = i18n.labels(tag).photo.split("{")[0]
        if label and credit.startswith(label):
            return credit[len(label):].strip()
    return credit


def _sections(paras: Sequence[Para], meta: Mapping[str, str], structure: Structure, file: str,
              warnings: list[Problem]) -> dict:
    """Correction, notes, contacts and About, each under its heading (by text, else by the
    style of what it holds)."""
    groups: list[tuple[str, list[Para]]] = []
    for para in paras:
        if para.style == SECTION:
            groups.append((para.text, []))
        elif groups:
            groups[-1][1].append(para)
        elif para.text.strip():
            warnings.append(located(file, para.number, "", "text after the end mark without a "
                                    "heading was not imported"))
    found: dict = {}
    for title, content in groups:
        kind = _kind(title, content, meta, found)
        if kind == "contacts":
            found["contacts"] = [p for p in content if p.text.strip()]
        else:
            found[kind] = structure.markdown(content)
    return found


def _kind(title: str, content: Sequence[Para], meta: Mapping[str, str], found: dict) -> str:
    styles = {p.style for p in content if p.text.strip()}
    if CONTACT in styles or markers.opening("contacts", title) == "":
        return "contacts"
    if ABOUT in styles or markers.opening("about", title) is not None:
        return "about"
    if markers.opening("notes", title) == "":
        return "notes"
    # A correction after the end mark: a document made before the correction moved to the
    # front, under the update notice.
    return "correction" if meta.get("updated") and not found else "notes"


def _contacts(paras: Sequence[Para], meta: Mapping[str, str],
              language: str) -> tuple[dict[str, str], ...] | None:
    """Each Contact paragraph: the metadata's contact when the document still prints it so
    (role and organisation look alike), else read from its lines."""
    if not paras:
        return () if meta.get("contacts") else None
    known = loads(meta, "contacts", [])
    labels = i18n.labels(language)
    out = []
    for para in paras:
        lines = [plain(line) for line in para.lines()]
        same = [c for c in known if _printed(c, labels) == [line for line in lines if line]]
        out.append(dict(same[0]) if same else _guess(lines, known))
    return tuple(out)


def _printed(contact: Mapping[str, str], labels: i18n.Labels) -> list[str]:
    lines = [contact[k] for k in ("name", "role", "organization") if contact.get(k)]
    if contact.get("phone"):
        lines.append(labels.phone + contact["phone"])
    if contact.get("email"):
        lines.append(labels.email + contact["email"])
    return [" ".join(line.split()) for line in lines]


def _guess(lines: list[str], known: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """A contact from edited lines; an unlabeled line keeps the field it had before."""
    found = parts.contact(lines)
    before = next((c for c in known if c.get("name") == found.get("name")), {})
    values = [found.pop(k) for k in ("role", "organization") if k in found]
    for value in values:
        was = next((k for k in ("role", "organization") if before.get(k) == value), None)
        found[was or ("role" if "role" not in found else "organization")] = value
    return found
