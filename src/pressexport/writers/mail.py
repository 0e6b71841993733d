"""The ready-to-send message: the text version as body, the PDF and DOCX attached, byte-stable."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from email import policy
from email.generator import BytesGenerator
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pressexport import formats
from pressexport.envelope import normal_address
from pressexport.errors import BuildError
from pressexport.layout import document_path
from pressexport.view import ReleaseView, subject
from pressexport.wrap import SOFT_AT_SPACE, SOFT_NO_SPACE
from pressexport.writers import Artifact, Context
from pressexport.writers import html as html_writer
from pressexport.writers.text import render_body

if TYPE_CHECKING:
    from pressexport.model import Release

#: RFC 5322 lines end in CRLF, and smtplib sends bytes as they are: the file is what is sent.
#: Headers we encode and fold ourselves are not refolded.
POLICY = policy.SMTP.clone(refold_source="none")
MAX_LINE = 78
#: Shown when site.yaml lists no To address: the RFC 5322 empty group, what mail clients
#: themselves write for a Bcc-only message, and what spam filters expect rather than no To at all.
UNDISCLOSED = "undisclosed-recipients:;"


@dataclass(frozen=True)
class Attachment:
    """A file attached to the message."""

    filename: str
    mime_type: str
    data: bytes


def write(v: ReleaseView, ctx: Context, inputs: Mapping[str, bytes]) -> list[Artifact]:
    """out/SLUG/SLUG.eml: the text version as body, the page as its HTML alternative, and the
    documents the format needs (the PDF and the DOCX) attached."""
    release = v.release
    attached = [formats.get(name) for name in formats.get("eml").needs]
    attachments = [Attachment(f"{release.slug}.{f.suffix}", f.mime, inputs[f.name])
                   for f in attached]
    msg = message(release, render_body(v, ctx, soft=True), attachments, email_html(v, ctx))
    return [Artifact(document_path(release.slug, "eml"), to_bytes(msg))]


def email_html(v: ReleaseView, ctx: Context) -> str:
    """The release as a mail client shows it: the page's template for email, its CSS copied into
    style attributes (Outlook and many webmails drop <style>), every URL absolute."""
    import css_inline

    # The <style> stays too: the clients that read it (Apple Mail, Gmail's apps) get what style
    # attributes cannot say (the narrow-screen rules), and spam filters take HTML mail without
    # one, or with a picture in under 3,200 bytes of HTML, for a spammer's (SpamAssassin's
    # TO_NO_BRKTS_PCNT, with a percentage and no To address; HTML_IMAGE_ONLY_*).
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=True,
                                    keep_link_tags=False)
    return inliner.inline(html_writer.render(v, ctx, "email"))


def message(release: Release, text: str, attachments: Sequence[Attachment],
            html: str | None = None) -> EmailMessage:
    """The message: headers, text (and HTML) body, attachments; multipart/mixed when attached."""
    msg = EmailMessage(policy=POLICY)
    for name, value in headers(release):
        msg.set_raw(name, fold(name, value))  # raw: the policy leaves encoding and folding alone
    # format=flowed (RFC 3676): phones reflow the 72-column lines to their width, other clients
    # show them as they are. Quoted-printable keeps the trailing spaces that mark soft breaks.
    flowed, delsp = to_flowed(text)
    msg.set_content(flowed, charset="utf-8", cte="quoted-printable")
    msg.set_param("format", "flowed")
    if delsp:
        msg.set_param("delsp", "yes")
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


def to_flowed(text: str) -> tuple[str, bool]:
    """Text with wrap's soft-break marks as RFC 3676 format=flowed, and whether it needs
    DelSp=yes (a line broke where the text has no space: between Chinese characters)."""
    delsp = SOFT_NO_SPACE in text
    # With DelSp=yes the reader deletes the space that marks a soft break: a break at a space
    # keeps the text's own space before it.
    at_space = "  " if delsp else " "
    lines = []
    for line in text.replace(SOFT_AT_SPACE, at_space).replace(SOFT_NO_SPACE, " ").split("\n"):
        hard = line.rstrip(" ")  # a line the writer ended: no trailing space, or it would flow
        line = line if line.endswith(" ") and line.strip() else hard
        if line.startswith((" ", ">", "From ")):
            line = " " + line  # space-stuffing: the reader removes one leading space
        lines.append(line)
    return "\n".join(lines), delsp


def headers(release: Release) -> list[tuple[str, str]]:
    """From, Reply-To, To, Subject, Date, Message-ID, in that order, encoded for 7-bit transport."""
    settings = release.site.email
    fields = [("From", mailbox(settings.from_, "From")),
              ("Reply-To", settings.reply_to and mailbox(settings.reply_to, "Reply-To")),
              ("To", ", ".join(mailbox(a, "To") for a in settings.to) or UNDISCLOSED),
              ("Subject", encoded(subject(release))), ("Date", format_datetime(release.published)),
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
    out = io.BytesIO()
    _Generator(out, policy=POLICY).flatten(msg)
    data = out.getvalue()
    if not data.isascii():
        raise BuildError("the message is not 7-bit ASCII after encoding")
    return data


class _Generator(BytesGenerator):
    """The email package's generator, each body written at once: the same bytes as
    `as_bytes()`, in half the time (it makes two calls per line, some 13,000 lines a message
    with a PDF and a DOCX attached)."""

    def _write_lines(self, lines: str) -> None:
        if lines:
            # Every line end the generator's own split knows (\r\n, \r, \n) as the policy's.
            self.write(lines.replace("\r\n", "\n").replace("\r", "\n").replace("\n", self._NL))


def _set_boundaries(part: EmailMessage) -> None:
    """Give each multipart a boundary hashed from its parts' bytes, innermost first."""
    if not part.is_multipart():
        return
    children = list(part.iter_parts())
    for child in children:
        _set_boundaries(child)
    digest = hashlib.sha256()
    for child in children:  # its headers and its encoded body (or its own boundary)
        for name, value in child.items():
            digest.update(f"{name}: {value}\n".encode())
        body = child.get_boundary() if child.is_multipart() else child.get_payload()
        digest.update(str(body).encode("utf-8", "surrogateescape"))
    # "=_" cannot occur in quoted-printable or base64 text, so no body can contain the boundary.
    boundary = f"=_{digest.hexdigest()[:40]}"
    part.set_boundary(boundary)
