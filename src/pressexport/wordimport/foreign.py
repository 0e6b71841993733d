"""A press-release draft typed in Word without our styles, read best-effort: the markers of
markers.py place its parts; what cannot be placed is reported by paragraph number."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pressexport.errors import Problem
from pressexport.model import Site
from pressexport.wordimport import markers, parts
from pressexport.wordimport.dates import find_date
from pressexport.wordimport.docxread import Para
from pressexport.wordimport.draft import Draft, located
from pressexport.wordimport.inline import plain
from pressexport.wordimport.ours import drop
from pressexport.wordimport.structure import Structure

FRONT_LIMIT = 12  # paragraphs before the headline that may be front matter
SUBHEAD_WORDS = 12  # a bold paragraph of the body this short is a subhead


@dataclass
class _Reading:
    """What the reader has found so far."""

    file: str
    warnings: list[Problem] = field(default_factory=list)
    fields: dict = field(default_factory=dict)

    def skip(self, para: Para, what: str) -> None:
        """Report a paragraph that could not be placed."""
        text = plain(para.pieces)
        shown = text if len(text) <= 40 else text[:39] + "…"
        self.warnings.append(located(self.file, para.number, "", f"{what}: '{shown}'"))


def read(paras: Sequence[Para], structure: Structure, site: Site, file: str) -> Draft:
    """The release a draft holds, as far as its markers tell."""
    reading = _Reading(file)
    shown = [p for p in paras if p.text.strip() or p.pictures]
    for para in shown:
        if para.in_table:
            reading.skip(para, "a table was not imported")
        if para.pictures:
            reading.skip(para, "a picture was not imported (list it under media)")
    shown = [p for p in shown if not p.in_table and p.text.strip()]
    start = _front(shown, reading, site)
    end = _body(shown[start:], reading, structure)
    _back(shown[start + end:], reading, structure)
    return Draft(**reading.fields, warnings=tuple(reading.warnings))


def _front(paras: Sequence[Para], reading: _Reading, site: Site) -> int:
    """Status, headline and subheadline; returns where the body starts."""
    title = next((i for i, p in enumerate(paras[:FRONT_LIMIT]) if p.style == "Title"), None)
    if title is None:
        title = next((i for i, p in enumerate(paras[:FRONT_LIMIT])
                      if (p.all_bold or p.style.startswith("Heading")) and not _marker(p, site)),
                     None)
    if title is None:
        return 0
    for para in paras[:title]:
        if not _front_marker(para, reading, site):
            reading.skip(para, "not imported (before the headline)")
    reading.fields["headline"] = plain(paras[title].pieces)
    i = title + 1
    while i < len(paras) and _front_marker(paras[i], reading, site):
        i += 1
    if i < len(paras) and parts.split_lead(paras[i].text) is None and (
            paras[i].style == "Subtitle" or paras[i].all_italic or
            (paras[i].all_bold and len(paras[i].text.split()) <= 30)):
        reading.fields["subheadline"] = plain(paras[i].pieces)
        i += 1
    while i < len(paras) and _front_marker(paras[i], reading, site):
        i += 1
    return i


def _marker(para: Para, site: Site) -> bool:
    text = para.text
    return (parts.read_status(text, site.tz) is not None
            or markers.opening("release", text) == ""
            or text.strip() == site.organization.name)


def _front_marker(para: Para, reading: _Reading, site: Site) -> bool:
    """Status line, `PRESS RELEASE`, the organisation's name: taken or passed over."""
    status = parts.read_status(para.text, site.tz)
    if status is not None:
        if status.embargoed and status.embargo is None:
            reading.skip(para, "embargo: no time and date found in")
        reading.fields["embargo"] = status.embargo
        return True
    return _marker(para, site)


def _body(paras: Sequence[Para], reading: _Reading, structure: Structure) -> int:
    """The dateline lead and the body, up to the end mark or the first section opener;
    returns how many paragraphs it took."""
    body = []
    taken = len(paras)
    for i, para in enumerate(paras):
        if markers.is_end_mark(para.text):
            taken = i + 1
            break
        if _opener(para) is not None:
            taken = i
            break
        if not body and "dateline" not in reading.fields and _dateline(para, reading):
            rest = drop(para.pieces, reading.fields.pop("_lead"))
            if not plain(rest):
                continue
            para = replace(para, pieces=tuple(rest))
        body.append(para)
    blocks = [_subhead(structure.block(p), p) for p in body]
    from pressexport.wordimport.blocks import markdown

    reading.fields["body"] = markdown(blocks) or None
    return taken


def _dateline(para: Para, reading: _Reading) -> bool:
    """A `CITY, DATE – ` lead (or a paragraph that is only a dateline, or only a date)."""
    lead = parts.split_lead(para.text) or parts.split_lead(para.text, standalone=True)
    if lead is None or (lead.length >= len(para.text.rstrip()) and lead.date is None):
        found = find_date(para.text)
        if found and len(para.text.strip()) <= found.end - found.start + 4:
            reading.fields.update(date=found.value, _lead=len(para.text))
            return True
        return False
    reading.fields.update(dateline=lead.place, _lead=lead.length)
    if lead.date:
        reading.fields["date"] = lead.date
    return True


def _subhead(block, para: Para):
    """A short bold paragraph of the body is a subhead in a typed draft."""
    if block.kind == "p" and para.all_bold and len(para.text.split()) <= SUBHEAD_WORDS \
            and not para.text.rstrip().endswith((".", "。")):
        return replace(block, kind="h2", text=plain(para.pieces))
    return block


def _opener(para: Para) -> tuple[str, str] | None:
    """(`contacts`, `about` or `notes`, the rest of the paragraph) when it opens a section."""
    for kind in ("notes", "contacts", "about"):
        rest = markers.opening(kind, para.text)
        if rest is None:
            continue
        heading = markers.is_heading_like(para.text, 8 if kind == "about" else 12)
        if heading or re.match(r"^[^.]{0,60}[:：]", para.text):
            return kind, rest
    return None


def _back(paras: Sequence[Para], reading: _Reading, structure: Structure) -> None:
    """Notes to editors, contacts and About, each from its opener to the next."""
    sections: dict[str, list] = {}
    kind = None
    for para in paras:
        opened = _opener(para)
        if opened is not None:
            kind, rest = opened
            sections.setdefault(kind, [])
            inline = _inline_rest(kind, para, rest)
            if inline is not None:
                sections[kind].append(inline)
        elif kind is None:
            reading.skip(para, "not imported (after the end mark, under no heading)")
        else:
            sections[kind].append(para)
    for name in ("notes", "about"):
        if name in sections:
            field_name = "notes_to_editors" if name == "notes" else "boilerplate"
            reading.fields[field_name] = structure.markdown(sections[name])
    if "contacts" in sections:
        reading.fields["contacts"] = tuple(_contacts(sections["contacts"]))


def _inline_rest(kind: str, para: Para, rest: str) -> Para | None:
    """The part of an opener paragraph that is already content (`About IOM: IOM is ...`)."""
    colon = re.match(r"^[^:：]{0,60}[:：]\s*", para.text)
    if colon and para.text[colon.end():].strip():
        return replace(para, pieces=tuple(drop(para.pieces, colon.end())))
    if kind == "about" and not markers.is_heading_like(para.text, 8):
        return para  # "About IOM" opening a sentence of the boilerplate itself
    if kind == "contacts" and rest and not re.search(r"contact|联系|اتصال|обращ|contact",
                                                     rest, re.I):
        return replace(para, pieces=tuple(drop(para.pieces, len(para.text) - len(rest))))
    return None


def _contacts(paras: Sequence[Para]) -> list[dict[str, str]]:
    """Contacts from their lines: a blank line, or a name after an address, starts the next."""
    groups: list[list[str]] = [[]]
    for para in paras:
        for line in (plain(pieces) for pieces in para.lines()):
            if not line:
                groups.append([])
                continue
            current = parts.contact(groups[-1])
            if ("phone" in current or "email" in current) and not parts.contact([line]).keys() \
                    & {"phone", "email"}:
                groups.append([])
            groups[-1].append(line)
        groups.append([])
    return [c for c in (parts.contact(g) for g in groups if g) if c.get("name")]
