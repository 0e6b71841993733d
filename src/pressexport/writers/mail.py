"""The ready-to-send message: the text version as body, the PDF and DOCX attached, byte-stable."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pressexport.envelope import normal_address
from pressexport.errors import BuildError
from pressexport.newsroom import DOWNLOAD_TYPES
from pressexport.view import subject
from pressexport.writers import Artifact, Context, page_path
from pressexport.writers.text import render_body

if TYPE_CHECKING:
    from pressexport.model import Release

#: RFC 5322 lines end in CRLF, and smtplib sends bytes as they are: the file is what is sent.
#: Headers we encode and fold ourselves are not refolded.
POLICY = policy.SMTP.clone(refold_source="none")
MAX_LINE = 78
#: The documents attached, by suffix (their MIME types are the newsroom's download types).
ATTACHED = ("pdf", "docx")
#: Shown when site.yaml lists no To address: the RFC 5322 empty group, what mail clients
#: themselves write for a Bcc-only message, and what spam filters expect rather than no To at all.
UNDISCLOSED = "undisclosed-recipients:;"


@dataclass(frozen=True)
class Attachment:
    """A file attached to the message."""

    filename: str
    mime_type: str
    data: bytes


def write(release: Release, ctx: Context, inputs: Mapping[str, bytes]) -> list[Artifact]:
    """out/SLUG/SLUG.eml: the text version's body, the web page, the PDF and DOCX made for it."""
    from pressexport.writers.mailhtml import email_html

    attachments = [Attachment(f"{release.slug}.{suffix}", DOWNLOAD_TYPES[suffix],
                              inputs[ctx.release_path(release, suffix)]) for suffix in ATTACHED]
    page = inputs[page_path(release.slug)].decode("utf-8")
    html = email_html(page, release.url)
    msg = message(release, render_body(release, ctx), attachments, html)
    return [Artifact(ctx.release_path(release, "eml"), to_bytes(msg))]


def message(release: Release, text: str, attachments: Sequence[Attachment],
            html: str | None = None) -> EmailMessage:
    """The message: headers, text (and HTML) body, attachments; multipart/mixed when attached."""
    msg = EmailMessage(policy=POLICY)
    for name, value in headers(release):
        msg.set_raw(name, fold(name, value))  # raw: the policy leaves encoding and folding alone
    # Quoted-printable: exact in every client (soft line breaks vanish on decoding), readable for
    # Latin-script text; no format=flowed, so the 72-column lines are shown as they are.
    msg.set_content(text, charset="utf-8", cte="quoted-printable")
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    for item in attachments:
        maintype, _, subtype = item.mime_type.partition("/")
        # name= too: older Outlook versions read the file name from Content-Type only.
        msg.add_attachment(item.data, maintype, subtype, filename=item.filename,
                           params={"name": item.filename})
    # Last: set_content and add_attachment move Content-* headers off the top level.
    msg["Content-Language"] = release.language
    return msg


def headers(release: Release) -> list[tuple[str, str]]:
    """From, Reply-To, To, Subject, Date, Message-ID, in that order, encoded for 7-bit transport."""
    settings = release.site.email
    fields = [("From", mailbox(settings.from_, "From")),
              ("Reply-To", settings.reply_to and mailbox(settings.reply_to, "Reply-To")),
              ("To", ", ".join(mailbox(a, "To") for a in settings.to) or UNDISCLOSED),
              ("Subject", encoded(subject(release))), ("Date", format_datetime(release.date)),
              ("Message-ID", message_id(release))]
    return [(name, value) for name, value in fields if value]


def encoded(text: str, name: str = "Subject") -> str:
    """`text` as it is when ASCII and foldable, else wholly RFC 2047 encoded-words of whole
    characters."""
    if text.isascii() and "=?" not in text and foldable(text, name):
        return text
    # The whole value, not word by word: Python's modern folder has mixed ASCII and encoded words
    # wrongly (doubled or lost spaces: CPython gh-92081, gh-120930, gh-144156); email.header's
    # older encoder makes words of at most 75 characters, Q or B, whichever is shorter.
    words = Header(text, "utf-8", maxlinelen=76, header_name=name).encode(linesep="\n")
    return words.replace("\n", "")


def mailbox(text: str, name: str = "From") -> str:
    """`Name <addr@host>` (site.yaml's form) with the name quoted or encoded, the host in ASCII."""
    address = policy.default.header_factory("To", text).addresses[0]
    addr = normal_address(address.addr_spec)
    display = address.display_name
    if not display:
        return addr
    return formataddr((display, addr)) if display.isascii() and foldable(display, name) else \
        f"{encoded(display, name)} <{addr}>"


def foldable(text: str, name: str) -> bool:
    """Whether `text` folds at its spaces into header lines within MAX_LINE (a long word would
    stay whole: a 1,500-octet headline without spaces makes a line servers refuse, over RFC
    5322's 998 octets; encoded-words can be cut anywhere)."""
    return all(len(f"{name}: {word}") <= MAX_LINE for word in text.split())


def fold(name: str, value: str) -> str:
    """`value` folded at its spaces so that `Name: value` lines stay within 78 columns."""
    lines = [f"{name}:"]
    for token in re.split(r"(?<=\S) (?=\S)", value):
        if len(lines[-1]) + 1 + len(token) > MAX_LINE and lines[-1].strip() != f"{name}:":
            lines.append("")
        lines[-1] += " " + token
    lines[0] = lines[0].removeprefix(f"{name}: ")
    return "\n".join(lines)


def message_id(release: Release) -> str:
    """`<HASH@HOST>` from the release id (and its `updated` time) and the newsroom's host."""
    # RFC 5322 3.6.4: each revision of a message gets a new id; a corrected release keeps its
    # feed id but must not be taken for a duplicate of the first message (Gmail drops those).
    version = release.id
    if release.updated is not None:
        version += "\n" + release.updated.astimezone(UTC).isoformat()
    digest = hashlib.sha256(version.encode("utf-8")).hexdigest()[:32]
    host = urlsplit(release.site.site.base_url).hostname or "localhost"
    return f"<{digest}@{host.encode('idna').decode('ascii')}>"


def to_bytes(msg: EmailMessage) -> bytes:
    """The message's bytes, with boundaries derived from the content: same input, same bytes."""
    for part in msg.walk():
        if part is not msg:
            del part["MIME-Version"]  # set on every part made by add_*; it belongs on top only
    _set_boundaries(msg)
    data = msg.as_bytes(policy=POLICY)
    if not data.isascii():
        raise BuildError("the message is not 7-bit ASCII after encoding")
    return data


def _set_boundaries(part: EmailMessage) -> None:
    """Give each multipart a boundary hashed from its parts' bytes, innermost first."""
    if not part.is_multipart():
        return
    children = list(part.iter_parts())
    for child in children:
        _set_boundaries(child)
    digest = hashlib.sha256()
    for child in children:
        digest.update(child.as_bytes(policy=POLICY))
    # "=_" cannot occur in quoted-printable or base64 text, so no body can contain the boundary.
    boundary = f"=_{digest.hexdigest()[:40]}"
    part.set_boundary(boundary)
