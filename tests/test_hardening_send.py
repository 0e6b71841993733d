"""`send` has a deadline for the whole SMTP conversation, not only for each read (issue 13,
item 5), and reads a --bcc-file one address a line, split on line ends only (item 7)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pressexport.send import read_list
from pressexport.smtp import SendError, Server, send

REPLIES = {"EHLO": "250 slow.example.org", "HELO": "250 slow.example.org", "MAIL": "250 OK",
           "RCPT": "250 OK", "DATA": "354 end with a dot", "RSET": "250 OK", "QUIT": "221 bye"}
PAUSE = 0.5  # seconds between two bytes of a trickled reply: each read is quick enough


def _converse(connection: socket.socket, slow: str, stop: threading.Event) -> None:
    """Play a plain SMTP server (no TLS, no login) that trickles its answer to `slow`."""
    def answer(reply: str, trickle: bool) -> None:
        data = reply.encode() + b"\r\n"
        for piece in (data[i:i + 1] for i in range(len(data))) if trickle else [data]:
            connection.sendall(piece)
            if trickle and stop.wait(PAUSE):
                return

    lines = connection.makefile("rb")
    answer("220 slow.example.org ESMTP", slow == "greeting")
    for line in lines:
        command = line.split(b" ")[0].strip().upper().decode()
        answer(REPLIES.get(command, "500 what?"), command == slow)
        if command == "DATA":
            while lines.readline() not in (b".\r\n", b""):
                pass
            answer("250 queued", slow == "message")


@pytest.fixture
def trickler(request: pytest.FixtureRequest) -> Iterator[int]:
    """The port of a loopback SMTP server that answers one command a byte at a time."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        connection, _ = listener.accept()
        # OSError: the client gave up and closed the connection.
        with connection, contextlib.suppress(OSError):
            _converse(connection, request.param, stop)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=30)


def _send(port: int, limit: float) -> object:
    lines: list[str] = []
    return send(lambda: b"Subject: x\r\n\r\nbody\r\n", "press@example.org", [["a@example.org"]],
                Server("127.0.0.1", port), None, lines.append, lines.append, limit=limit)


@pytest.mark.parametrize("trickler", ["greeting", "EHLO"], indirect=True)
def test_a_server_that_trickles_while_connecting_is_given_up(trickler: int) -> None:
    start = time.monotonic()
    with pytest.raises(SendError) as caught:
        _send(trickler, limit=1.5)
    assert time.monotonic() - start < 5
    assert str(caught.value) == (f"127.0.0.1:{trickler} took longer than 1.5 s for the whole "
                                 "conversation (it answers too slowly): gave up; nothing was "
                                 "sent")


@pytest.mark.parametrize("trickler", ["MAIL", "message"], indirect=True)
def test_a_server_that_trickles_while_sending_is_given_up(trickler: int) -> None:
    start = time.monotonic()
    outcome = _send(trickler, limit=1.5)
    assert time.monotonic() - start < 5
    assert outcome.sent == []  # type: ignore[attr-defined]
    assert outcome.failed == {  # type: ignore[attr-defined]
        "a@example.org": f"not confirmed: the connection was lost (127.0.0.1:{trickler} took "
                         "longer than 1.5 s for the whole conversation (it answers too slowly): "
                         "gave up); it may or may not have arrived"}


@pytest.mark.parametrize("trickler", ["none"], indirect=True)
def test_a_prompt_server_is_not_cut_short(trickler: int) -> None:
    outcome = _send(trickler, limit=1.5)
    assert outcome.sent == ["a@example.org"] and not outcome.failed  # type: ignore[attr-defined]


def test_a_list_is_split_on_line_ends_only(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("a@example.org\r\nb@exa\vmple.org\nc@exa\u2028mple.org\x85d@example.org\n"
                       "e@example.org\r", encoding="utf-8")
    assert [address for _, address in read_list(listing)] == [
        "a@example.org", "b@exa\vmple.org", "c@exa\u2028mple.org\x85d@example.org",
        "e@example.org"]
