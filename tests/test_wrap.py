"""Wrapping properties: width, nothing lost or reordered, CJK counted as two, kinsoku."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import columns as width
from pressexport.wrap import NO_BREAK_AFTER, NO_BREAK_BEFORE, wrap
from pressexport.wrap import width as wrap_width

latin_words = st.lists(
    st.text(st.characters(codec="utf-8", categories=("Lu", "Ll", "Nd", "Po")), min_size=1,
            max_size=90).filter(lambda w: width(w) == len(w) and not any(c.isspace() for c in w)),
    min_size=1, max_size=60,
)
cjk_chars = st.sampled_from("中国国际移民组织培训杭州法律标准合作发展，。、（）「」")


@settings(max_examples=300)
@given(latin_words, st.integers(min_value=10, max_value=80))
def test_latin_words_kept_in_order_and_lines_fit(words: list[str], columns: int) -> None:
    lines = wrap(" ".join(words), columns)
    assert " ".join(lines).split() == words
    for line in lines:
        assert width(line) <= columns or len(line.split()) == 1, line


def unbreakable(line: str) -> bool:
    """True when kinsoku forbids every break inside `line` (it may then overflow)."""
    return all(b in NO_BREAK_BEFORE or a in NO_BREAK_AFTER for a, b in itertools.pairwise(line))


@settings(max_examples=300)
@given(st.lists(cjk_chars, min_size=1, max_size=200), st.integers(min_value=8, max_value=72))
def test_cjk_breaks_between_characters_gains_no_spaces(chars: list[str], columns: int) -> None:
    text = "".join(chars)
    lines = wrap(text, columns)
    assert "".join(lines) == text
    for line in lines:
        assert width(line) <= columns or unbreakable(line), line
    for before, after in itertools.pairwise(lines):
        assert after[0] not in NO_BREAK_BEFORE
        assert before[-1] not in NO_BREAK_AFTER


@given(st.text(st.sampled_from("中国Pär，。a （）」e\u0301한글ｆｕｌｌ"), max_size=40))
def test_wrapper_width_agrees_with_east_asian_width(text: str) -> None:
    assert wrap_width(text) == width(text)


def test_wide_characters_count_as_two() -> None:
    assert wrap_width("中国") == 4
    assert wrap_width("Pär") == 3
    lines = wrap("中" * 40, 72)
    assert lines == ["中" * 36, "中" * 4]


def test_long_url_stands_alone() -> None:
    url = "https://example.org/" + "a" * 80
    assert wrap(f"see {url} now", 72) == ["see", url, "now"]


def test_prefixes_for_folded_subject() -> None:
    lines = wrap("word " * 30, 30, "Subject: ", " ")
    assert lines[0].startswith("Subject: word")
    assert all(line.startswith(" word") for line in lines[1:])
    assert all(width(line) <= 30 for line in lines)


def test_long_url_after_a_reference_number_stands_alone() -> None:
    url = "https://example.org/" + "a" * 70
    assert wrap(url, 72, "[4] ", "    ") == ["[4]", "    " + url]
    assert wrap("https://example.org/short", 72, "[4] ", "    ") == [
        "[4] https://example.org/short"]


def test_the_narrow_fast_path_measures_as_the_general_one() -> None:
    # A text wholly of _NARROW is measured by its length and never broken inside a word: each
    # of its characters must be one column wide, and none of them wide.
    from wcwidth import wcwidth

    from pressexport.wrap import _NARROW

    narrow = [chr(c) for c in range(0x10000) if _NARROW.fullmatch(chr(c))]
    assert len(narrow) > 700
    assert [c for c in narrow if wcwidth(c) != 1] == []
    assert wrap_width("Genève – « Oui » : 10\u202fh") == len("Genève – « Oui » : 10\u202fh")
