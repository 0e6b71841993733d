"""Open a DOCX safely: only the file given, a zip of bounded size and entry count, every part
read with a bounded read, no DTDs, no external references but hyperlinks."""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from pathlib import Path

from pressexport.errors import UsageError

MAX_FILE = 64 * 1024 * 1024  # bytes of the .docx itself
MAX_PART = 64 * 1024 * 1024  # bytes one part may inflate to
MAX_TOTAL = 256 * 1024 * 1024  # bytes all parts together may inflate to
MAX_ENTRIES = 2000
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: an encrypted OOXML or a .doc
ZIP = b"PK\x03\x04"
MAIN = re.compile(rb"wordprocessingml\.document\.main\+xml")
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class Refused(UsageError):
    """The file is not a DOCX that import may read (exit 2, nothing written)."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(f"{file}: {message}; nothing written")


def read_parts(path: Path, file: str) -> dict[str, bytes]:
    """Every part of the DOCX at `path`, checked; raises Refused."""
    data = _read_file(path, file)
    if data.startswith(OLE):
        raise Refused(file, "encrypted or password-protected (or an old .doc): save it from "
                            "Word without a password, as .docx")
    if not data.startswith(ZIP):
        raise Refused(file, "not a Word document (.docx is a zip package)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = _inflate(package, file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise Refused(file, f"damaged zip package ({exc})") from None
    if not MAIN.search(parts.get("[Content_Types].xml", b"")):
        raise Refused(file, "not a Word document (no word/document.xml main part)")
    for name, blob in parts.items():
        if name.endswith((".xml", ".rels")) and b"<!DOCTYPE" in blob[:4096].upper():
            raise Refused(file, f"{name} declares a DTD, which OOXML never does")
    _check_relationships(parts, file)
    return parts


def repack(parts: dict[str, bytes]) -> bytes:
    """The checked parts as a new zip, so the DOCX reader sees exactly what was checked."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as package:
        for name, blob in parts.items():
            package.writestr(name, blob)
    return out.getvalue()


def _read_file(path: Path, file: str) -> bytes:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(file, "not a regular file")
        if info.st_size > MAX_FILE:
            raise Refused(file, f"larger than {MAX_FILE // 2**20} MiB")
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE + 1)
    except OSError as exc:
        raise UsageError(f"{file}: cannot read: {exc.strerror}") from None
    if len(data) > MAX_FILE:
        raise Refused(file, f"larger than {MAX_FILE // 2**20} MiB")
    return data


def _inflate(package: zipfile.ZipFile, file: str) -> dict[str, bytes]:
    infos = package.infolist()
    if len(infos) > MAX_ENTRIES:
        raise Refused(file, f"more than {MAX_ENTRIES} parts in the package")
    parts: dict[str, bytes] = {}
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refused(file, "encrypted zip entries")
        if info.is_dir():
            continue
        if info.file_size > MAX_PART:
            raise Refused(file, f"{info.filename} inflates past {MAX_PART // 2**20} MiB "
                                "(a zip bomb?)")
        with package.open(info) as handle:
            blob = handle.read(MAX_PART + 1)  # never trust the declared size
        total += len(blob)
        if len(blob) > MAX_PART or total > MAX_TOTAL:
            raise Refused(file, f"{info.filename} inflates past the limit (a zip bomb?)")
        parts[info.filename] = blob
    return parts


def _check_relationships(parts: dict[str, bytes], file: str) -> None:
    """Refuse every external target but a hyperlink: a linked picture, an attached template,
    a linked object would make a reader fetch from the network or the disk."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for name, blob in parts.items():
        if not name.endswith(".rels"):
            continue
        try:
            root = etree.fromstring(blob, parser)
        except etree.XMLSyntaxError as exc:
            raise Refused(file, f"{name} is not well-formed XML ({exc})") from None
        for rel in root.iter(RELS_NS + "Relationship"):
            if rel.get("TargetMode") == "External" and rel.get("Type") != HYPERLINK:
                kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
                raise Refused(file, f"it refers to an external {kind} ({rel.get('Target')}); "
                                    "import never follows external references: embed it or "
                                    "remove it")
