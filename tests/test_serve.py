"""`pressexport serve`: answers on loopback, rebuilds when a release changes, stops on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import feedparser
import pytest

from conftest import SEED_SLUG, assert_no_traceback

T = TypeVar("T")
TIMEOUT = 90  # seconds; a rebuild renders every format of the sample


@dataclass
class Server:
    """A running `pressexport serve` process and where it listens."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def get(self, path: str) -> tuple[bytes, str]:
        """The body and Content-Type of http://127.0.0.1:PORT/path."""
        url = f"http://127.0.0.1:{self.port}/{path}"
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read(), response.headers["Content-Type"]


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check: Callable[[], T | None], what: str, server: Server) -> T:
    """Poll `check` until it returns a value, for at most TIMEOUT seconds."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert server.process.poll() is None, server.log.read_text()
        try:
            value = check()
        except (urllib.error.URLError, ConnectionError):
            value = None
        if value is not None:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; log:\n{server.log.read_text()}")


def stopped(server: Server, timeout: float = 30) -> int:
    """The server's exit status once it stopped; one still running after `timeout` seconds
    is made to print every thread's stack (SIGABRT, with faulthandler on) and the test fails
    with its log."""
    try:
        return server.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.process.send_signal(signal.SIGABRT)
        server.process.wait(timeout=10)
        raise AssertionError(f"serve did not stop; log:\n{server.log.read_text()}") from None


@pytest.fixture
def server(workspace: Path) -> Iterator[Server]:
    """`pressexport serve` on a free port in the workspace copy; always killed afterwards."""
    with serving(workspace) as running:
        yield running


@contextmanager
def serving(workspace: Path) -> Iterator[Server]:
    """Run `pressexport serve` in `workspace` for the duration."""
    port = free_port()
    log = workspace / "serve.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "pressexport", "serve", "--port", str(port)],
            cwd=workspace, stdout=handle, stderr=subprocess.STDOUT,
            # faulthandler: a server that hangs is made to print where (see stopped).
            env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"},
        )
    try:
        yield Server(process, port, log)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
    assert_no_traceback(log.read_text())


def test_serve_answers_feeds_and_rebuilds_when_a_release_changes(
        server: Server, seed_yaml: Path) -> None:
    atom, content_type = wait_for(lambda: server.get("atom.xml"), "atom.xml", server)
    assert content_type == "application/atom+xml"
    assert feedparser.parse(atom).entries[0].link.endswith(f"/{SEED_SLUG}/")
    rss, content_type = server.get("rss.xml")
    assert content_type == "application/rss+xml"
    assert feedparser.parse(rss).version == "rss20"
    assert b'href="atom.xml"' in server.get("index.html")[0]
    assert f"http://127.0.0.1:{server.port}/" in server.log.read_text()

    original = seed_yaml.read_text(encoding="utf-8")
    seed_yaml.write_text(original + "summary: Edited while serving.\n", encoding="utf-8")
    wait_for(lambda: b"Edited while serving." in server.get("atom.xml")[0] or None,
             "the edited summary in atom.xml", server)

    # A broken edit is reported; the last good feed stays served until the next good edit.
    seed_yaml.write_text(original + "headine: typo\n", encoding="utf-8")
    wait_for(lambda: "did you mean 'headline'" in server.log.read_text() or None,
             "the error report", server)
    assert b"Edited while serving." in server.get("atom.xml")[0]
    seed_yaml.write_text(original + "summary: Fixed again.\n", encoding="utf-8")
    wait_for(lambda: b"Fixed again." in server.get("atom.xml")[0] or None,
             "the rebuilt feed", server)

    server.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
    assert stopped(server) == 0, server.log.read_text()
    assert "Stopped." in server.log.read_text()
    with pytest.raises(urllib.error.URLError):
        server.get("atom.xml")


def test_serve_refuses_a_port_in_use(workspace: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "pressexport", "serve", "-q", "--port", str(port)],
            cwd=workspace, capture_output=True, text=True, timeout=TIMEOUT,
        )
    assert result.returncode == 2
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr
    assert_no_traceback(result.stderr)


def test_an_edit_is_served_within_seconds_and_an_embargo_publishes_on_time(
        workspace: Path, seed_yaml: Path) -> None:
    # Held back for a few seconds from now: published by the server's timer, with no edit.
    embargo = datetime.now(UTC) + timedelta(seconds=6)
    seed_yaml.write_text(seed_yaml.read_text(encoding="utf-8")
                         + f"embargo: {embargo.isoformat(timespec='seconds')}\n",
                         encoding="utf-8")
    with serving(workspace) as server:
        atom = wait_for(lambda: server.get("atom.xml")[0], "atom.xml", server)
        assert feedparser.parse(atom).entries == []
        assert not (workspace / "out" / SEED_SLUG).exists()
        assert (workspace / "embargoed" / SEED_SLUG / f"{SEED_SLUG}.pdf").is_file()
        entries = wait_for(lambda: feedparser.parse(server.get("atom.xml")[0]).entries or None,
                           "the release published when its embargo passed", server)
        late = (datetime.now(UTC) - embargo).total_seconds()
        assert late < 5, late  # a timer for the instant, not a periodic poll
        assert entries[0].link.endswith(f"/{SEED_SLUG}/")
        page, _ = server.get(f"{SEED_SLUG}/index.html")
        assert b"EMBARGOED" not in page
        assert not (workspace / "embargoed" / SEED_SLUG).exists()

        started = time.monotonic()
        seed_yaml.write_text(seed_yaml.read_text(encoding="utf-8").replace(
            "Liu Liu.", "Liu Liu (served)."), encoding="utf-8")
        wait_for(lambda: (b"Liu Liu (served)." in server.get(f"{SEED_SLUG}/index.html")[0]
                 and b"Liu Liu (served)." in server.get("atom.xml")[0]) or None,
                 "the edit on the page and in the feed", server)
        assert time.monotonic() - started < 10
