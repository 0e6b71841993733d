"""The SMTP session: TLS before any login, the message sent in batches, each refusal kept."""

from __future__ import annotations

import contextlib
import os
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pressexport.errors import PressexportError, UsageError

ENV_USER = "PRESSEXPORT_SMTP_USER"
ENV_PASSWORD = "PRESSEXPORT_SMTP_PASSWORD"
TIMEOUT = 60.0  # for each read and write
#: The whole conversation may last this long (connecting, TLS, login), plus BATCH_SECONDS for each
#: batch: a server answering a byte at a time, each within TIMEOUT, must not keep `send` forever.
#: Generous: a batch sends the message (some MB) once and names up to 50 recipients.
SESSION_SECONDS = 120.0
BATCH_SECONDS = 120.0

Security = Literal["auto", "starttls", "ssl"]
Say = Callable[[str], None]


class SendError(PressexportError):
    """Sending failed, or only part of the list got the message."""

    exit_status = 1


@dataclass(frozen=True)
class Server:
    """Where to send, and how the connection must be secured."""

    host: str
    port: int
    security: Security = "auto"

    @classmethod
    def parse(cls, value: str, security: Security) -> Server:
        """`HOST`, `HOST:PORT` or `[IPv6]:PORT`; the port defaults to 465 with --ssl, else 587."""
        host, port = value, ""
        if value.startswith("["):
            host, _, rest = value[1:].partition("]")
            port = rest.removeprefix(":")
        elif value.count(":") == 1:
            host, _, port = value.partition(":")
        if not host or (port and not port.isdigit()):
            raise UsageError(f"--smtp '{value}' is not HOST:PORT (such as smtp.example.org:587)")
        return cls(host, int(port) if port else (465 if security == "ssl" else 587), security)

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def mode(self) -> str:
        """How the connection is secured, in words."""
        return {"auto": "STARTTLS when offered", "starttls": "STARTTLS required",
                "ssl": "implicit TLS"}[self.security]


@dataclass(frozen=True)
class Credentials:
    """The SMTP login, from the environment only."""

    user: str
    password: str = field(repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Credentials | None:
        """Both variables, or neither (a relay that needs no login); one alone is an error."""
        user, password = environ.get(ENV_USER, ""), environ.get(ENV_PASSWORD, "")
        if bool(user) != bool(password):
            missing = ENV_PASSWORD if user else ENV_USER
            raise UsageError(f"{missing} is not set: set both {ENV_USER} and {ENV_PASSWORD}, "
                             "or neither for a server that needs no login")
        return cls(user, password) if user else None


# -- the SMTP session ---------------------------------------------------------------------------

class Deadline:
    """A limit on a whole SMTP conversation: once it has passed, a watchdog thread shuts the
    session's socket, so that whatever read or write it is blocked in fails at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sessions: list[smtplib.SMTP] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="smtp-deadline", daemon=True)

    def __enter__(self) -> Deadline:
        self._end = time.monotonic() + self.seconds
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def open(self, kind: type[smtplib.SMTP], *args: object, **kwargs: object) -> smtplib.SMTP:
        """`kind(*args, **kwargs)`, watched from before it connects (the greeting counts)."""
        smtp = kind.__new__(kind)
        self._sessions.append(smtp)
        kind.__init__(smtp, *args, **kwargs)  # type: ignore[misc]
        return smtp

    def _watch(self) -> None:
        # Polled, not timed once: a socket still being made when the time is up is shut too.
        while not self._done.wait(min(0.2, max(self._end - time.monotonic(), 0.01))):
            if time.monotonic() < self._end:
                continue
            self.expired = True
            for smtp in self._sessions:
                if smtp.sock is not None:
                    # socket.socket's own shutdown, even for TLS: it wakes the blocked read
                    # without touching the TLS state another thread is using.
                    with contextlib.suppress(OSError):
                        socket.socket.shutdown(smtp.sock, socket.SHUT_RDWR)

    def failure(self, server: Server) -> str:
        """What happened, in words."""
        return f"{server} took longer than {self.seconds:g} s for the whole conversation " \
               "(it answers too slowly): gave up"


def conversation_limit(groups: Sequence[Sequence[str]]) -> float:
    """How long sending to `groups` may take, in seconds."""
    return SESSION_SECONDS + BATCH_SECONDS * len(groups)

@dataclass
class Outcome:
    """Who the server accepted the message for, and who did not get it and why."""

    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def connect(server: Server, credentials: Credentials | None, warn: Say, deadline: Deadline,
            timeout: float = TIMEOUT) -> smtplib.SMTP:
    """An open, TLS-secured (unless no login and none offered), logged-in SMTP session, watched
    by `deadline`."""
    try:
        smtp, secure = _open(server, timeout, deadline)
        try:
            _authenticate(smtp, server, credentials, secure, warn)
            if deadline.expired:  # a reply cut short may have looked like a good one
                raise smtplib.SMTPServerDisconnected("the deadline has passed")
        except BaseException:
            smtp.close()
            raise
    except (SendError, KeyboardInterrupt):
        raise
    except Exception as exc:
        failure = deadline.failure(server) if deadline.expired else \
            _connect_failure(server, credentials, exc)
        raise SendError(f"{failure}; nothing was sent") from exc
    return smtp


def _open(server: Server, timeout: float, deadline: Deadline) -> tuple[smtplib.SMTP, bool]:
    """(session, whether it is encrypted): implicit TLS, or STARTTLS when offered or required."""
    context = ssl.create_default_context()
    if server.security == "ssl":
        return deadline.open(smtplib.SMTP_SSL, server.host, server.port, timeout=timeout,
                             context=context), True
    smtp = deadline.open(smtplib.SMTP, server.host, server.port, timeout=timeout)
    try:
        smtp.ehlo()
        secure = smtp.has_extn("starttls")
        if secure:
            smtp.starttls(context=context)
            smtp.ehlo()
        elif server.security == "starttls":
            raise SendError(f"{server} does not offer STARTTLS, which --starttls requires; "
                            "nothing was sent")
    except BaseException:
        smtp.close()
        raise
    return smtp, secure


def _authenticate(smtp: smtplib.SMTP, server: Server, credentials: Credentials | None,
                  secure: bool, warn: Say) -> None:
    """Log in, never over a plain connection; without a login, warn that it is plain."""
    if credentials is None:
        if not secure:
            warn(f"warning: the connection to {server} is not encrypted (no STARTTLS offered)")
    elif not secure:
        raise SendError(
            f"refusing to send the login for {credentials.user} over an unencrypted "
            f"connection: {server} does not offer STARTTLS. Use --ssl for a server with "
            f"implicit TLS (usually port 465), or unset {ENV_USER} and {ENV_PASSWORD} for a "
            "relay that needs no login; nothing was sent")
    else:
        _login(smtp, credentials)


def _login(smtp: smtplib.SMTP, credentials: Credentials) -> None:
    """One attempt, PLAIN or LOGIN (safe inside TLS): smtplib's login() would try every offered
    mechanism in turn, and each refusal counts towards the account's lockout."""
    offered = smtp.esmtp_features.get("auth", "").upper().split()
    mechanism = next((m for m in ("PLAIN", "LOGIN") if m in offered), None)
    if mechanism is None:
        smtp.login(credentials.user, credentials.password)
        return
    smtp.user, smtp.password = credentials.user, credentials.password
    smtp.auth(mechanism, getattr(smtp, f"auth_{mechanism.lower()}"))


def _connect_failure(server: Server, credentials: Credentials | None, exc: Exception) -> str:
    """What went wrong while connecting or logging in, in words."""
    # SMTPException and SSLError are OSErrors: the specific cases come first.
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        user = credentials.user if credentials else "?"
        return f"{server} refused the login for {user}: {_reply(exc)}"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"{server} does not offer a login (SMTP AUTH) on this connection: {exc}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"the TLS certificate of {server} is not trusted: {exc.verify_message}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS with {server} failed: {exc.reason or exc}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{server} answered {_reply(exc)}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"{server} closed the connection: {exc}"
    if isinstance(exc, OSError):
        return f"cannot connect to {server}: {exc.strerror or exc}"
    return f"cannot connect to {server}: {type(exc).__name__}: {exc}"


def _reply(exc: smtplib.SMTPResponseException) -> str:
    """The server's answer as `CODE text`."""
    return f"{exc.smtp_code} {_text(exc.smtp_error)}".strip()


def _text(message: bytes | str) -> str:
    """A server's reply text: smtplib gives bytes (as the server sent them) or str."""
    return message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)


#: The message's bytes as it leaves: `send` dates it at that moment.
Message = Callable[[], bytes]


def deliver(smtp: smtplib.SMTP, sender: str, message: Message,
            groups: Sequence[Sequence[str]], say: Say,
            lost: Callable[[], str | None] = lambda: None) -> Outcome:
    """Send `message()` to each batch in turn, reporting per batch; stop when the message is
    refused. `lost` says why a connection was lost, when something else than the server knows."""
    outcome = Outcome()
    for number, batch in enumerate(groups, 1):
        failed, stop = _send_batch(smtp, sender, message(), batch, lost)
        outcome.failed.update(failed)
        outcome.sent += [a for a in batch if a not in failed]
        say(f"batch {number}/{len(groups)}: accepted for {len(batch) - len(failed)} of "
            f"{len(batch)} recipients")
        if stop:
            for later in groups[number:]:
                outcome.failed.update(dict.fromkeys(later, f"not attempted: {stop}"))
            break
    return outcome


def _send_batch(smtp: smtplib.SMTP, sender: str, data: bytes, batch: Sequence[str],
                lost: Callable[[], str | None]) -> tuple[dict[str, str], str]:
    """(refused address → reason, why to stop or "") for one SMTP transaction."""
    failed, stop = _transaction(smtp, sender, data, batch)
    # A connection cut short may have ended a reply in the middle ('25' of '250 queued'):
    # whatever smtplib made of it, the outcome is unknown.
    cut = lost()
    return (_not_confirmed(batch, cut), cut) if cut else (failed, stop)


def _not_confirmed(batch: Sequence[str], why: str) -> dict[str, str]:
    return dict.fromkeys(batch, f"not confirmed: the connection was lost ({why}); it may or may "
                                "not have arrived")


def _transaction(smtp: smtplib.SMTP, sender: str, data: bytes,
                 batch: Sequence[str]) -> tuple[dict[str, str], str]:
    """(refused address → reason, why to stop or "") as the server answered."""
    options = [] if sender.isascii() and all(a.isascii() for a in batch) else ["SMTPUTF8"]
    try:
        refused = smtp.sendmail(sender, list(batch), data, mail_options=options)
    except smtplib.SMTPRecipientsRefused as exc:
        refused = exc.recipients
    except smtplib.SMTPNotSupportedError:
        return dict.fromkeys(batch, "the server does not accept internationalized addresses "
                                    "(SMTPUTF8)"), ""
    except smtplib.SMTPSenderRefused as exc:
        reason = f"the server refused the sender {sender}: {_reply(exc)}"
        return dict.fromkeys(batch, reason), reason
    except smtplib.SMTPResponseException as exc:
        reason = f"the server refused the message: {_reply(exc)}"
        return dict.fromkeys(batch, reason), reason
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        return _not_confirmed(batch, str(exc)), f"the connection was lost ({exc})"
    return {address: _reason(code, message) for address, (code, message) in refused.items()}, ""


def _reason(code: int, message: bytes | str) -> str:
    """Why one recipient was refused."""
    return f"refused: {code} {_text(message)}".strip()


def send(message: Message, sender: str, groups: Sequence[Sequence[str]], server: Server,
         credentials: Credentials | None, say: Say, warn: Say,
         limit: float | None = None) -> Outcome:
    """Connect, log in, send to each batch of `groups`, and quit, all within `limit` seconds
    (default: conversation_limit); connection or login failures raise SendError."""
    with Deadline(limit or conversation_limit(groups)) as deadline:
        smtp = connect(server, credentials, warn, deadline)
        try:
            return deliver(smtp, sender, message, groups, say,
                           lambda: deadline.failure(server) if deadline.expired else None)
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
