"""`pressexport send` against a real SMTP server on loopback (aiosmtpd), TLS with a test cert."""

from __future__ import annotations

import os
import shutil
import smtplib
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from conftest import SEED_SLUG, Run, built_sample
from pressexport.envelope import batches
from pressexport.errors import UsageError
from pressexport.send import read_list, recipients
from pressexport.smtp import Server

USER, PASSWORD = "press", "s3cret pass"
LOGIN = {"PRESSEXPORT_SMTP_USER": USER, "PRESSEXPORT_SMTP_PASSWORD": PASSWORD}
NO_LOGIN = {"PRESSEXPORT_SMTP_USER": "", "PRESSEXPORT_SMTP_PASSWORD": ""}
SENDER = "press@newsroom.example.org"


# -- a real SMTP server on loopback ---------------------------------------------------------------

@dataclass
class Received:
    """One SMTP transaction as the server saw it."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    tls: bool
    authenticated: bool


@dataclass
class Recorder:
    """An aiosmtpd handler: refuses the addresses in `refuse` with 550, records the rest."""

    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    accept_login: bool = True

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                      envelope.original_content,
                                      server.transport.get_extra_info("ssl_object") is not None,
                                      bool(session.authenticated)))
        return "250 2.0.0 accepted"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                     auth_data: Any) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        ok = self.accept_login and (auth_data.login.decode(), auth_data.password.decode()) == (
            USER, PASSWORD)
        return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 535


def free_port() -> int:
    """A loopback port nobody listens on (closed again at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (made with the cryptography package)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(
            ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    crt, key_file = folder / "cert.pem", folder / "key.pem"
    crt.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return crt, key_file


@pytest.fixture
def server_tls(cert: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*cert)
    return context


StartServer = Callable[..., tuple[int, Recorder]]


@pytest.fixture
def smtp_server() -> Iterator[StartServer]:
    """start(**aiosmtpd options) → (port, recorder); stopped after the test."""
    controllers: list[Controller] = []

    def start(refuse: set[str] | None = None, accept_login: bool = True,
              **options: Any) -> tuple[int, Recorder]:
        recorder = Recorder(refuse or set(), accept_login=accept_login)
        for attempt in range(5):  # another test process may take the free port first
            port = free_port()
            controller = Controller(recorder, hostname="127.0.0.1", port=port,
                                    authenticator=recorder.authenticate, **options)
            try:
                controller.start()
            except OSError:
                if attempt == 4:
                    raise
                continue
            controllers.append(controller)
            return port, recorder
        raise AssertionError("unreachable")

    yield start
    for controller in controllers:
        controller.stop()


# -- a workspace whose .eml is built -------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with out/SLUG/SLUG.eml (and the text, page, PDF and DOCX) freshly built."""
    return built_sample(tmp_path_factory.mktemp("built"), "email", SEED_SLUG)


@pytest.fixture
def ws(built: Path, tmp_path: Path) -> Path:
    """A copy of the built workspace (modification times kept, so the .eml stays fresh)."""
    return Path(shutil.copytree(built, tmp_path / "ws"))


def out_file(ws: Path, suffix: str) -> Path:
    return ws / "out" / SEED_SLUG / f"{SEED_SLUG}.{suffix}"


Send = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def send(run: Run, ws: Path, cert: tuple[Path, Path]) -> Send:
    """Run `pressexport send SLUG ARGS` in the workspace, trusting the test certificate."""

    def _send(*args: str, env: Mapping[str, str] = NO_LOGIN) -> subprocess.CompletedProcess[str]:
        return run(ws, "send", SEED_SLUG, *args,
                   env={"SSL_CERT_FILE": str(cert[0]), **env})

    return _send


def at(port: int) -> str:
    return f"127.0.0.1:{port}"


# -- sending ---------------------------------------------------------------------------------------

def test_sends_over_starttls_with_login_to_envelope_recipients_only(
        ws: Path, send: Send, smtp_server: StartServer, server_tls: ssl.SSLContext) -> None:
    port, server = smtp_server(tls_context=server_tls, require_starttls=True)
    listing = ws / "journalists.txt"
    listing.write_text("# Asia desk\nalice@example.com\n\nbob@example.org  # business desk\n"
                       "   # left the paper\ncarol@example.net\n", encoding="utf-8")
    result = send("--to", "carol@example.net", "--to", "dan@example.com", "--bcc-file",
                  str(listing), "--smtp", at(port), env=LOGIN)
    assert result.returncode == 0, result.stderr
    assert "sent to 4 recipients" in result.stdout
    [got] = server.received
    assert (got.tls, got.authenticated, got.mail_from) == (True, True, SENDER)
    assert got.rcpt_tos == ["carol@example.net", "dan@example.com", "alice@example.com",
                            "bob@example.org"]
    assert server.logins == [(USER, PASSWORD)]
    eml = out_file(ws, "eml").read_bytes()
    # Dated as it left (not at the release's date), every other byte as built: same Message-ID.
    sent, built = (message_from_bytes(d, policy=policy.default) for d in (got.data, eml))
    assert sent["Message-ID"] == built["Message-ID"]
    assert abs(sent["Date"].datetime - datetime.now(UTC)) < timedelta(minutes=5)
    assert built["Date"].datetime.year == 2017
    assert got.data.replace(sent["Date"].encode(), b"") == eml.replace(built["Date"].encode(), b"")
    for address in got.rcpt_tos:
        assert address.encode() not in got.data  # in the envelope only, in no header
    message = message_from_bytes(got.data, policy=policy.default)
    assert message["To"] == "undisclosed-recipients:;" and "Bcc" not in message
    assert [p.get_content_type() for p in message.get_payload()[0].iter_parts()] == [
        "text/plain", "text/html"]
    attached = {p.get_filename(): p.get_content() for p in message.iter_attachments()}
    assert attached == {f"{SEED_SLUG}.pdf": out_file(ws, "pdf").read_bytes(),
                        f"{SEED_SLUG}.docx": out_file(ws, "docx").read_bytes()}


def test_implicit_tls_with_ssl(send: Send, smtp_server: StartServer,
                               server_tls: ssl.SSLContext) -> None:
    # aiosmtpd counts only STARTTLS as TLS for its AUTH rule; this connection is TLS from the start
    port, server = smtp_server(ssl_context=server_tls, auth_require_tls=False)
    result = send("--to", "alice@example.com", "--smtp", at(port), "--ssl", env=LOGIN)
    assert result.returncode == 0, result.stderr
    assert [(r.tls, r.authenticated, r.rcpt_tos) for r in server.received] == [
        (True, True, ["alice@example.com"])]


def test_long_lists_go_in_batches_each_reported(send: Send, smtp_server: StartServer) -> None:
    port, server = smtp_server()
    addresses = [f"reporter{n}@example.com" for n in range(5)]
    args = [arg for address in addresses for arg in ("--to", address)]
    result = send(*args, "--smtp", at(port), "--batch-size", "2")
    assert result.returncode == 0, result.stderr
    assert [r.rcpt_tos for r in server.received] == [addresses[:2], addresses[2:4], addresses[4:]]
    assert "batch 1/3: accepted for 2 of 2 recipients" in result.stdout
    assert "batch 3/3: accepted for 1 of 1 recipients" in result.stdout


def test_refused_recipients_are_reported_exactly(send: Send, smtp_server: StartServer) -> None:
    gone = {"gone1@example.com", "gone2@example.com", "gone3@example.com"}
    port, server = smtp_server(refuse=gone)
    order = ["ok1@example.com", "gone1@example.com", "gone2@example.com", "gone3@example.com",
             "ok2@example.com"]
    args = [arg for address in order for arg in ("--to", address)]
    result = send(*args, "--smtp", at(port), "--batch-size", "2")
    assert result.returncode == 1
    assert [r.rcpt_tos for r in server.received] == [["ok1@example.com"], ["ok2@example.com"]]
    assert "accepted by the server for 2 of 5 recipients:\n  ok1@example.com\n  ok2@example.com" \
        in result.stdout
    assert "NOT sent to 3 of 5 recipients:" in result.stderr
    for address in gone:
        assert f"  {address}: refused: 550 5.1.1 <{address}>: mailbox unavailable" \
            in result.stderr
    assert "batch 2/3: accepted for 0 of 2 recipients" in result.stdout
    assert result.stderr.rstrip().endswith("3 of 5 recipients did not get the message")


def test_refused_connection(send: Send) -> None:
    port = free_port()
    result = send("--to", "alice@example.com", "--smtp", at(port))
    assert result.returncode == 1
    assert f"cannot connect to 127.0.0.1:{port}: Connection refused; nothing was sent" \
        in result.stderr
    assert "Traceback" not in result.stderr


def test_refused_login(send: Send, smtp_server: StartServer,
                       server_tls: ssl.SSLContext) -> None:
    port, server = smtp_server(tls_context=server_tls, accept_login=False)
    result = send("--to", "alice@example.com", "--smtp", at(port), env=LOGIN)
    assert result.returncode == 1
    assert f"127.0.0.1:{port} refused the login for {USER}: 535" in result.stderr
    assert "nothing was sent" in result.stderr
    assert server.logins == [(USER, PASSWORD)] and server.received == []


def test_no_login_over_a_plain_connection(send: Send, smtp_server: StartServer) -> None:
    port, server = smtp_server(auth_require_tls=False)
    with smtplib.SMTP("127.0.0.1", port) as probe:  # the server would take a plaintext login
        probe.ehlo()
        assert probe.has_extn("auth") and not probe.has_extn("starttls")
    result = send("--to", "alice@example.com", "--smtp", at(port), env=LOGIN)
    assert result.returncode == 1
    assert "refusing to send the login for press over an unencrypted connection" in result.stderr
    assert server.logins == [] and server.received == []
    assert PASSWORD not in result.stdout + result.stderr


def test_a_relay_without_login_may_be_plain_but_says_so(send: Send,
                                                        smtp_server: StartServer) -> None:
    port, server = smtp_server()
    result = send("--to", "alice@example.com", "--smtp", at(port))
    assert result.returncode == 0, result.stderr
    assert f"warning: the connection to 127.0.0.1:{port} is not encrypted" in result.stderr
    assert [r.tls for r in server.received] == [False]


def test_starttls_flag_requires_starttls(send: Send, smtp_server: StartServer) -> None:
    port, server = smtp_server()
    result = send("--to", "alice@example.com", "--smtp", at(port), "--starttls")
    assert result.returncode == 1
    assert "does not offer STARTTLS, which --starttls requires; nothing was sent" in result.stderr
    assert server.received == []


def test_an_untrusted_certificate_stops_before_the_login(
        run: Run, ws: Path, smtp_server: StartServer, server_tls: ssl.SSLContext) -> None:
    port, server = smtp_server(tls_context=server_tls)
    result = run(ws, "send", SEED_SLUG, "--to", "alice@example.com", "--smtp", at(port),
                 env=LOGIN)  # the test certificate is not trusted here
    assert result.returncode == 1
    assert f"the TLS certificate of 127.0.0.1:{port} is not trusted" in result.stderr
    assert server.logins == [] and server.received == []


def test_internationalized_addresses(send: Send, smtp_server: StartServer) -> None:
    port, server = smtp_server(enable_SMTPUTF8=True)
    result = send("--to", "记者@例子.中国", "--to", "desk@例子.中国", "--smtp", at(port))
    assert result.returncode == 0, result.stderr
    assert [r.rcpt_tos for r in server.received] == [["desk@xn--fsqu00a.xn--fiqs8s"],
                                                     ["记者@例子.中国"]]


# -- nothing is sent -------------------------------------------------------------------------------

def test_dry_run_shows_who_would_get_what_and_sends_nothing(ws: Path, send: Send) -> None:
    before = out_file(ws, "eml").stat().st_mtime_ns
    port = free_port()  # nothing listens: a connection attempt would fail
    result = send("--to", "alice@example.com", "--to", "bob@example.org", "--smtp", at(port),
                  "--dry-run", "--batch-size", "1", env=LOGIN)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "dry run: nothing is sent"
    assert "  To: undisclosed-recipients:;" in lines
    assert f"  attached: {SEED_SLUG}.pdf (application/pdf, " \
           f"{out_file(ws, 'pdf').stat().st_size:,} bytes)" in lines
    assert f"server 127.0.0.1:{port} (STARTTLS when offered), log in as {USER}" in lines
    assert f"envelope sender: {SENDER}" in lines
    assert lines[-2:] == ["  batch 1: alice@example.com", "  batch 2: bob@example.org"]
    assert out_file(ws, "eml").stat().st_mtime_ns == before


def test_bad_addresses_are_all_reported_before_anything_is_sent(
        ws: Path, send: Send, smtp_server: StartServer) -> None:
    port, server = smtp_server()
    listing = ws / "list.txt"
    listing.write_text("ok@example.com\nbad@\n# fine\nno-dot@localhost\n", encoding="utf-8")
    result = send("--to", "not-an-address", "--to", "fine@example.com", "--bcc-file",
                  str(listing), "--smtp", at(port))
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert errors[0] == "invalid recipient addresses; nothing was sent:"
    assert errors[1].startswith("  --to: 'not-an-address' is not a valid address: ")
    assert errors[2].startswith("  list.txt:2: 'bad@' is not a valid address: ")
    assert errors[3].startswith("  list.txt:4: 'no-dot@localhost' is not a valid address: ")
    assert len(errors) == 4
    assert server.received == []


def test_login_needs_both_variables(send: Send) -> None:
    result = send("--to", "a@example.com", "--smtp", at(free_port()),
                  env={"PRESSEXPORT_SMTP_USER": USER, "PRESSEXPORT_SMTP_PASSWORD": ""})
    assert result.returncode == 2
    assert "PRESSEXPORT_SMTP_PASSWORD is not set" in result.stderr


def test_usage_errors(send: Send) -> None:
    both = send("--to", "a@example.com", "--smtp", "localhost", "--ssl", "--starttls")
    assert both.returncode == 2 and "--starttls and --ssl exclude each other" in both.stderr
    nobody = send("--smtp", "localhost", "--dry-run")
    assert nobody.returncode == 2 and "no recipients" in nobody.stderr
    bad = send("--to", "a@example.com", "--smtp", "host:port")
    assert bad.returncode == 2 and "is not HOST:PORT" in bad.stderr


def test_an_unknown_or_deleted_release_is_a_usage_error(run: Run, ws: Path) -> None:
    unknown = run(ws, "send", "no-such-release", "--to", "a@example.com", "--smtp", "localhost",
                  "--dry-run", env=NO_LOGIN)
    assert unknown.returncode == 2
    assert "no release called no-such-release in source/releases/" in unknown.stderr
    (ws / "source" / "releases" / f"{SEED_SLUG}.yaml").unlink()  # its .eml is still in out/
    deleted = run(ws, "send", SEED_SLUG, "--to", "a@example.com", "--smtp", "localhost",
                  "--dry-run", env=NO_LOGIN)
    assert deleted.returncode == 2 and "dry run" not in deleted.stdout
    assert f"no release called {SEED_SLUG} in source/releases/" in deleted.stderr


# -- a stale or missing .eml is rebuilt first ---------------------------------------------------

def test_a_stale_eml_is_rebuilt_before_sending(ws: Path, send: Send) -> None:
    source = ws / "source" / "releases" / f"{SEED_SLUG}.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "Organize International Migration Law", "Organize International Migration Law (updated)"),
        encoding="utf-8")
    stamp = out_file(ws, "eml").stat().st_mtime + 10
    os.utime(source, (stamp, stamp))
    result = send("--to", "a@example.com", "--smtp", at(free_port()), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert f"built out/{SEED_SLUG}/{SEED_SLUG}.eml (it was missing or out of date)" \
        in result.stdout
    assert "(updated)" in message_from_bytes(out_file(ws, "eml").read_bytes(),
                                             policy=policy.default)["Subject"]
    out_file(ws, "eml").unlink()
    again = send("--to", "a@example.com", "--smtp", at(free_port()), "--dry-run")
    assert again.returncode == 0 and "built out/" in again.stdout
    assert out_file(ws, "eml").is_file()


# -- the parts, in-process ------------------------------------------------------------------------

def test_server_option_forms() -> None:
    assert Server.parse("smtp.example.org", "auto") == Server("smtp.example.org", 587, "auto")
    assert Server.parse("smtp.example.org", "ssl").port == 465
    assert Server.parse("mail:25", "starttls") == Server("mail", 25, "starttls")
    assert str(Server.parse("[::1]:2525", "auto")) == "[::1]:2525"
    with pytest.raises(UsageError):
        Server.parse("mail:smtp", "auto")


def test_lists_keep_hashes_inside_addresses_and_drop_duplicates(tmp_path: Path) -> None:
    listing = tmp_path / "l.txt"
    listing.write_text("\ufeffa#b@example.com # note\n# x@example.com\nA@Example.COM\n"
                       "Dan <dan@example.com>\n", encoding="utf-8")
    assert [a for _, a in read_list(listing)] == ["a#b@example.com", "A@Example.COM",
                                                  "Dan <dan@example.com>"]
    assert recipients(("dan@example.com", "A@example.com"), listing) == [
        "dan@example.com", "A@example.com", "a#b@example.com"]


def test_utf8_mailboxes_get_batches_of_their_own() -> None:
    assert batches(["a@x.org", "记者@例子.中国", "b@x.org", "c@x.org"], 2) == [
        ["a@x.org", "b@x.org"], ["c@x.org"], ["记者@例子.中国"]]
