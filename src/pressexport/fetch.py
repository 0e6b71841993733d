"""What WeasyPrint may read: files under the source media folder and the template folders."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

#: A data: URI longer than this is refused: a template may inline a small icon, not a payload.
MAX_DATA_URI = 32 * 1024


class RefusedURL(FatalURLFetchingError):
    """A URL the renderer may not read; it stops the rendering (WeasyPrint re-raises it)."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"refused to read '{_shorten(url)}': {reason}")


class LocalFetcher(URLFetcher):
    """Serves files below `roots` and small data: URIs; refuses everything else, never redirects."""

    def __init__(self, roots: Iterable[Path]) -> None:
        # fail_on_errors: an allowed file that cannot be read stops the build (no missing image).
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False,
                         fail_on_errors=True, timeout=1)
        self.roots = tuple(dict.fromkeys(root.resolve() for root in roots))

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """The resource at `url`, or RefusedURL."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            if len(url) > MAX_DATA_URI:
                raise RefusedURL(url, f"data: URIs over {MAX_DATA_URI // 1024} KiB are not allowed")
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedURL(url, f"{self._allowed()}; nothing is fetched from the network")
        path = self.allowed_path(file_url_path(url))
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def allowed_path(self, path: Path) -> Path:
        """`path` resolved (symbolic links followed), if it lies below one of the roots."""
        resolved = path.resolve()
        if not any(resolved.is_relative_to(root) for root in self.roots):
            raise RefusedURL(path.as_uri() if path.is_absolute() else str(path), self._allowed())
        return resolved

    def _allowed(self) -> str:
        return "only files under " + " and ".join(str(root) for root in self.roots) + " may be read"


def file_url_path(url: str) -> Path:
    """The local path of a file: URL; a URL naming another host is refused."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise RefusedURL(url, "file: URLs must name this machine's files")
    return Path(url2pathname(parts.path))


def _shorten(url: str) -> str:
    return url if len(url) <= 120 else url[:100] + f"… ({len(url)} characters)"
