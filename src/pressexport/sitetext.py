"""site.yaml's text per language: its checks, its fallbacks' warnings, the boilerplate of each
language parsed once, and topics named by key or by any of their labels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pressexport.errors import Problem
from pressexport.markup import Markdown
from pressexport.model import Release, Site, lookup
from pressexport.slugs import slugify
from pressexport.yamlsource import YamlDocument


def _maps(site: Site) -> Iterable[tuple[tuple[str | int, ...], dict[str, str]]]:
    """Every text site.yaml gives as a map of language → text, with its path."""
    for section, name in Site.LOCAL_FIELDS:
        value = getattr(getattr(site, section), name)
        if isinstance(value, dict):
            yield (section, name), value
    for i, contact in enumerate(site.contacts):
        for name in ("role", "organization"):
            value = getattr(contact, name)
            if isinstance(value, dict):
                yield ("contacts", i, name), value
    for key, labels in site.topics.items():
        yield ("topics", key), labels


def map_problems(doc: YamlDocument, site: Site) -> list[Problem]:
    """A map must give the text in site.language: it is what other languages fall back to."""
    fallback = site.site.language
    return [doc.problem(path, f"no text for '{fallback}' (site.language), which languages the "
                              "map does not name fall back to")
            for path, mapping in _maps(site) if lookup(mapping, fallback) is None]


def fallback_warnings(doc: YamlDocument, site: Site, releases: Iterable[Release]) -> list[Problem]:
    """Warn once per map and language: releases in a language the map lacks show
    site.language's text."""
    languages = sorted({release.language for release in releases})
    found = []
    for path, mapping in _maps(site):
        for language in languages:
            if lookup(mapping, language) is None:
                found.append(doc.problem(path, f"warning: no text for '{language}' (used by a "
                                               f"release): its releases show the "
                                               f"'{site.site.language}' text"))
    return found


def boilerplates(doc: YamlDocument, site: Site,
                 problems: list[Problem]) -> dict[str | None, Markdown]:
    """The organisation's boilerplate parsed once per language (key None: one text for all);
    Markdown problems are appended, located in site.yaml."""
    from pressexport.load import markdown_problems

    value = site.organization.boilerplate
    texts = {None: value} if isinstance(value, str) else dict(value or {})
    parsed = {}
    for language, text in texts.items():
        parsed[language] = markdown = Markdown.parse(text)
        path = ("organization", "boilerplate") + ((language,) if language else ())
        problems += markdown_problems(doc, path, markdown)
    return parsed


def boilerplate_for(parsed: dict[str | None, Markdown], language: str,
                    fallback: str) -> Markdown | None:
    """The parsed boilerplate a release in `language` shows."""
    if None in parsed:
        return parsed[None]
    texts = {tag: tag for tag in parsed if tag}
    tag = lookup(texts, language) or lookup(texts, fallback)
    return parsed[tag] if tag else None


@dataclass(frozen=True)
class Topics:
    """A release's topics resolved: the label shown in its language, and the key (feed folder)."""

    labels: tuple[str, ...]
    keys: tuple[str, ...]


def resolve_topics(doc: YamlDocument, names: list[str], site: Site, language: str,
                   problems: list[Problem]) -> Topics:
    """Each topic the release names, by key or by any label of site.yaml's `topics`; a topic not
    in the map keeps its name and gets the slug of it as key. Two names of one topic are an
    error, located at the second."""
    by_label = {label.casefold(): key for key, labels in site.topics.items()
                for label in labels.values()}
    labels, keys = [], []
    for i, name in enumerate(names):
        key = name if name in site.topics else by_label.get(name.casefold())
        label = site.topic_label(key, language) if key else name
        key = key or slugify(name, fallback="topic")
        if key in keys:
            first = names[keys.index(key)]
            problems.append(doc.problem(("topics", i), f"'{first}' and '{name}' are one topic "
                                                       f"(topics/{key}/): keep one"))
            continue
        labels.append(label or name)
        keys.append(key)
    return Topics(tuple(labels), tuple(keys))
