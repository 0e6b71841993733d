"""The releases an earlier build found valid, kept so that a build over an archive of thousands
validates again only the files that changed.

An entry is found by one digest over everything its validation read but the media and the
other release files: the release file's bytes and path, site.yaml's bytes, pressexport's code
and the versions of the libraries that parse and validate. What it read of the rest is checked
again at every use: each media file it embeds must still be a good image (its bytes hashed, as
every build does) and each translation it names must still exist; otherwise, or whenever the
cache is missing, unreadable or foreign, the file is validated in full, so a problem is
reported exactly as without the cache.

The cache lives in `.pressexport/` beside out/ (never published) and holds only the entries
of the last load. It is a pickle, signed with a key of the user's own outside the workspace
(in the user's cache folder): a workspace copied from elsewhere, or a file planted in it,
is never unpickled (that could run code), only ignored. Each entry in it is pickled on its
own, so that a build pickles again only the releases it validated, not the whole archive.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

from pressexport import deps
from pressexport.errors import BuildError, display_path
from pressexport.markup import Markdown
from pressexport.mediacheck import MediaChecker
from pressexport.model import Release, Site
from pressexport.output import write_atomic
from pressexport.sourcefile import RefusedFile, read_bounded
from pressexport.yamlsource import MAX_BYTES, YamlDocument

SCHEMA = 2
KEY_BYTES = 32
SIGNATURE_BYTES = 32  # HMAC-SHA256
#: The libraries whose parsing or validation an entry holds the result of.
LIBRARIES = ("pydantic", "pydantic-core", "markdown-it-py", "PyYAML")
#: Fields an entry leaves out: given again at each use (the site's text is shared by all).
_GIVEN = frozenset({"site", "source_bytes", "boilerplate"})


@dataclass(frozen=True)
class Entry:
    """A valid release file as its load left it: the release's own fields, the media files it
    embeds, the translations it names, and where each of its values stands."""

    fields: Mapping[str, Any]
    boilerplate: Markdown | None  # None: the site's, for the release's language
    media: tuple[str, ...]
    targets: tuple[str, ...]
    positions: YamlDocument

    def release(self, raw: bytes, site: Site, site_boilerplate: Markdown | None) -> Release:
        """The release again, with the site's text in its language."""
        return Release(**self.fields, source_bytes=raw,
                       site=site.localized(self.fields["language"]),
                       boilerplate=self.boilerplate or site_boilerplate)


class LoadCache:
    """The entries of the last load (read from `path`), and those of this one."""

    def __init__(self, path: Path, site_source: bytes) -> None:
        self.path = path
        self._context = deps.combine(deps.engine(), _versions(), deps.digest(site_source))
        self._earlier = _read(path)
        self._now: dict[str, bytes] = {}  # each entry pickled

    def get(self, path: Path, media: MediaChecker, slugs: set[str]) -> tuple[Entry, bytes] | None:
        """The entry of the file at `path` and its bytes, when an earlier load found the same
        file valid and what else it read still holds; None: validate the file in full."""
        try:
            raw = read_bounded(path, MAX_BYTES)
        except RefusedFile:
            return None
        key = self._key(path, raw)
        pickled = self._earlier.get(key)
        entry = _unpickled(pickled) if pickled is not None else None
        if entry is None or any(slug not in slugs for slug in entry.targets):
            return None
        if any(media.problem(name) for name in entry.media):
            return None
        self._now[key] = pickled
        return entry, raw

    def keep(self, path: Path, release: Release, positions: YamlDocument,
             site_boilerplate: Markdown | None) -> None:
        """Remember `release`, just found valid in the file at `path`."""
        own = None if release.boilerplate is site_boilerplate else release.boilerplate
        entry = Entry(
            fields={f.name: getattr(release, f.name) for f in fields(Release)
                    if f.name not in _GIVEN},
            boilerplate=own,
            media=tuple(item.file for item in release.media if item.file),
            targets=tuple(slug for _, slug in release.translations),
            positions=positions,
        )
        self._now[self._key(path, release.source_bytes)] = pickle.dumps(
            entry, protocol=pickle.HIGHEST_PROTOCOL)

    def save(self) -> None:
        """Write this load's entries atomically, unless they are the last load's."""
        if self._now.keys() == self._earlier.keys():
            return
        key = _signing_key()
        if key is None:
            return
        data = pickle.dumps({"schema": SCHEMA, "entries": self._now},
                            protocol=pickle.HIGHEST_PROTOCOL)
        # A cache not written costs the next build time, never correctness.
        with contextlib.suppress(BuildError, OSError):
            write_atomic(self.path.parent, self.path.name, _sign(key, data) + data)

    def _key(self, path: Path, raw: bytes) -> str:
        return deps.combine(self._context, os.path.abspath(path), display_path(path),
                            deps.digest(raw))


def _read(path: Path) -> dict[str, bytes]:
    """The entries saved at `path`, each still pickled; none when the file is missing,
    unreadable, not signed with this user's key or of another schema."""
    key = _signing_key()
    try:
        signed = path.read_bytes()
        signature, data = signed[:SIGNATURE_BYTES], signed[SIGNATURE_BYTES:]
        if key is None or not hmac.compare_digest(signature, _sign(key, data)):
            return {}
        loaded = pickle.loads(data)
        entries = loaded["entries"] if loaded.get("schema") == SCHEMA else {}
        if all(isinstance(e, bytes) for e in entries.values()):
            return dict(entries)
    except Exception:  # any damage at all: a full validation, never a wrong one
        pass
    return {}


def _unpickled(pickled: bytes) -> Entry | None:
    """The entry of a signed cache; None when it is not one (then the file is validated)."""
    try:
        entry = pickle.loads(pickled)
    except Exception:
        return None
    return entry if isinstance(entry, Entry) else None


def _sign(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


@cache
def _signing_key() -> bytes | None:
    """This user's key for signing caches (made on first use, readable by the user alone);
    None when the user's cache folder cannot hold one: then nothing is cached."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "pressexport" / "signing-key"
    try:
        try:
            key = path.read_bytes()
        except FileNotFoundError:
            key = b""
        if len(key) == KEY_BYTES:
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent)  # created readable by the user alone
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
        if key:  # damaged: replaced
            os.replace(temp, path)
        else:  # two builds making a key at once: the first linked in place is everyone's
            with contextlib.suppress(FileExistsError):
                os.link(temp, path)
            os.unlink(temp)
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None


def _versions() -> list[str]:
    from importlib import metadata  # imported when used: `validate` opens no cache

    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return found
