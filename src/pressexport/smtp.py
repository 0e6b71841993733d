"""The SMTP session: TLS before any login, the message sent in batches, each refusal kept."""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pressexport.errors import PressexportError, UsageError

ENV_USER = "PRESSEXPORT_SMTP_USER"
ENV_PASSWORD = "PRESSEXPORT_SMTP_PASSWORD"
TIMEOUT = 60.0

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

@dataclass
class Outcome:
    """Who the server accepted the message for, and who did not get it and why."""

    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def connect(server: Server, credentials: Credentials | None, warn: Say,
            timeout: float = TIMEOUT) -> smtplib.SMTP:
    """An open, TLS-secured (unless no login and none offered), logged-in SMTP session."""
    try:
        smtp, secure = _open(server, timeout)
        try:
            _authenticate(smtp, server, credentials, secure, warn)
        except BaseException:
            smtp.close()
            raise
    except (SendError, KeyboardInterrupt):
        raise
    except Exception as exc:
        raise SendError(f"{_connect_failure(server, credentials, exc)}; nothing was sent") from exc
    return smtp


def _open(server: Server, timeout: float) -> tuple[smtplib.SMTP, bool]:
    """(session, whether it is encrypted): implicit TLS, or STARTTLS when offered or required."""
    context = ssl.create_default_context()
    if server.security == "ssl":
        return smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context), True
    smtp = smtplib.SMTP(server.host, server.port, timeout=timeout)
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
            groups: Sequence[Sequence[str]], say: Say) -> Outcome:
    """Send `message()` to each batch in turn, reporting per batch; stop when the message is
    refused."""
    outcome = Outcome()
    for number, batch in enumerate(groups, 1):
        failed, stop = _send_batch(smtp, sender, message(), batch)
        outcome.failed.update(failed)
        outcome.sent += [a for a in batch if a not in failed]
        say(f"batch {number}/{len(groups)}: accepted for {len(batch) - len(failed)} of "
            f"{len(batch)} recipients")
        if stop:
            for later in groups[number:]:
                outcome.failed.update(dict.fromkeys(later, f"not attempted: {stop}"))
            break
    return outcome


def _send_batch(smtp: smtplib.SMTP, sender: str, data: bytes,
                batch: Sequence[str]) -> tuple[dict[str, str], str]:
    """(refused address → reason, why to stop or "") for one SMTP transaction."""
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
        reason = f"the connection was lost ({exc})"
        return dict.fromkeys(batch, f"not confirmed: {reason}; it may or may not have arrived"), \
            reason
    return {address: _reason(code, message) for address, (code, message) in refused.items()}, ""


def _reason(code: int, message: bytes | str) -> str:
    """Why one recipient was refused."""
    return f"refused: {code} {_text(message)}".strip()


def send(message: Message, sender: str, groups: Sequence[Sequence[str]], server: Server,
         credentials: Credentials | None, say: Say, warn: Say) -> Outcome:
    """Connect, log in, send to each batch of `groups`, and quit; connection or login failures
    raise SendError."""
    smtp = connect(server, credentials, warn)
    try:
        return deliver(smtp, sender, message, groups, say)
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
