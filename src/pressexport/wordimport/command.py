"""`pressexport import FILE.docx`: read the document, apply the options and site.yaml's
defaults, check the result as `validate` would, and write source/releases/SLUG.yaml."""

from __future__ import annotations

import dataclasses
import io
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from pressexport import i18n
from pressexport.errors import InputError, Problem, UsageError, display_path
from pressexport.fieldtypes import SLUG_RE
from pressexport.markup import Markdown
from pressexport.model import Contact, MediaItem, ReleaseFile, Site
from pressexport.wordimport import docxread, foreign, ours, package, yamlout
from pressexport.wordimport.draft import Draft
from pressexport.wordimport.structure import Structure


@dataclass(frozen=True)
class Options:
    """What the command line adds: the slug, language, date and dateline, and --force."""

    slug: str | None = None
    language: str | None = None
    date: str | None = None
    dateline: str | None = None
    force: bool = False


@dataclass(frozen=True)
class Result:
    """The release file written, and what of the document could not be placed."""

    path: Path
    warnings: tuple[Problem, ...]


def run(path: Path, source: Path, options: Options) -> Result:
    """Import the document at `path` into `source`/releases/; raises on any refusal, having
    written nothing."""
    from pressexport.load import load_site
    from pressexport.output import write_atomic

    file = display_path(path)
    site = load_site(source)
    draft = read(path, file, site)
    fields, problems = finish(draft, options, site, file, source / "releases")
    if problems:
        raise InputError(problems + list(draft.warnings))
    slug = fields.pop("_slug")
    folder = source / "releases"
    target = folder / f"{slug}.yaml"
    if target.exists() and not options.force:
        raise UsageError(f"{display_path(target)} already exists: use --force to replace it "
                         "(or --slug SLUG to write another release); nothing written")
    text = yamlout.dump(fields)
    _validate(source, target, text)
    write_atomic(folder, target.name, text.encode("utf-8"))
    return Result(target, draft.warnings)


def read(path: Path, file: str, site: Site) -> Draft:
    """The release a DOCX shows: ours by its styles and properties, any other best-effort."""
    import docx

    from pressexport.writers import docx_meta

    parts = package.read_parts(path, file)
    try:
        document = docx.Document(io.BytesIO(package.repack(parts)))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise package.Refused(file, f"not a readable Word document ({exc})") from None
    meta = docx_meta.read(parts.get("docProps/custom.xml"))
    paras = docxread.paragraphs(document)
    structure = Structure(document)
    if meta or _has_our_styles(paras):
        return ours.read(paras, meta, structure, site, file)
    return foreign.read(paras, structure, site, file)


def _has_our_styles(paras: list[docxread.Para]) -> bool:
    return any(p.style in (ours.END, ours.SECTION, "Release Status") or
               any(piece.style == ours.DATELINE for piece in p.pieces) for p in paras)


def finish(draft: Draft, options: Options, site: Site, file: str, folder: Path
           ) -> tuple[dict[str, Any], list[Problem]]:
    """The release's fields in the README's order, defaults dropped; and what is missing."""
    problems = []
    language = options.language or draft.language or site.site.language
    translating = bool(draft.source_slug and options.language and
                       i18n.base_language(options.language) !=
                       i18n.base_language(draft.source_language or site.site.language))
    when = _option_date(options.date) if options.date else draft.date
    dateline = options.dateline or draft.dateline
    missing = [("headline", draft.headline, "give the headline Word's Title style, or make it "
                "the first bold line"),
               ("date", when, "no date in a `CITY, DATE – ` lead: give it with --date YYYY-MM-DD"),
               ("dateline", dateline, "no `CITY, DATE – ` lead: give the place with --dateline "
                "PLACE"),
               ("body", draft.body, "no text found after the headline")]
    for name, value, hint in missing:
        if not value:
            problems.append(Problem(file, 1, 1, name, f"required field is missing: {hint}"))
    if problems:
        return {}, problems
    local = _local(when, site)
    slug = _slug(options, draft, language, local, translating)
    values: dict[str, Any] = {
        "headline": draft.headline,
        "subheadline": draft.subheadline,
        "date": local,
        "updated": _local(draft.updated, site, keep_time=True),
        "correction": draft.correction,
        "id": None if translating or draft.id == _default_id(site, local, slug) else draft.id,
        "embargo": _local(draft.embargo, site, keep_time=True),
        "language": None if language == site.site.language else language,
        "dateline": dateline,
        "topics": list(draft.topics) or None,
        "summary": None if translating or draft.summary == Markdown.parse(draft.body)
        .first_paragraph() else draft.summary,
        "body": draft.body,
        "notes_to_editors": draft.notes_to_editors,
        "media": [_ordered(m, MediaItem) for m in draft.media] or None,
        "contacts": _contacts(draft, site),
        "boilerplate": None if _same_markdown(draft.boilerplate, site.organization.boilerplate)
        else draft.boilerplate,
        "translations": _translations(draft, slug, translating, folder),
    }
    order = list(ReleaseFile.model_fields)
    fields = {key: values[key] for key in order if values.get(key) not in (None, [], {})}
    if values["contacts"] == []:
        fields["contacts"] = []
    return {"_slug": slug, **fields}, []


def _option_date(text: str) -> date | datetime:
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date '{text}' is not an ISO 8601 date or date-time") from None


def _local(value: date | datetime | None, site: Site, *, keep_time: bool = False
           ) -> date | datetime | None:
    """A date as the release YAML writes it: the day alone, or the local time without offset
    (taken in site.timezone, so the same instant)."""
    if value is None or not isinstance(value, datetime):
        return value
    moment = value.astimezone(site.tz) if value.tzinfo else value
    if not keep_time and moment.time() == datetime.min.time():
        return moment.date()
    return moment.replace(tzinfo=None)


def _slug(options: Options, draft: Draft, language: str, day: date | datetime,
          translating: bool) -> str:
    from pressexport.newrelease import release_slug

    if options.slug:
        slug = options.slug
    elif draft.source_slug and translating:
        slug = f"{draft.source_slug}-{language.lower()}"
    elif draft.source_slug:
        slug = draft.source_slug
    else:
        slug = release_slug(day.isoformat()[:10], draft.headline or "")
    if not SLUG_RE.match(slug):
        raise UsageError(f"--slug '{slug}' is not a slug: use lowercase ASCII letters, digits "
                         "and single hyphens")
    return slug


def _default_id(site: Site, day: date | datetime, slug: str) -> str:
    return f"tag:{urlsplit(site.site.base_url).hostname},{day.isoformat()[:10]}:{slug}"


def _contacts(draft: Draft, site: Site) -> list[dict[str, str]] | None:
    if draft.contacts is None:
        return None
    contacts = [_ordered(c, Contact) for c in draft.contacts]
    if contacts == [c.model_dump(exclude_none=True) for c in site.contacts]:
        return None  # site.yaml's default contacts: not copied
    return contacts


def _ordered(values: Mapping[str, str], model: type[BaseModel]) -> dict[str, str]:
    """A media item's or contact's keys in the order the README lists them."""
    return {key: values[key] for key in model.model_fields if values.get(key)}


def _same_markdown(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return not a
    return " ".join(Markdown.parse(a).html().split()) == " ".join(Markdown.parse(b).html()
                                                                    .split())


def _translations(draft: Draft, slug: str, translating: bool, folder: Path) -> dict[str, str]:
    """A translation links to the release it was made from (declared on its side only);
    otherwise the document's links less those its partners declare themselves (the loader
    shows a link on both sides) and those to releases no longer there."""
    if translating:
        return {draft.source_language or "": draft.source_slug or ""}
    return {tag: other for tag, other in draft.translations.items()
            if other != slug and (folder / f"{other}.yaml").is_file()
            and slug not in _declared(folder / f"{other}.yaml").values()}


def _declared(path: Path) -> dict[str, str]:
    """The translations a release file declares itself."""
    from pressexport.yamlsource import read_yaml

    data = read_yaml(path, display_path(path)).data
    links = data.get("translations") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in links.items()} if isinstance(links, dict) else {}


def _validate(source: Path, target: Path, text: str) -> None:
    """Check the new release as `validate` will, from a temporary copy (nothing is written
    into the source folder unless it passes)."""
    from pressexport.load import load_project

    with tempfile.TemporaryDirectory(prefix="pressexport-import-") as temp:
        candidate = Path(temp) / target.name
        candidate.write_text(text, encoding="utf-8")
        try:
            load_project(source, only=[candidate])
        except InputError as exc:
            shown = display_path(target)
            raise InputError([dataclasses.replace(p, file=shown) if p.file.endswith(target.name)
                              else p for p in exc.problems]) from None
