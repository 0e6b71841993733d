"""Two bounded properties (issue 13, item 9): any release file, random or a mutation of a good one,
gives a loaded project or located input errors, never another exception; and any release that
validates renders in every format."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image

from conftest import ROOT, SEED_SLUG
from pressexport.build import BuildOptions, build
from pressexport.errors import InputError
from pressexport.load import load_project

SEED = (ROOT / "source" / "releases" / f"{SEED_SLUG}.yaml").read_text(encoding="utf-8")
SLUG = "2024-11-20-property"
LOCATED = re.compile(r"[^\n]+:[1-9]\d*:[1-9]\d*: [^\n]+")
#: Pieces of YAML and of trouble to splice into a good release.
PIECES = [*":-[]{}&*!|>'\"#%@`,?\n\t ", "\n  ", "- ", ": ", "&a ", "*a", "!!str ", "!!binary ",
          "<<: *a", "---\n", "...\n", "\\e", "\\u2028", "\\x9b", "\ufeff", "\u2028", "\x00",
          "\x1b[2J", "<b>", "&#xe000;", "[x](javascript:1)", "\ue000", "\ufdd0", "中文", "…",
          "[" * 30, "{a: " * 25, "media:\n  - file: ../site.yaml\n", "date: 2024-13-45\n"]
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                          HealthCheck.too_slow])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A source folder with site.yaml and no release, reused by every example."""
    workspace = tmp_path_factory.mktemp("properties")
    shutil.copytree(ROOT / "source", workspace / "source")
    (workspace / "source" / "releases" / f"{SEED_SLUG}.yaml").unlink()
    for name, mode in (("photo.png", "RGB"), ("cmyk.jpg", "CMYK")):
        Image.new(mode, (120, 80)).save(workspace / "source" / "media" / name)
    return workspace


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """The seed release with a few pieces inserted, deleted or replaced."""
    text = SEED
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, len(text)))
        end = min(len(text), start + draw(st.integers(0, 40)))
        piece = draw(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)))
        text = text[:start] + piece + text[end if draw(st.booleans()) else start:]
    return text.encode("utf-8", "surrogatepass")


RELEASE_FILES = st.one_of(mutated(), st.text(max_size=200).map(str.encode),
                          st.binary(max_size=200))


@settings(SETTINGS, max_examples=300)
@given(data=RELEASE_FILES)
def test_any_release_file_loads_or_gives_located_errors(folder: Path, data: bytes) -> None:
    path = folder / "source" / "releases" / f"{SLUG}.yaml"
    path.write_bytes(data)
    try:
        load_project(folder / "source")
    except InputError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert LOCATED.fullmatch(str(problem)), str(problem)
            assert problem.file.endswith(f"{SLUG}.yaml"), str(problem)


#: Text from the scripts the installed fonts cover (so that a PDF can draw what validates),
#: Markdown's and YAML's own characters included.
TEXT = st.text(st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0xA0, max_codepoint=0x17F),  # Latin-1, Latin Extended-A
    st.characters(min_codepoint=0x391, max_codepoint=0x3C9),  # Greek
    st.characters(min_codepoint=0x410, max_codepoint=0x44F),  # Cyrillic
    st.characters(min_codepoint=0x621, max_codepoint=0x64A),  # Arabic
    st.characters(min_codepoint=0x2010, max_codepoint=0x2027),  # punctuation
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),  # CJK
    st.characters(min_codepoint=0x1F600, max_codepoint=0x1F64F),  # emoji
), min_size=1, max_size=40)
#: A line, sometimes one very long word (PDF, DOCX and text must break it somewhere).
LINE = st.one_of(TEXT, TEXT.map(lambda text: text.replace(" ", "") * 12))
MARKDOWN = st.lists(st.one_of(
    TEXT, TEXT.map("*{}*".format), TEXT.map("**{}**".format), TEXT.map("## {}".format),
    TEXT.map("> {}".format), TEXT.map("- {}".format), TEXT.map("1. {}".format),
    TEXT.map("[{}](https://example.org/a)".format),
), min_size=1, max_size=4).map("\n\n".join)


def _release(headline: str, dateline: str, body: str, topics: list[str], language: str,
             extra: dict[str, object]) -> dict[str, object]:
    return {"headline": headline, "date": "2024-11-20", "dateline": dateline, "body": body,
            "topics": topics, "language": language, **extra}


MEDIA = st.one_of(
    st.fixed_dictionaries({"caption": TEXT, "credit": TEXT}),
    st.fixed_dictionaries({"caption": TEXT, "file": st.sampled_from(["photo.png", "cmyk.jpg"]),
                           "alt": TEXT}),
)
RELEASES = st.builds(
    _release, LINE, LINE, MARKDOWN, st.lists(TEXT, max_size=2),
    st.sampled_from(["en", "zh-Hans", "fr", "ar", "ru", "es"]),
    st.fixed_dictionaries({}, optional={
        "subheadline": TEXT, "summary": TEXT, "notes_to_editors": MARKDOWN,
        "media": st.lists(MEDIA, max_size=2),
        "contacts": st.lists(st.fixed_dictionaries({"name": TEXT, "phone": TEXT}), max_size=1),
        "embargo": st.just("2024-11-20T10:00"),
    }))


@settings(SETTINGS, max_examples=20)
@given(release=RELEASES)
def test_a_release_that_validates_renders_in_every_format(folder: Path,
                                                          release: dict[str, object]) -> None:
    (folder / "source" / "releases" / f"{SLUG}.yaml").write_text(
        yaml.safe_dump(release, allow_unicode=True), encoding="utf-8")
    shutil.rmtree(folder / "out", ignore_errors=True)
    try:
        load_project(folder / "source")
    except InputError as exc:
        assert all(LOCATED.fullmatch(str(problem)) for problem in exc.problems)
        event("invalid")
        return
    event("rendered")
    report = build(BuildOptions(folder / "source", folder / "out", None, jobs=1))
    assert not report.failures
    assert (folder / "out" / SLUG / f"{SLUG}.eml").is_file()
    assert (folder / "out" / "atom.xml").is_file()
