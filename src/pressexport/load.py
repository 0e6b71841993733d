"""Load the source folder: YAML with positions → validated model; every problem raised together."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, TypeAdapter, ValidationError

from pressexport import i18n, sitetext
from pressexport.checks import conventions, logo_warnings
from pressexport.errors import InputError, Problem, display_path
from pressexport.fieldtypes import SLUG_RE, MediaFile
from pressexport.layout import RESERVED_SLUGS
from pressexport.loadcache import LoadCache
from pressexport.markup import Markdown
from pressexport.mediacheck import MediaChecker
from pressexport.model import MAP_TAG, TEXT_TAG, Release, ReleaseFile, Site
from pressexport.names import LONGEST_DOCUMENT_SUFFIX, name_problem
from pressexport.yamlsource import Path_, YamlDocument, read_yaml

M = TypeVar("M", bound=BaseModel)
MARKDOWN_FIELDS = ("body", "correction", "notes_to_editors", "boilerplate")


@dataclass(frozen=True)
class Project:
    """Everything a build reads: the site, its releases (sorted by slug) and the source folder."""

    source: Path
    site: Site
    releases: tuple[Release, ...]
    warnings: tuple[Problem, ...] = ()
    site_source: bytes = b""  # site.yaml as read
    media_digests: Mapping[str, str] = field(default_factory=dict)  # name under media/ → digest
    verified_images: frozenset[str] = frozenset()  # digests of the images decoded and found good

    @property
    def media_dir(self) -> Path:
        """source/media: the only folder images are read from."""
        return self.source / "media"

    @cached_property
    def _by_slug(self) -> dict[str, Release]:
        return {release.slug: release for release in self.releases}

    def release(self, slug: str) -> Release:
        """The release called `slug` (KeyError when there is none)."""
        return self._by_slug[slug]

    def without_releases(self) -> Project:
        """The project's folders and site alone (what a worker rendering a release needs)."""
        return replace(self, releases=(), warnings=(), media_digests={},
                       verified_images=frozenset())


def load_project(source: Path, only: Iterable[Path] | None = None,
                 known_images: frozenset[str] = frozenset(), warn: bool = True,
                 cache: Path | None = None) -> Project:
    """Load and validate site.yaml and the releases (all, or `only` those files); images whose
    digest is in `known_images` were decoded by an earlier build and are not decoded again.
    `warn`: also check the press-release conventions (validate prints them; a build does not).
    `cache`: the file of the releases found valid before (see loadcache), read and renewed."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    media = MediaChecker(source, known_images)
    site, site_boilerplate, site_doc = _load_site(source, media, problems, warnings)
    all_paths = _release_files(source, problems)
    paths = sorted(Path(p) for p in only) if only else all_paths
    slugs = {p.stem for p in all_paths}
    releases = []
    docs: dict[str, YamlDocument] = {}
    checked = LoadCache(cache, site_doc.raw) if cache and site and not warn and not only else None
    for path in paths:
        if _misnamed(path, problems) or _outside(path, source, problems):
            continue
        found = checked.get(path, media, slugs) if checked else None
        if found is not None:
            assert site is not None  # a cache is opened only over a valid site.yaml
            entry, raw = found
            shared = _boilerplate(site_boilerplate, site, entry.fields["language"])
            releases.append(entry.release(raw, site, shared))
            docs[path.stem] = entry.positions
            continue
        loaded = _load_release(path, media, site, slugs, site_boilerplate, problems)
        if loaded is not None:
            release, doc = loaded
            if warn:
                warnings += conventions(release, doc, media=source / "media")
            # Checked: the trees are parsed again where rendered, and of the file only the
            # positions stay, for the checks across releases (an archive of thousands of
            # releases would otherwise hold every parse at once).
            shared = _boilerplate(site_boilerplate, site, release.language) if site else None
            release.forget_trees(keep=shared)
            releases.append(release)
            docs[release.slug] = doc.positions()
            if checked:
                checked.keep(path, release, docs[release.slug], shared)
    problems += _cross_release_problems(releases, docs)
    releases, linked = _link_translations(releases, docs)
    problems += linked
    if problems:
        raise InputError(problems)
    assert site is not None
    assert site_doc is not None
    if checked:
        checked.save()
    if warn:
        warnings += sitetext.fallback_warnings(site_doc, site, releases)
    return Project(source, site, tuple(releases), tuple(sorted(warnings)), site_doc.raw,
                   dict(media.digests), frozenset(media.verified))


def _release_files(source: Path, problems: list[Problem]) -> list[Path]:
    """source/releases/*.yaml, sorted; a missing folder, or one leading outside the sources, is
    a problem."""
    folder = source / "releases"
    if not folder.is_dir():
        problems.append(Problem(display_path(folder), 1, 1, "", "folder not found"))
        return []
    if _outside(folder, source, problems):
        return []
    # Any spelling of .yaml: a release named .yml is reported, never silently left out.
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml"))


def _misnamed(path: Path, problems: list[Problem]) -> bool:
    """Report a release file whose suffix is not exactly `.yaml` (`.yml`, `.YAML`)."""
    if path.suffix == ".yaml":
        return False
    problems.append(Problem(display_path(path), 1, 1, "",
                            f"release files end in '.yaml': rename it to {path.stem}.yaml"))
    return True


def _outside(path: Path, source: Path, problems: list[Problem]) -> bool:
    """Report `path` when it is a symbolic link resolving outside `source` (its folder is
    checked on its own): what a build reads lies under the source folder."""
    try:
        inside = not path.is_symlink() or path.resolve().is_relative_to(source.resolve())
    except OSError:  # a loop of links; reading it reports the error
        return False
    if not inside:
        problems.append(Problem(display_path(path), 1, 1, "",
                                f"resolves outside {display_path(source)}/: refused"))
    return not inside


def load_site(source: Path) -> Site:
    """Load and validate site.yaml alone."""
    problems: list[Problem] = []
    site, _, _ = _load_site(source, MediaChecker(source), problems)
    if problems or site is None:
        raise InputError(problems)
    return site


SiteBoilerplates = dict[str | None, Markdown]


def _boilerplate(parsed: SiteBoilerplates, site: Site, language: str) -> Markdown | None:
    """The site's boilerplate as a release in `language` shows it (parsed once for all)."""
    return sitetext.boilerplate_for(parsed, language, site.site.language)


def _load_site(source: Path, media: MediaChecker, problems: list[Problem],
               warnings: list[Problem] | None = None,
               ) -> tuple[Site | None, SiteBoilerplates, YamlDocument | None]:
    """site.yaml's model, its boilerplate parsed once per language, and its document;
    problems (and warnings) are appended."""
    path = source / "site.yaml"
    if _outside(path, source, problems):
        return None, {}, None
    doc = read_yaml(path, display_path(path))
    if not path.exists() and path.with_suffix(".yml").exists():
        doc.problems = [doc.problem((), "not found: rename site.yml to site.yaml")]
    problems += doc.problems
    site = _validate(Site, doc, problems) if doc.data is not None else None
    if site is None:
        return None, {}, doc
    markdown = sitetext.boilerplates(doc, site, problems)
    problems += sitetext.map_problems(doc, site)
    if site.organization.logo:
        message = media.problem(site.organization.logo, svg=True)
        if message:
            problems.append(doc.problem(("organization", "logo"), message))
        elif warnings is not None:
            warnings += logo_warnings(site, doc, source / "media")
    return site, markdown, doc


def _validate(model: type[M], doc: YamlDocument, problems: list[Problem]) -> M | None:
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), "expected a mapping of fields (key: value)"))
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems += [_pydantic_problem(model, doc, error) for error in exc.errors()]
        return None


def _pydantic_problem(model: type[BaseModel], doc: YamlDocument, error: Any) -> Problem:
    # The shape tags of site text (one string or a map) are no part of the YAML's path.
    path: Path_ = tuple(part for part in error["loc"] if isinstance(part, str | int)
                        and part not in (TEXT_TAG, MAP_TAG, "[key]"))
    kind = error["type"]
    if kind == "extra_forbidden":
        return doc.problem(path, _unknown_field(model, path), key=True)
    if "[key]" in error["loc"]:
        return doc.problem(path, f"key: {_message(error)}", key=True)
    if kind == "missing":
        return doc.problem(path, "required field is missing")
    message = _message(error)
    # A check across fields names its field first ("'alt' is required ..."): point there.
    named = re.match(r"'(\w+)'", message)
    if named and named.group(1) in _field_names(model, path):
        path = (*path, named.group(1))
    return doc.problem(path, message)


def _message(error: Any) -> str:
    kind, msg = error["type"], error["msg"]
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind == "text_or_map":
        return msg
    if kind in ("string_type", "list_type", "dict_type", "model_type", "model_attributes_type"):
        wanted = {"string_type": "text", "list_type": "a list"}.get(kind, "a mapping (key: value)")
        return f"expected {wanted}"
    return msg[0].lower() + msg[1:]


def _unknown_field(model: type[BaseModel], path: Path_) -> str:
    name = str(path[-1])
    names = _field_names(model, path[:-1])
    # A typo ('headine') or a shortened name ('notes' for 'notes_to_editors').
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.7)
    close = close or [known for known in names if known.startswith(name) and len(name) > 2][:1]
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown field '{name}'{hint}"


def _field_names(model: type[BaseModel], path: Path_) -> list[str]:
    for part in path:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        inner = _model_in(info.annotation) if info else None
        if inner is None:
            return []
        model = inner
    return [info.alias or name for name, info in model.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def markdown_problems(doc: YamlDocument, path: Path_, markdown: Markdown) -> list[Problem]:
    problems = []
    for offset, column, message in markdown.problems():
        line, col = doc.markdown_position(path, markdown.source, offset, column)
        problems.append(Problem(doc.file, line, col, doc.problem(path, "").path, message))
    return problems


def _load_release(
    path: Path,
    media: MediaChecker,
    site: Site | None,
    slugs: set[str],
    site_boilerplate: SiteBoilerplates,
    problems: list[Problem],
) -> tuple[Release, YamlDocument] | None:
    doc = read_yaml(path, display_path(path))
    problems += doc.problems
    if not SLUG_RE.match(path.stem):
        problems.append(
            Problem(doc.file, 1, 1, "", f"file name '{path.stem}' is not a slug: use lowercase "
                    "ASCII letters, digits and single hyphens (e.g. 2017-09-08-hangzhou-training)")
        )
    elif path.stem in RESERVED_SLUGS:
        problems.append(Problem(doc.file, 1, 1, "", f"'{path.stem}' is one of the site's own "
                                f"names at the top of out/ ({', '.join(sorted(RESERVED_SLUGS))})"
                                ": rename the file"))
    else:
        # The slug names the release's folder and documents: out/SLUG/SLUG.docx.
        too_long = name_problem(path.stem + LONGEST_DOCUMENT_SUFFIX)
        if too_long:
            problems.append(Problem(doc.file, 1, 1, "", f"file name: {too_long}"))
    if doc.data is None:
        return None
    data = _validate(ReleaseFile, doc, problems)
    # Checks below read the raw data, so they report even when other fields failed validation.
    raw = doc.data if isinstance(doc.data, dict) else {}
    markdown = {name: Markdown.parse(raw[name]) for name in MARKDOWN_FIELDS
                if isinstance(raw.get(name), str) and raw[name].strip()}
    local = [p for name, md in markdown.items() for p in markdown_problems(doc, (name,), md)]
    local += _media_problems(doc, raw.get("media"), media)
    local += _translation_problems(doc, raw.get("translations"), slugs, path.parent)
    topics = None
    if data is not None and site is not None:
        language = data.language or site.site.language
        topics = sitetext.resolve_topics(doc, data.topics, site, language, local)
    problems += local
    if data is None or local or site is None or topics is None:
        return None
    return _resolve(path.stem, doc, data, site, markdown, site_boilerplate, topics), doc


def _media_problems(doc: YamlDocument, media: Any, checker: MediaChecker) -> list[Problem]:
    problems = []
    for i, item in enumerate(media if isinstance(media, list) else []):
        name = item.get("file") if isinstance(item, dict) else None
        if isinstance(name, str) and _is_plain_relative(name):
            message = checker.problem(name)
            if message:
                problems.append(doc.problem(("media", i, "file"), message))
    return problems


def _is_plain_relative(name: str) -> bool:
    # Unsafe names (absolute, '..', unprintable, too long) are reported by the model; only look
    # up the others.
    try:
        _MEDIA_FILE.validate_python(name)
    except ValidationError:
        return False
    return True


_MEDIA_FILE = TypeAdapter(MediaFile)


def _cross_release_problems(releases: list[Release],
                            docs: dict[str, YamlDocument]) -> list[Problem]:
    """Checks that need a resolved release: dates in order, translations that match."""
    by_slug = {release.slug: release for release in releases}
    problems = []
    for release in releases:
        doc = docs[release.slug]
        if release.updated and release.updated < release.date:
            problems.append(doc.problem(("updated",), "'updated' is before the release 'date'"))
        for tag, slug in release.translations:
            target = by_slug.get(slug)
            if slug == release.slug:
                problems.append(doc.problem(("translations", tag),
                                            "a release is not its own translation"))
            elif target and i18n.base_language(target.language) != i18n.base_language(tag):
                problems.append(doc.problem(
                    ("translations", tag),
                    f"'{slug}' is in language '{target.language}', not '{tag}'"))
    return problems


def _link_translations(releases: list[Release], docs: dict[str, YamlDocument]
                       ) -> tuple[list[Release], list[Problem]]:
    """Translations are declared on one side only and shown on both (SPEC): each release also
    lists the releases that name it as their translation, under their language."""
    merged = {release.slug: dict(release.translations) for release in releases}
    problems = []
    for release in releases:
        for tag, slug in release.translations:
            if slug == release.slug or slug not in merged:
                continue
            base = i18n.base_language(release.language)
            back = {k: v for k, v in merged[slug].items() if i18n.base_language(k) == base}
            if not back:
                merged[slug][release.language] = release.slug
            elif release.slug not in back.values():
                other_tag, other = next(iter(back.items()))
                problems.append(docs[release.slug].problem(
                    ("translations", tag),
                    f"'{slug}' already has '{other}' as its '{other_tag}' translation"))
    return [_with_translations(r, tuple(sorted(merged[r.slug].items()))) for r in releases], \
        problems


def _with_translations(release: Release, translations: tuple[tuple[str, str], ...]) -> Release:
    """`release` listing `translations` (itself when it already does: most list none)."""
    if translations == release.translations:
        return release
    return dataclasses.replace(release, translations=translations)


def _translation_problems(doc: YamlDocument, translations: Any, slugs: set[str],
                          folder: Path) -> list[Problem]:
    if not isinstance(translations, dict):
        return []
    where = display_path(folder)
    return [doc.problem(("translations", language), f"no release '{slug}' in {where}/")
            for language, slug in translations.items()
            if isinstance(slug, str) and slug not in slugs]


def _resolve(
    slug: str,
    doc: YamlDocument,
    data: ReleaseFile,
    site: Site,
    markdown: dict[str, Markdown],
    site_boilerplate: SiteBoilerplates,
    topics: sitetext.Topics,
) -> Release:
    date = site.localize(data.date)
    host = urlsplit(site.site.base_url).hostname
    language = data.language or site.site.language
    local = site.localized(language)  # the site's text in the release's language
    boilerplate = _boilerplate(site_boilerplate, site, language)
    return Release(
        slug=slug,
        source_name=f"{slug}.yaml",
        source_bytes=doc.raw,
        site=local,
        headline=data.headline,
        subheadline=data.subheadline,
        date=date,
        updated=site.localize(data.updated) if data.updated else None,
        correction=markdown.get("correction"),
        id=data.id or f"tag:{host},{data.date.isoformat()[:10]}:{slug}",
        embargo=site.localize(data.embargo) if data.embargo else None,
        language=language,
        dateline=data.dateline,
        topics=topics.labels,
        topic_keys=topics.keys,
        summary=data.summary or markdown["body"].first_paragraph(),
        body=markdown["body"],
        notes_to_editors=markdown.get("notes_to_editors"),
        media=tuple(data.media),
        contacts=tuple(local.contacts if data.contacts is None else data.contacts),
        boilerplate=markdown.get("boilerplate", boilerplate),
        translations=tuple(sorted(data.translations.items())),
    )
