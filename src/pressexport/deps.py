"""What each output depends on, as digests: the files it is made from, hashed by content.

An output's key is one digest over everything that can change its bytes: the engine (the
pressexport version and its own code), the release file, site.yaml, the media it uses, the
templates it renders with (the user's override or the built-in file, and what they import),
and the build-time facts it shows (which of its translations are published). Equal keys mean
equal bytes, so an output whose key is unchanged is not rendered again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from blake3 import blake3

from pressexport import templates

#: What a template refers to when its name is computed at render time: every template file.
EVERY_TEMPLATE = "*"
#: A Jinja tag that loads another template, and its argument. Read with a pattern rather than
#: Jinja's parser, so that deciding what is up to date imports no template engine.
_JINJA_LOAD = re.compile(r"{%[-+]?\s*(?:extends|include|import|from)\s+(.+?)\s*[-+]?%}", re.S)
_STRING = re.compile(r"""(['"])([^'"]+)\1(?:\s+(?:as|import|ignore|with|without)\b.*)?$""",
                     re.S)
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


def digest(data: bytes) -> str:
    """The content digest pressexport keys on (BLAKE3, hex): every build hashes every input,
    the photos of the whole archive included, and BLAKE3 does it 3.5 times faster than
    SHA-256 here."""
    return blake3(data).hexdigest()


def combine(*parts: str | Iterable[str]) -> str:
    """One digest over `parts` (strings, or iterables of strings), in order."""
    h = hashlib.sha256()
    for part in parts:
        for piece in ([part] if isinstance(part, str) else part):
            h.update(piece.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
    return h.hexdigest()


@cache
def engine() -> str:
    """The pressexport version and a digest of its code: a new release of the tool (or an edit
    of a source checkout) rebuilds everything."""
    from importlib import metadata  # imported when used: `validate` needs no version

    package = Path(__file__).resolve().parent
    try:
        version = metadata.version("pressexport")
    except metadata.PackageNotFoundError:  # run from a checkout without installing
        version = "unknown"
    files = sorted(package.rglob("*.py"))
    return combine(version, (combine(p.relative_to(package).as_posix(), digest(p.read_bytes()))
                             for p in files))


@dataclass
class FileDigests:
    """Each file's digest, read once per build however many outputs depend on it."""

    _known: dict[Path, str] = field(default_factory=dict)

    def of(self, path: Path) -> str:
        """The digest of the file at `path` ("missing" when there is none)."""
        if path not in self._known:
            try:
                self._known[path] = digest(path.read_bytes())
            except OSError:
                self._known[path] = "missing"
        return self._known[path]


@dataclass
class TemplateDigests:
    """The digests of the templates a format renders with, following what they reference."""

    user_dir: Path | None
    files: FileDigests
    _closure: dict[tuple[str, ...], str] = field(default_factory=dict)

    def of(self, names: Sequence[str]) -> str:
        """One digest over the templates `names` resolve to and everything they reference."""
        key = tuple(names)
        if key not in self._closure:
            found: dict[str, str] = {}
            pending = list(names)
            while pending:
                name = pending.pop()
                if name in found:
                    continue
                if name == EVERY_TEMPLATE:
                    found[name] = "every"
                    pending += self.every_template()
                    continue
                path, origin = self._resolve(name)
                found[name] = combine(origin, self.files.of(path) if path else "missing")
                if path is not None:
                    pending += _references(name, path)
            self._closure[key] = combine(f"{name}={found[name]}" for name in sorted(found))
        return self._closure[key]

    def _resolve(self, name: str) -> tuple[Path | None, str]:
        """The file `name` renders from and whether it is the user's or the built-in one."""
        if name.startswith("default/"):
            folders: tuple[Path, ...] = (templates.default_dir(),)
            name = name.removeprefix("default/")
        else:
            folders = templates.search_path(self.user_dir)
        for folder in folders:
            path = folder / name
            # Only what the template loader itself would read (the render refuses the rest).
            if path.is_file() and path.resolve().is_relative_to(folder.resolve()):
                return path, "default" if folder == templates.default_dir() else "user"
        return None, "missing"

    def every_template(self) -> list[str]:
        """Every template file name on the search path (for a reference no parser can follow)."""
        names: set[str] = set()
        for folder in templates.search_path(self.user_dir):
            names.update(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                         if p.is_file())
        return sorted(names)


def _references(name: str, path: Path) -> list[str]:
    """The template names a template or stylesheet refers to."""
    if name.endswith(".css"):
        return _css_references(name, path)
    if name.endswith(".j2"):
        return _jinja_references(path)
    return []


def _jinja_references(path: Path) -> list[str]:
    """The names a Jinja template's extends, include, import and from tags give; any other
    argument than one string literal (a variable, a list) may load anything."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # the render reports it
    names = []
    for argument in _JINJA_LOAD.findall(text):
        literal = _STRING.match(argument)
        if literal is None:
            return [EVERY_TEMPLATE]
        names.append(literal.group(2))
    return names


def _css_references(name: str, path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    folder = name.rpartition("/")[0]
    refs = []
    for target in _CSS_URL.findall(text):
        if ":" in target:  # data: and other schemes: nothing on disk (fetch.py refuses the rest)
            continue
        parts: list[str] = folder.split("/") if folder else []
        for piece in target.split("/"):
            if piece == "..":
                if parts:
                    parts.pop()
            elif piece not in ("", "."):
                parts.append(piece)
        refs.append("/".join(parts))
    return refs
