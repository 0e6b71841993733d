"""The checks on a file under source/media/: inside the folder, a regular file, an image every
writer can embed, decoded in full once (a corrupt or truncated image is an input error, and so is
one whose decoded size is absurd)."""

from __future__ import annotations

import io
import os
import warnings
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from pressexport.deps import digest as content_digest
from pressexport.errors import display_path
from pressexport.sourcefile import RefusedFile, read_bounded

if TYPE_CHECKING:
    from PIL.Image import Image

#: Image formats every writer can embed (python-docx reads no WebP or SVG); an MPO is the JPEG
#: of a phone or a 3D camera (a JPEG with more pictures after the first), which Pillow names so.
IMAGE_FORMATS = frozenset({"PNG", "JPEG", "MPO", "GIF"})
#: A media file over this size is refused before it is decoded.
MAX_IMAGE_BYTES = 50 * 1024 * 1024
#: Decoded pixels an image may have, all its frames together: more than a 45-megapixel camera or
#: a 48-megapixel phone makes (8000 x 6000), far below what exhausts memory (about 5 bytes a
#: pixel while decoding, so at most some 250 MB).
MAX_IMAGE_PIXELS = 50_000_000


class MediaChecker:
    """Checks the media files of one load; each file is read and decoded once, whoever uses it.

    `known` are the content digests of images an earlier build decoded in full and found good:
    the same bytes need no second decoding (a build over an archive of photos would otherwise
    decode them all every time). `digests` gives each file's digest, `verified` the good ones.
    """

    def __init__(self, source: Path, known: frozenset[str] = frozenset()) -> None:
        self.source = source
        self.folder = source / "media"
        self.known = known
        self.digests: dict[str, str] = {}
        self.verified: set[str] = set()
        self._found: dict[str, str | None] = {}

    def problem(self, name: str, *, svg: bool = False) -> str | None:
        """Why `name` (a relative path under media/) cannot be embedded, or None; `svg`: an SVG
        image will do (the logo, which only the page and the PDF show)."""
        if name not in self._found:
            self._found[name] = self._location_problem(name) or self._image_problem(name)
        found = self._found[name]
        return None if found and svg and self._is_svg(name) else found

    @cached_property
    def _real_folder(self) -> Path:
        return self.folder.resolve()

    @cached_property
    def _folder_inside(self) -> bool:
        return self._real_folder.is_relative_to(self.source.resolve())

    @cached_property
    def _plain_files(self) -> frozenset[str]:
        """The regular files directly in the folder that are not links: each lies inside it
        without resolving its path (an archive of photos has thousands)."""
        try:
            with os.scandir(self.folder) as entries:
                return frozenset(e.name for e in entries if e.is_file(follow_symlinks=False))
        except OSError:
            return frozenset()

    def _is_svg(self, name: str) -> bool:
        if self._location_problem(name):
            return False
        try:
            return is_svg(read_bounded(self.folder / name, MAX_IMAGE_BYTES))
        except RefusedFile:
            return False

    def _location_problem(self, name: str) -> str | None:
        if self._folder_inside and name in self._plain_files:
            return None
        shown = f"{display_path(self.folder)}/"
        path = self.folder / name
        try:
            if not path.exists():
                return f"'{name}' not found in {shown}"
            # The folder itself must not lead out of the sources, nor the file out of it.
            inside = self._folder_inside and path.resolve().is_relative_to(self._real_folder)
        except OSError as exc:  # a name too long for the file system, a loop of links
            return f"'{name}' cannot be read: {exc.strerror}"
        if not inside:
            return f"'{name}' resolves outside {shown}: refused"
        return None

    def _image_problem(self, name: str) -> str | None:
        try:
            data = read_bounded(self.folder / name, MAX_IMAGE_BYTES)
        except RefusedFile as exc:
            return f"'{name}' {exc}"
        digest = self.digests[name] = content_digest(data)
        problem = None if digest in self.known else decode_problem(data, name)
        if problem is None:
            self.verified.add(digest)
        return problem


def is_svg(data: bytes) -> bool:
    """Whether `data` is a well-formed XML document whose root is an SVG image."""
    import xml.etree.ElementTree as ET

    try:
        # Expat reads no external entity and caps entity expansion (no billion laughs).
        root = ET.fromstring(data)
    except ET.ParseError:
        return False
    return root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")


def decode_problem(data: bytes, name: str) -> str | None:
    """Why the image `data` cannot be embedded (not an image, another format, corrupt, too many
    pixels), or None; the image is decoded in full and nothing of it is kept."""
    from PIL import Image as PIL
    from PIL import UnidentifiedImageError

    unusable = f"'{name}' is not a readable image"
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, above its own limit; either is a bomb here.
            warnings.simplefilter("error", PIL.DecompressionBombWarning)
            with PIL.open(io.BytesIO(data)) as image:
                if image.format not in IMAGE_FORMATS:
                    return f"'{name}' is a {image.format} image: use PNG, JPEG or GIF"
                pixels = _decode(image)
    except (PIL.DecompressionBombError, PIL.DecompressionBombWarning):
        pixels = MAX_IMAGE_PIXELS + 1
    except UnidentifiedImageError:
        return f"{unusable}: use PNG, JPEG or GIF"
    except Exception as exc:  # Pillow raises many kinds on hostile data; each means unreadable
        return f"{unusable} ({exc or type(exc).__name__}): use PNG, JPEG or GIF"
    if pixels > MAX_IMAGE_PIXELS:
        return (f"'{name}' is too large an image: over {MAX_IMAGE_PIXELS // 1_000_000} million "
                "pixels when decoded; scale it down")
    return None


def _decode(image: Image) -> int:
    """Decode every frame of `image`, stopping once over MAX_IMAGE_PIXELS; the pixels seen."""
    width, height = image.size
    frames = getattr(image, "n_frames", 1)
    if width * height > MAX_IMAGE_PIXELS:
        return width * height  # the header says so: nothing is decoded
    seen = 0
    for frame in range(frames):
        image.seek(frame)
        if image.format in ("JPEG", "MPO"):
            # libjpeg still reads every byte of the picture (a truncated or corrupt one fails),
            # but scaled by 1/8 it decodes several times faster into a sixty-fourth the memory.
            image.draft(image.mode, (1, 1))
        image.load()
        seen += width * height
        if seen > MAX_IMAGE_PIXELS:
            break
    return seen
