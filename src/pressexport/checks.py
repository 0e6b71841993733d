"""Press-release conventions: warnings that `validate` reports without failing."""

from __future__ import annotations

from pressexport.errors import Problem
from pressexport.model import Release
from pressexport.yamlsource import YamlDocument

MAX_HEADLINE_CHARS = 120
MAX_SUMMARY_CHARS = 300
MAX_BOILERPLATE_WORDS = 100


def conventions(release: Release, doc: YamlDocument) -> list[Problem]:
    """Every convention `release` breaks, located in its YAML file."""
    found: list[Problem] = []

    def warn(path: tuple[str | int, ...], message: str) -> None:
        found.append(doc.problem(path, f"warning: {message}"))

    if not release.contacts:
        warn(("contacts",), "no media contact (add 'contacts' here or in site.yaml)")
    if len(release.headline) > MAX_HEADLINE_CHARS:
        warn(("headline",), f"headline is {len(release.headline)} characters "
                            f"(keep it under {MAX_HEADLINE_CHARS})")
    if len(release.summary) > MAX_SUMMARY_CHARS:
        path = ("summary",) if "summary" in (doc.data or {}) else ("body",)
        warn(path, f"summary is {len(release.summary)} characters "
                   f"(keep it under {MAX_SUMMARY_CHARS}; set 'summary' to shorten it)")
    if release.boilerplate:
        words = len(release.boilerplate.plain().split())
        if words > MAX_BOILERPLATE_WORDS:
            warn(("boilerplate",), f"boilerplate is {words} words "
                                   f"(keep it under {MAX_BOILERPLATE_WORDS})")
    for i, item in enumerate(release.media):
        if (item.file or item.url) and not item.credit:
            warn(("media", i, "credit"), "image without a credit")
    return found
