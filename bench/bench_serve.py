"""Seconds from saving an edit of the sample release to seeing it served, on its page and in
atom.xml, by `pressexport serve` (issue 9: within a second).

    .venv/bin/python bench/bench_serve.py            # five edits, one after another

The time includes the watcher's debounce (400 ms) and the incremental rebuild.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRESSEXPORT = Path(sys.executable).with_name("pressexport")


def free_port() -> int:
    """A TCP port free on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str) -> bytes:
    """The served file, or nothing while the server cannot answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as answer:
            return answer.read()
    except (urllib.error.URLError, OSError):
        return b""


def served_within(port: int, slug: str, marker: bytes) -> float:
    """Seconds until `marker` is on the release's page and in atom.xml."""
    start = time.monotonic()
    while not (marker in fetch(port, f"{slug}/index.html") and marker in fetch(port, "atom.xml")):
        time.sleep(0.02)
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        workspace = Path(temp)
        shutil.copytree(ROOT / "source", workspace / "source")
        release = next((workspace / "source" / "releases").glob("*.yaml"))
        port = free_port()
        server = subprocess.Popen([str(PRESSEXPORT), "serve", "--port", str(port)], cwd=workspace,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while b"<feed" not in fetch(port, "atom.xml"):
                time.sleep(0.1)
            time.sleep(2)  # the first build's leftovers (the writers' import) settle
            previous = "Liu Liu."
            for n in range(options.edits):
                marker = f"Liu Liu (edit {n})."
                release.write_text(release.read_text(encoding="utf-8").replace(previous, marker),
                                   encoding="utf-8")
                seconds = served_within(port, release.stem, marker.encode())
                print(f"edit {n + 1}: served after {seconds:.2f} s (target: within 1 s)")
                previous = marker
                time.sleep(1.5)
        finally:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
