"""What WeasyPrint may read: files under the source media folder and the template folders.

The HTML and the stylesheets are given to WeasyPrint under fixed virtual URLs (`file:///source/`,
`file:///templates/`) that this fetcher maps to the real folders. WeasyPrint names embedded
images after their URL, so real paths would make the PDF depend on where the project lives.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from pressexport.errors import display_path

#: The HTML's base URL: `media/NAME` in the template resolves to source/media/NAME.
SOURCE_URL = "file:///source/"
MEDIA_URL = SOURCE_URL + "media/"
#: Template files (stylesheets and what they import), looked up on the template search path.
TEMPLATES_URL = "file:///templates/"
#: A data: URI longer than this is refused: a template may inline a small icon, not a payload.
MAX_DATA_URI = 32 * 1024


class RefusedURL(FatalURLFetchingError):
    """A URL the renderer may not read; it stops the rendering (WeasyPrint re-raises it)."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"refused to read '{_shorten(url)}': {reason}")


def mounts(media_dir: Path, template_dirs: Sequence[Path]) -> tuple[object, ...]:
    """The folders a LocalFetcher serves, resolved, under their virtual URLs: what identifies
    it (for caches: cheaper to compute than a fetcher is to make)."""
    return ((MEDIA_URL, (media_dir.resolve(),)),
            (TEMPLATES_URL, tuple(d.resolve() for d in template_dirs)))


class LocalFetcher(URLFetcher):
    """Serves the media and template folders and small data: URIs; refuses everything else."""

    def __init__(self, media_dir: Path, template_dirs: Sequence[Path]) -> None:
        # fail_on_errors: an allowed file that cannot be read stops the build (no missing image).
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False,
                         fail_on_errors=True, timeout=1)
        self.mounts = mounts(media_dir, template_dirs)

    @property
    def key(self) -> tuple[object, ...]:
        """What identifies this fetcher's folders (for caches)."""
        return self.mounts

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """The resource at `url`, or RefusedURL."""
        parts = urlsplit(url)
        if parts.scheme.lower() == "data":
            if len(url) > MAX_DATA_URI:
                raise RefusedURL(url, f"data: URIs over {MAX_DATA_URI // 1024} KiB are not allowed")
            return super().fetch(url, headers)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURL(url, f"{self._allowed()}; nothing is fetched from the network")
        path = self.local_path(url, parts.path)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        # The real file's URL: WeasyPrint may read a local image lazily from its path.
        return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                  {"Content-Type": content_type})

    def local_path(self, url: str, url_path: str) -> Path:
        """The real file a virtual URL path names; outside every mount, RefusedURL."""
        for prefix, folders in self.mounts:
            mount_path = urlsplit(prefix).path
            if not url_path.startswith(mount_path):
                continue
            relative = url2pathname(url_path[len(mount_path):])
            for folder in folders:
                path = (folder / relative).resolve()
                if not path.is_relative_to(folder):  # '%2e%2e/' or a symbolic link out
                    raise RefusedURL(url, self._allowed())
                if path.is_file():
                    return path
            raise FileNotFoundError(f"no file '{relative}' in {self._folders(folders)}")
        raise RefusedURL(url, self._allowed())

    def _allowed(self) -> str:
        return f"only files under {self._folders(f for _, fs in self.mounts for f in fs)} " \
               "may be read"

    @staticmethod
    def _folders(folders: Iterable[Path]) -> str:
        return ", ".join(display_path(f) + "/" for f in folders)


def _shorten(url: str) -> str:
    return url if len(url) <= 120 else url[:100] + f"… ({len(url)} characters)"
