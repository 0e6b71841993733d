"""`pressexport send`: every address checked, a stale .eml rebuilt, then sent through SMTP."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pressexport.envelope import BATCH_SIZE, batches, normal_address
from pressexport.errors import UsageError, display_path
from pressexport.smtp import ENV_USER, Credentials, Outcome, Say, SendError, Server, send

if TYPE_CHECKING:
    from email.message import EmailMessage

    from pressexport.build import BuildOptions


# -- recipients ---------------------------------------------------------------------------------

def recipients(to: Sequence[str], bcc_file: Path | None) -> list[str]:
    """Every address of --to and --bcc-file, validated and deduplicated; all bad ones at once."""
    entries = [("--to", a) for a in to]
    if bcc_file is not None:
        entries += read_list(bcc_file)
    good: dict[str, None] = {}  # ordered, and fast for long lists
    bad: list[str] = []
    for where, address in entries:
        try:
            normal = envelope_address(address)
        except ValueError as exc:
            bad.append(f"  {where}: {exc}")
            continue
        good[normal] = None
    if bad:
        raise UsageError("invalid recipient addresses; nothing was sent:\n" + "\n".join(bad))
    if not good:
        raise UsageError("no recipients: give --to ADDR or --bcc-file FILE")
    return list(good)


def read_list(path: Path) -> list[tuple[str, str]]:
    """(`FILE:LINE`, address) for each address of a list: one a line, `#` starts a comment."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read --bcc-file {path}: {exc}") from None
    entries = []
    # Line ends only: str.splitlines() also splits at a vertical tab, U+0085 or U+2028 inside a
    # line, making two addresses of one (each then refused for the character it holds).
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), 1):
        # '#' may occur inside an address (a#b@example.org): a comment starts a line or follows
        # a space.
        content = "" if line.lstrip().startswith("#") else line.split(" #")[0].strip()
        if content:
            entries.append((f"{display_path(path)}:{number}", content))
    return entries


def envelope_address(address: str) -> str:
    """The address as SMTP sends it: `addr@host` (or `Name <addr@host>` reduced); ValueError."""
    from email.utils import parseaddr

    text = address.strip()
    if text.endswith(">") and "<" in text:
        text = parseaddr(text)[1] or text
    try:
        return normal_address(text)
    except ValueError as exc:
        raise ValueError(f"'{address}' is not a valid address: {exc}") from None


def report(outcome: Outcome, total: int, say: Say, warn: Say) -> None:
    """Say who got the message; on a partial send list both sides and raise SendError."""
    if not outcome.failed:
        say(f"sent to {len(outcome.sent)} recipients")
        return
    if outcome.sent:
        say(f"accepted by the server for {len(outcome.sent)} of {total} recipients:")
        for address in outcome.sent:
            say(f"  {address}")
    warn(f"NOT sent to {len(outcome.failed)} of {total} recipients:")
    for address, reason in outcome.failed.items():
        warn(f"  {address}: {reason}")
    raise SendError(f"{len(outcome.failed)} of {total} recipients did not get the message"
                    if outcome.sent else "the message was sent to nobody")


# -- the command --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Request:
    """What `pressexport send` was asked to do."""

    slug: str
    to: tuple[str, ...]
    bcc_file: Path | None
    server: Server
    dry_run: bool = False
    batch_size: int = BATCH_SIZE


def run(request: Request, options: BuildOptions, say: Say, warn: Say) -> None:
    """Check every address and the login, rebuild a stale .eml, then send it (or show the plan)."""
    addresses = recipients(request.to, request.bcc_file)
    credentials = Credentials.from_env()
    path = fresh_eml(options, request.slug, say)
    data = path.read_bytes()
    message = message_from_bytes(data, policy=policy.default)
    sender = envelope_sender(message, path)
    groups = batches(addresses, request.batch_size)  # what the plan shows is what is sent
    if request.dry_run:
        lines = ["dry run: nothing is sent", *message_lines(path, data, message),
                 *envelope_lines(request.server, credentials, sender, groups)]
        for line in lines:
            say(line)
        return
    say(f"sending {display_path(path)} through {request.server} ({request.server.mode})")
    outcome = send(lambda: redated(data, datetime.now(UTC)), sender, groups, request.server,
                   credentials, say, warn)
    report(outcome, len(addresses), say, warn)


def fresh_eml(options: BuildOptions, slug: str, say: Say) -> Path:
    """The release's .eml, brought up to date first by the (incremental) build: in out/SLUG/,
    or in embargoed/SLUG/ while the release is under embargo."""
    from dataclasses import replace

    from pressexport.build import build

    # A release that is gone is reported by the build's release selection (a usage error).
    report = build(replace(options, formats=("eml",), slugs=(slug,), site_outputs=False))
    if report.failures:
        raise SendError("build failed; nothing was sent:\n"
                        + "\n".join(f"  {f}" for f in report.failures))
    held = any(release.slug == slug for release in report.held_back)
    trees = options.trees
    path = (trees.embargoed if held else trees.out) / slug / f"{slug}.eml"
    if display_path(path) in report.written:
        say(f"built {display_path(path)} (it was missing or out of date)")
    return path


def redated(data: bytes, when: datetime) -> bytes:
    """The message with its Date header set to `when` (in the zone the header had), every other
    byte as it was: the Message-ID stays, and no mail leaves dated in the future or days ago."""
    head, sep, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    for i, line in enumerate(lines):
        if line[:5].lower() == b"date:":
            old = parsedate_to_datetime(line[5:].decode("ascii").strip())
            zone = old.tzinfo if old.tzinfo is not None else UTC
            lines[i] = b"Date: " + format_datetime(when.astimezone(zone)).encode("ascii")
            break
    else:
        lines.insert(0, b"Date: " + format_datetime(when).encode("ascii"))
    return b"\r\n".join(lines) + sep + body


def envelope_sender(message: EmailMessage, path: Path) -> str:
    """The From address of the message (read from `path`), as SMTP's MAIL FROM."""
    header = message["From"]
    if header is None or len(header.addresses) != 1:
        raise UsageError(f"{display_path(path)} has no single From address: set email.from in "
                         "site.yaml")
    try:
        return envelope_address(header.addresses[0].addr_spec)
    except ValueError as exc:
        raise UsageError(f"From of {display_path(path)}: {exc}") from None


def message_lines(path: Path, data: bytes, message: EmailMessage) -> list[str]:
    """The message for --dry-run: file, size, headers and attachments."""
    lines = [f"message {display_path(path)} ({len(data):,} bytes)"]
    lines += [f"  {name}: {message[name]}" for name in
              ("From", "Reply-To", "To", "Subject", "Date", "Message-ID") if message[name]]
    for part in message.iter_attachments():
        size = len(part.get_content())
        lines.append(f"  attached: {part.get_filename()} ({part.get_content_type()}, {size:,} "
                     "bytes)")
    return lines


def envelope_lines(server: Server, credentials: Credentials | None, sender: str,
                   groups: Sequence[Sequence[str]]) -> list[str]:
    """The connection and the envelope for --dry-run: server, login, sender, each batch."""
    login = f"log in as {credentials.user}" if credentials else f"no login ({ENV_USER} unset)"
    total = sum(len(g) for g in groups)
    lines = [f"server {server} ({server.mode}), {login}",
             f"envelope sender: {sender}",
             f"envelope recipients, in no header: {total} in {len(groups)} "
             f"batch{'es' if len(groups) > 1 else ''}"]
    for number, group in enumerate(groups, 1):
        lines += [f"  batch {number}: {address}" for address in group]
    return lines
