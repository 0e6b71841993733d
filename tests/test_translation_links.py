"""Translations are declared on one side only and linked both ways (SPEC, Languages)."""

from __future__ import annotations

from pathlib import Path

from conftest import SEED_SLUG, Run, write_release
from pressexport.load import load_project
from pressexport.view import view

FRENCH = "2017-09-08-hangzhou-fr"
FRENCH_YAML = f"""\
headline: L'OIM organise une formation
date: 2017-09-08
dateline: Hangzhou
language: fr
translations:
  en: {SEED_SLUG}
body: |
  Premier paragraphe.
"""


def test_a_translation_declared_on_one_side_is_linked_on_both(workspace: Path) -> None:
    write_release(workspace, FRENCH, FRENCH_YAML)
    project = load_project(workspace / "source")
    english = project.release(SEED_SLUG)
    assert english.translations == (("fr", FRENCH),)
    assert project.release(FRENCH).translations == (("en", SEED_SLUG),)
    assert view(english).also_available == "Also available in Français"  # its own name


def test_two_releases_claiming_one_translation_in_the_same_language(workspace: Path,
                                                                      run: Run) -> None:
    write_release(workspace, FRENCH, FRENCH_YAML)
    write_release(workspace, "2017-09-08-other-fr", FRENCH_YAML)
    result = run(workspace, "validate")
    assert result.returncode == 2
    assert (f"2017-09-08-other-fr.yaml:6:7: translations.en: '{SEED_SLUG}' already has "
            f"'{FRENCH}' as its 'fr' translation") in result.stderr
    assert result.stderr.count("already has") == 1
