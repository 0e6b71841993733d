"""`pressexport serve`: out/ over HTTP on 127.0.0.1, rebuilt when sources or templates change."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pressexport.errors import PressexportError, UsageError, escaped
from pressexport.layout import ATOM, RSS
from pressexport.newsroom import ATOM_TYPE, RSS_TYPE
from pressexport.workers import import_writers

if TYPE_CHECKING:
    from pressexport.build import BuildOptions, BuildReport

HOST = "127.0.0.1"  # loopback only: the preview is for this machine's browser and feed reader


class Handler(SimpleHTTPRequestHandler):
    """Static files from out/, feeds with their own media types, never cached by the client.

    Only what out/ publishes is served: no folder listing, no hidden file (a build's temporary
    `.NAME.XXXXXXXX.tmp` files), nothing a symbolic link leads to outside out/.
    """

    quiet = False

    def send_head(self) -> Any:
        """The response head for a published file; 404 for anything else."""
        if not self.published(self.translate_path(self.path)):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        return super().send_head()

    def published(self, path: str) -> bool:
        """Whether `path` (as translate_path made it) is a file or folder out/ publishes."""
        if "\0" in path:  # '%00' in the request: no such name can exist
            return False
        relative = Path(os.path.relpath(path, self.directory))
        if any(part.startswith(".") for part in relative.parts):
            return False
        return Path(path).resolve().is_relative_to(Path(self.directory).resolve())

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """No listings: a folder without index.html is not found."""
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        """Feed media types for atom.xml and rss.xml; the standard guess otherwise."""
        name = os.path.basename(path)
        return {ATOM: ATOM_TYPE, RSS: RSS_TYPE}.get(name) or super().guess_type(path)

    def end_headers(self) -> None:
        """Ask clients to revalidate, so a reload shows the latest build."""
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Log requests to stderr unless --quiet."""
        if not self.quiet:
            super().log_message(format, *args)


#: Brings out/ up to date (the build is incremental); the report, or None when it failed.
Rebuild = Callable[[], "BuildReport | None"]


class Rebuilder:
    """Runs one build at a time, on a change or when the next embargo passes (a timer set for
    that instant after every build, not a poll)."""

    def __init__(self, rebuild: Rebuild, fixed_time: bool) -> None:
        self._rebuild = rebuild
        self._fixed_time = fixed_time  # --now: the build time never moves, nor do embargoes
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def __call__(self) -> None:
        """Build now, then wait for the next embargo to pass."""
        with self._lock:
            try:
                report = self._rebuild()
            except PressexportError as exc:
                # A bad edit must not stop the server: report it, keep serving the last good
                # output (and the timer already set).
                click.echo(str(exc), err=True)
                return
            if report is not None:
                self._schedule(report)

    def _schedule(self, report: BuildReport) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        embargoes = [r.embargo for r in report.held_back if r.embargo is not None]
        if self._fixed_time or not embargoes:
            return
        delay = (min(embargoes) - datetime.now(UTC)).total_seconds()
        # A little after the instant, so that the build's clock has passed it.
        self._timer = threading.Timer(max(delay, 0) + 0.05, self)
        self._timer.daemon = True
        self._timer.start()

    def stop(self) -> None:
        """Cancel the embargo timer."""
        if self._timer is not None:
            self._timer.cancel()


def serve(options: BuildOptions, port: int, quiet: bool, rebuild: Rebuild) -> None:
    """Build once, serve options.out on 127.0.0.1:port, rebuild on change and when an embargo
    passes, until Ctrl-C."""
    rebuilder = Rebuilder(rebuild, fixed_time=options.now is not None)
    try:
        rebuilder()
        # Imported here once, the writers' libraries are inherited by every rebuild's freshly
        # forked workers: a saved edit then waits for its own documents, not for WeasyPrint.
        import_writers()
        options.out.mkdir(parents=True, exist_ok=True)
        server = _server(options.out, port, quiet)
    except KeyboardInterrupt:
        rebuilder.stop()
        return
    thread = threading.Thread(target=server.serve_forever, name="pressexport-http", daemon=True)
    thread.start()
    click.echo(f"Serving {options.out}/ at http://{HOST}:{server.server_port}/ "
               f"(feeds: {ATOM}, {RSS}); Ctrl-C stops")
    stop = threading.Event()
    try:
        with _stopped_by_interrupt(stop):
            _watch(options, rebuilder, quiet, stop)
    except KeyboardInterrupt:
        pass
    finally:
        rebuilder.stop()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    click.echo("Stopped.")


class PreviewServer(ThreadingHTTPServer):
    """The HTTP server; a request it fails to answer is one line on stderr, not a traceback."""

    def handle_error(self, request: Any, client_address: tuple[str, int]) -> None:
        """Report the failure in one line (the connection is closed; serving goes on)."""
        error = sys.exc_info()[1]
        click.echo(escaped(f"serve: could not answer {client_address[0]}:{client_address[1]}: "
                           f"{type(error).__name__}: {error}"), err=True)


def _server(out: Path, port: int, quiet: bool) -> ThreadingHTTPServer:
    handler = type("QuietHandler" if quiet else "LoggingHandler", (Handler,), {"quiet": quiet})
    try:
        return PreviewServer((HOST, port), partial(handler, directory=str(out)))
    except OSError as exc:
        raise UsageError(f"cannot serve on {HOST}:{port}: {exc.strerror or exc}") from None


def watched(options: BuildOptions) -> list[Path]:
    """The folders whose changes trigger a rebuild: the sources and the user's templates."""
    folders = [options.source]
    if options.templates is not None and options.templates.is_dir():
        folders.append(options.templates)
    return folders


@contextlib.contextmanager
def _stopped_by_interrupt(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C sets `stop` as well as raising KeyboardInterrupt: the watcher ends at its next
    step even when the exception is lost (in CI, serve went on watching after SIGINT, its
    main thread in watchfiles)."""

    def interrupted(signum: int, frame: object) -> None:
        stop.set()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _watch(options: BuildOptions, rebuild: Callable[[], None], quiet: bool,
           stop: threading.Event) -> None:
    import watchfiles

    trees = options.trees
    made = [trees.out.resolve(), trees.embargoed.resolve(), trees.work.resolve()]
    default = watchfiles.DefaultFilter()

    def relevant(change: watchfiles.Change, path: str) -> bool:
        # What a build writes must not retrigger the build it came from.
        resolved = Path(path).resolve()
        return default(change, path) and not any(resolved.is_relative_to(p) for p in made)

    for changes in watchfiles.watch(*watched(options), watch_filter=relevant,
                                    debounce=400, step=30, stop_event=stop):
        if not quiet:
            names = sorted({os.path.relpath(path) for _, path in changes})
            click.echo(f"changed: {', '.join(names)}; rebuilding", err=True)
        rebuild()
