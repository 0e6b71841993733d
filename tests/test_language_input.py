"""The language catalogues, the typography rules, and site.yaml's text per language and topics
map as `validate` and the newsroom read them."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import jsonschema
import pytest
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from conftest import Run, write_release
from pressexport import i18n, typography
from pressexport.layout import RESERVED_SLUGS
from pressexport.model import Site
from pressexport.typography import NNBSP, runs, typeset

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh_Hans")


def test_six_catalogues_a_translator_can_read() -> None:
    assert i18n.catalogues() == LANGUAGES
    english = i18n.labels("en")
    for folder in LANGUAGES:
        with i18n.catalogue_path(folder).open("rb") as handle:
            catalog = read_po(handle)
        entries = {m.context: m for m in catalog if m.context}
        assert set(entries) == set(i18n.KEYS), folder
        for key, message in entries.items():
            assert message.string and not message.fuzzy, (folder, key)
            placeholders = set(re.findall(r"\{\w+\}", message.string))
            assert placeholders == set(re.findall(r"\{\w+\}", getattr(english, key)))
            if folder != "en":  # where the wording comes from, for the translator
                assert any(c.startswith("Source: ") for c in message.user_comments), (folder, key)


@pytest.mark.parametrize(("tag", "folder"), [("fr-CH", "fr"), ("zh", "zh_Hans"),
                                             ("zh-Hans-CN", "zh_Hans"), ("zh-TW", "en"),
                                             ("de", "en"), ("ar-EG", "ar")])
def test_a_tag_finds_its_catalogue(tag: str, folder: str) -> None:
    assert i18n.catalogue_for(tag) == folder


def test_languages_are_named_in_their_own_language() -> None:
    names = [i18n.native_name(tag) for tag in ("en", "fr", "es", "ru", "ar", "zh-Hans")]
    assert names == ["English", "Français", "Español", "Русский", "العربية", "中文"]


def test_french_spacing() -> None:
    assert typeset("Il a dit : « Non » ! Pourquoi ? 10:00, https://x.org/?q=1", "fr") == (
        f"Il a dit{NNBSP}: «{NNBSP}Non{NNBSP}»{NNBSP}! Pourquoi{NNBSP}? 10:00, "
        "https://x.org/?q=1")
    assert typeset("Quoi?", "fr") == f"Quoi{NNBSP}?"
    assert typeset("Quoi?", "en") == "Quoi?"


def test_chinese_punctuation_gains_no_western_spaces() -> None:
    assert typeset("中英文混排： Example Org 与示例组织 。", "zh-Hans") == \
        "中英文混排：Example Org 与示例组织。"


@given(st.text(alphabet=st.sampled_from("ab :;?!«» .\u00a0\u202f1/h"), max_size=40))
def test_typography_is_idempotent_and_changes_only_spaces(text: str) -> None:
    once = typeset(text, "fr")
    assert typeset(once, "fr") == once
    def letters(s: str) -> str:
        return re.sub(r"[\s\u00a0\u202f]", "", s)
    assert letters(once) == letters(text)


@given(st.text(alphabet=st.sampled_from("ab ЖдعربZ中文，。’ 12-"), max_size=40))
def test_runs_cover_the_text_in_order(text: str) -> None:
    for language in ("zh-Hans", "ar", "en"):
        found = runs(text, language, "en")
        assert "".join(run.text for run in found) == text
        assert all(run.text.strip() for run in found if run.language)


def test_the_latin_fast_path_skips_only_characters_of_no_other_script() -> None:
    # A text in a Latin-script language without a character of _BEYOND_LATIN is taken whole
    # as its own script, unread: each such character must have no family, or Latin's.
    from pressexport.typography import _BEYOND_LATIN, _family

    skipped = [chr(c) for c in range(0x10000) if not _BEYOND_LATIN.match(chr(c))]
    assert len(skipped) > 900
    assert [c for c in skipped if _family(c) not in (None, "Latn")] == []
    assert runs("“Ninety-two” — Genève, 10 a.m.", "fr", "en") == \
        [typography.Run("“Ninety-two” — Genève, 10 a.m.")]


def test_a_character_latin_shares_with_other_scripts_is_no_run_of_its_own() -> None:
    assert runs("Geneva · New York", "en", "en") == [typography.Run("Geneva · New York")]
    vietnamese = unicodedata.normalize("NFD", "Hà Nội")  # o, combining horn, dot below
    assert runs(vietnamese, "vi", "en") == [typography.Run(vietnamese)]
    assert runs("马丁·路德", "zh-Hans", "en") == [typography.Run("马丁·路德")]


def test_a_latin_run_is_marked_with_the_sites_language() -> None:
    assert [r.language for r in runs("في Genève قال", "ar", "fr")] == [None, "fr", None]
    assert [r.language for r in runs("в Женеве", "ru", "zh-Hans")] == [None]
    assert [r.language for r in runs("IOM China’s office", "zh-Hans", "ar")] == ["en"]


def site_yaml(workspace: Path, replace: str, by: str) -> None:
    path = workspace / "source" / "site.yaml"
    text = path.read_text(encoding="utf-8")
    assert replace in text
    path.write_text(text.replace(replace, by), encoding="utf-8")


ORG = "  name: International Organization for Migration\n"


def test_site_text_maps_are_checked_where_they_are_written(workspace: Path, run: Run) -> None:
    site_yaml(workspace, ORG, "  name:\n    fr: Organisation internationale pour les migrations\n"
                              "    'e n': x\n")
    site_yaml(workspace, "  title: IOM China newsroom\n", "  title: [IOM]\n")
    result = run(workspace, "validate")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert any(re.match(r"source/site.yaml:6:5: organization.name.e n: key: 'e n' is not a "
                        "BCP 47", line) for line in lines), lines
    assert any(line.startswith("source/site.yaml:11:10: site.title: expected text, or a map")
               for line in lines), lines
    assert not any("<map>" in line or "<text>" in line for line in lines)


def test_a_map_needs_the_site_language(workspace: Path, run: Run) -> None:
    site_yaml(workspace, ORG, "  name:\n    fr: Organisation internationale pour les migrations\n")
    result = run(workspace, "validate")
    assert result.returncode == 2
    assert "source/site.yaml:5:5: organization.name: no text for 'en' (site.language)" \
        in result.stderr


def test_a_release_language_the_map_lacks_falls_back_with_a_warning(workspace: Path,
                                                                    run: Run) -> None:
    site_yaml(workspace, ORG, "  name:\n    en: International Organization for Migration\n"
                              "    zh-Hans: 国际移民组织\n")
    write_release(workspace, "2024-11-20-fr", "headline: Essai\ndate: 2024-11-20\n"
                  "dateline: Genève\nlanguage: fr\nbody: Texte.\n")
    write_release(workspace, "2024-11-20-zh", "headline: 测试\ndate: 2024-11-20\n"
                  "dateline: 北京\nlanguage: zh-Hans\nbody: 正文。\n")
    result = run(workspace, "validate")
    assert result.returncode == 0, result.stderr
    assert ("source/site.yaml:5:5: organization.name: warning: no text for 'fr' (used by a "
            "release): its releases show the 'en' text") in result.stderr
    assert "'zh-Hans'" not in result.stderr
    assert run(workspace, "all", "-q").returncode == 0
    text = (workspace / "out" / "2024-11-20-zh" / "2024-11-20-zh.txt").read_text()
    assert "国际移民组织" in text
    french = (workspace / "out" / "2024-11-20-fr" / "2024-11-20-fr.txt").read_text()
    assert "International Organization for Migration" in french


def test_the_about_title_may_be_given_per_language(workspace: Path, run: Run) -> None:
    site_yaml(workspace, "  short_name: IOM\n",
              "  short_name: {en: IOM, fr: OIM}\n  about: {en: About IOM, fr: À propos de l’OIM}\n"
              "  boilerplate: {en: IOM is the UN Migration Agency., fr: L’OIM est l’agence.}\n")
    write_release(workspace, "2024-11-20-fr", "headline: Essai\ndate: 2024-11-20\n"
                  "dateline: Genève\nlanguage: fr\nbody: Texte.\n")
    assert run(workspace, "all", "-q").returncode == 0
    text = (workspace / "out" / "2024-11-20-fr" / "2024-11-20-fr.txt").read_text()
    assert "À propos de l’OIM\n\nL’OIM est l’agence." in text
    seed = next((workspace / "out").glob("2017-*/*.txt")).read_text()
    assert "About IOM\n\nIOM is the UN Migration Agency." in seed


def test_a_reserved_slug_is_an_input_error(workspace: Path, run: Run) -> None:
    assert {"topics", "languages", "media", "index", "atom", "rss", "sitemap"} <= RESERVED_SLUGS
    write_release(workspace, "topics", "headline: X\ndate: 2024-11-20\ndateline: Geneva\n"
                  "body: Text.\n")
    result = run(workspace, "validate")
    assert result.returncode == 2
    assert "source/releases/topics.yaml:1:1: 'topics' is one of the site's own names" \
        in result.stderr


TOPICS = """\
topics:
  capacity-building:
    en: Capacity Building
    fr: Renforcement des capacités
"""


def test_topics_map_gathers_every_language_by_key(workspace: Path, run: Run) -> None:
    (workspace / "source" / "site.yaml").open("a", encoding="utf-8").write(TOPICS)
    write_release(workspace, "2024-11-20-fr", "headline: Essai\ndate: 2024-11-20\n"
                  "dateline: Genève\nlanguage: fr\ntopics: [capacity-building]\nbody: Texte.\n")
    write_release(workspace, "2024-11-21-fr", "headline: Essai 2\ndate: 2024-11-21\n"
                  "dateline: Genève\nlanguage: fr\ntopics: [Renforcement des capacités]\n"
                  "body: Texte.\n")
    assert run(workspace, "all", "-q").returncode == 0
    out = workspace / "out"
    atom = (out / "topics" / "capacity-building" / "atom.xml").read_text()
    assert atom.count("<entry") == 3  # the seed (English) and both French releases
    assert "<title>IOM China press releases: Capacity Building</title>" in atom
    text = (out / "2024-11-20-fr" / "2024-11-20-fr.txt").read_text()
    assert "Renforcement des capacités" in text
    assert sorted(p.name for p in (out / "topics").iterdir()) == ["capacity-building"]


def test_two_names_of_one_topic_are_an_error(workspace: Path, run: Run) -> None:
    (workspace / "source" / "site.yaml").open("a", encoding="utf-8").write(TOPICS)
    write_release(workspace, "2024-11-20-fr", "headline: Essai\ndate: 2024-11-20\n"
                  "dateline: Genève\nlanguage: fr\n"
                  "topics: [capacity-building, Renforcement des capacités]\nbody: Texte.\n")
    result = run(workspace, "validate")
    assert result.returncode == 2
    assert ("source/releases/2024-11-20-fr.yaml:5:29: topics[1]: 'capacity-building' and "
            "'Renforcement des capacités' are one topic") in result.stderr


def test_the_site_schema_covers_text_per_language(workspace: Path, run: Run) -> None:
    printed = run(workspace, "schema", "--site")
    assert printed.returncode == 0
    schema = json.loads(printed.stdout)
    assert schema["title"] == Site.model_json_schema()["title"]
    site = {"organization": {"name": {"en": "UN", "fr": "ONU"}, "short_name": "UN"},
            "site": {"title": "News", "base_url": "https://example.org/"},
            "email": {"from": "press@example.org"},
            "contacts": [{"name": "A", "role": {"en": "Spokesperson", "fr": "Porte-parole"}}],
            "topics": {"health": {"en": "Health", "fr": "Santé"}}}
    jsonschema.validate(site, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**site, "organization": {"name": ["UN"]}}, schema)
