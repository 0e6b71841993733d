"""`serve` serves out/ and nothing else, and answers any request without a traceback (issue 13,
item 4). The handler and server run in this process, over loopback."""

from __future__ import annotations

import http.client
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pressexport.serve import _server

PAGE = b"<!doctype html><title>a page</title>"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder with a page, a feed, a folder without index, a temporary file and links
    (inside and out)."""
    out = tmp_path / "out"
    (out / "slug" / "media").mkdir(parents=True)
    (out / "slug" / "index.html").write_bytes(PAGE)
    (out / "atom.xml").write_text("<feed/>")
    (out / "slug" / ".slug.pdf.k3j9x0qa.tmp").write_bytes(b"%PDF half written")
    (out / ".hidden").mkdir()
    (out / ".hidden" / "index.html").write_bytes(PAGE)
    os.symlink("/etc/passwd", out / "passwd")
    os.symlink("/etc", out / "etc")
    os.symlink(out / "slug" / "index.html", out / "alias.html")  # stays inside out/
    return out


@pytest.fixture
def port(out: Path) -> Iterator[int]:
    """A quiet server over `out` on a free loopback port, stopped afterwards."""
    server = _server(out, 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def get(port: int, path: str) -> tuple[int, bytes]:
    """Status and body of GET `path` (sent as written, not re-quoted)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def raw(port: int, request: bytes) -> bytes:
    """What the server answers to the bytes `request`."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_published_files_are_served(port: int) -> None:
    assert get(port, "/slug/") == (200, PAGE)
    assert get(port, "/alias.html") == (200, PAGE)
    assert get(port, "/atom.xml")[0] == 200


@pytest.mark.parametrize("path", [
    "/passwd", "/etc/passwd", "/etc/",  # symbolic links leading outside out/
    "/slug/media/", "/",  # folders without index.html: no listing
    "/slug/.slug.pdf.k3j9x0qa.tmp", "/.hidden/", "/.hidden/index.html",  # temporary, hidden
    "/slug/%2e%2e/%2e%2e/etc/passwd", "/../../etc/passwd",  # traversal
])
def test_nothing_else_is_served(port: int, path: str) -> None:
    status, body = get(port, path)
    assert status == 404, body
    assert b"root:" not in body


@pytest.mark.parametrize("request_bytes", [
    b"GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /slug/%00index.html HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /\x1b[2J HTTP/1.1\r\nHost: x\r\n\r\n",
    b"\x00\xff garbage\r\n\r\n",
    b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
])
def test_malformed_requests_get_an_answer_not_a_traceback(
    port: int, request_bytes: bytes, capfd: pytest.CaptureFixture[str]
) -> None:
    answer = raw(port, request_bytes)
    # An error page (without a status line when the request has no HTTP version to answer in).
    assert b"Error response" in answer and b"200 OK" not in answer
    assert get(port, "/slug/") == (200, PAGE)  # still serving
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out
