"""What the Word version does not print, kept in its custom document properties
(docProps/custom.xml) so that `pressexport import` can give the release back field by field.

Custom properties, not a custom XML part: LibreOffice keeps custom properties through a re-save
(verified with LibreOffice 7.4, `soffice --convert-to docx`) but drops custom XML parts it does
not know, and Word keeps both. Word's property dialog edits values of up to 255 characters, so a
longer value is split over `name`, `name#2`, ... (each at most 255 UTF-16 code units).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject

    from pressexport.model import Release

PREFIX = "pressexport."
VERSION = "1"
#: The property that marks a document as one pressexport wrote, and the format of the others.
MARKER = "pressexport"
NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one Word gives every custom property
RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
PARTNAME = "/docProps/custom.xml"
LIMIT = 255  # UTF-16 code units Word's dialog keeps


def embed(document: DocumentObject, release: Release) -> None:
    """Write the release's unprinted fields into the document's custom properties."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    existing = next((rel.target_part for rel in package.rels.values()
                     if rel.reltype == RELTYPE and not rel.is_external), None)
    others = _foreign_properties(existing.blob) if existing is not None else []
    blob = _xml([*others, *_chunks(fields(release, _picture_digests(document)))])
    if existing is not None:
        existing._blob = blob
    else:
        package.relate_to(Part(PackURI(PARTNAME), CONTENT_TYPE, blob, package), RELTYPE)


def fields(release: Release, digests: list[str]) -> dict[str, str]:
    """The unprinted fields as property name → text (lists and maps as JSON)."""
    values: dict[str, str | None] = {
        MARKER: VERSION,
        "slug": release.slug,
        "language": release.language,
        "id": release.id,
        "date": release.date.isoformat(),
        "updated": release.updated.isoformat() if release.updated else None,
        "embargo": release.embargo.isoformat() if release.embargo else None,
        "dateline": release.dateline,
        "topics": _json(list(release.topics)),
        "translations": _json(dict(release.translations)),
        # Only a summary of its own: the default one follows the first paragraph's edits.
        "summary": None if release.summary == release.body.first_paragraph()
        else release.summary,
        "media": _json(_media(release, digests)),
        "contacts": _json([c.model_dump(exclude_none=True) for c in release.contacts]),
    }
    return {(name if name == MARKER else PREFIX + name): value
            for name, value in values.items() if value is not None}


def read(blob: bytes | None) -> dict[str, str]:
    """The pressexport properties of a docProps/custom.xml (names without the prefix), long
    values joined again; {} when there are none."""
    if not blob:
        return {}
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(blob, parser)
    parts: dict[str, dict[int, str]] = {}
    for prop in root.iter(f"{{{NS}}}property"):
        base, _, index = (prop.get("name") or "").partition("#")
        if base != MARKER and not base.startswith(PREFIX):
            continue
        key = "" if base == MARKER else base[len(PREFIX):]
        number = int(index) if index.isdigit() else 1
        parts.setdefault(key, {})[number] = "".join(prop.itertext())
    found = {key: "".join(text for _, text in sorted(pieces.items()))
             for key, pieces in parts.items()}
    return found if "" in found else {}


def loads(properties: Mapping[str, str], name: str, default: object) -> object:
    """A JSON-valued property, or `default` when absent or unreadable."""
    try:
        return json.loads(properties[name])
    except (KeyError, ValueError):
        return default


def digest(blob: bytes) -> str:
    """The name an embedded picture is known by: the SHA-1 of its bytes (as python-docx and
    LibreOffice keep the image file unchanged)."""
    return hashlib.sha1(blob).hexdigest()


def _media(release: Release, digests: list[str]) -> list[dict[str, str]]:
    """The file of each embedded picture with its digest, in document order."""
    files = [item.file for item in release.media if item.file]
    if len(files) != len(digests):  # a picture elsewhere in the body: names only
        digests = [""] * len(files)
    return [{"file": file, "sha1": sha} for file, sha in zip(files, digests, strict=True)]


def _picture_digests(document: DocumentObject) -> list[str]:
    """The digests of the body's pictures, in order."""
    from docx.oxml.ns import qn

    out = []
    for blip in document.element.body.iter(qn("a:blip")):
        rid = blip.get(qn("r:embed"))
        if rid and rid in document.part.rels:
            out.append(digest(document.part.rels[rid].target_part.blob))
    return out


def _json(value: object) -> str | None:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None


def _chunks(values: dict[str, str]) -> list[tuple[str, str]]:
    """(name, text) pairs, each text at most LIMIT UTF-16 code units."""
    out = []
    for name, value in values.items():
        pieces, current, size = [], "", 0
        for char in value:
            width = 2 if ord(char) > 0xFFFF else 1
            if size + width > LIMIT:
                pieces.append(current)
                current, size = "", 0
            current += char
            size += width
        pieces.append(current)
        out += [(name if i == 0 else f"{name}#{i + 1}", piece) for i, piece in enumerate(pieces)]
    return out


def _foreign_properties(blob: bytes) -> list[tuple[str, str]]:
    """Custom properties a reference document brought that are not ours (kept as text)."""
    from lxml import etree

    root = etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True))
    return [(p.get("name") or "", "".join(p.itertext())) for p in root.iter(f"{{{NS}}}property")
            if not (p.get("name") or "").startswith(MARKER)]


def _xml(properties: list[tuple[str, str]]) -> bytes:
    from lxml import etree

    root = etree.Element(f"{{{NS}}}Properties", nsmap={None: NS, "vt": VT})
    for pid, (name, value) in enumerate(properties, start=2):  # Word numbers them from 2
        prop = etree.SubElement(root, f"{{{NS}}}property", fmtid=FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{VT}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
