"""The plain-text email version, read back as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import (
    SEED_FACTS,
    SEED_HEADLINE,
    SEED_SLUG,
    Run,
    every_construct_release,
    write_release,
)
from conftest import columns as width
from pressexport.load import load_project
from pressexport.view import view
from pressexport.writers import Context
from pressexport.writers import text as text_writer
from samples import png_bytes


def build_text(run: Run, workspace: Path, slug: str = SEED_SLUG, *args: str) -> str:
    result = run(workspace, "email", slug, "-q", *args)
    assert result.returncode == 0, result.stderr
    return (workspace / "out" / slug / f"{slug}.txt").read_text(encoding="utf-8")


@pytest.fixture
def seed_text(workspace: Path, run: Run) -> str:
    return build_text(run, workspace)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_seed_facts_in_spec_order(seed_text: str) -> None:
    body = flat(seed_text.split("\n\n", 1)[1])  # after the Subject line
    order = ["FOR IMMEDIATE RELEASE", *SEED_FACTS[:3],
             "Hangzhou, 8 September 2017 – IOM, the UN Migration Agency", *SEED_FACTS[6:],
             ]
    positions = [body.find(flat(fact)) for fact in order]
    assert -1 not in positions, [f for f, p in zip(order, positions, strict=True) if p < 0]
    # The end mark stands between the photo note and the contact.
    positions.insert(-3, body.find("-ENDS-"))
    assert positions == sorted(positions)


def test_subject_line_then_blank_line(seed_text: str) -> None:
    lines = seed_text.splitlines()
    assert lines[0].startswith("Subject: IOM, China’s Bureau")
    first_blank = lines.index("")
    assert all(line.startswith(" ") for line in lines[1:first_blank])
    unfolded = "".join(lines[:first_blank]).removeprefix("Subject: ")
    assert unfolded == flat(SEED_HEADLINE)


def test_no_email_label_when_contact_has_none(seed_text: str) -> None:
    assert "Email" not in seed_text and "email" not in seed_text.lower().replace("e-mail", "")


def test_lines_fit_72_columns_and_no_markdown_left(workspace: Path, run: Run) -> None:
    every_construct_release(workspace)
    text = build_text(run, workspace, "2024-11-20-every-construct")
    for line in text.splitlines():
        assert width(line) <= 72 or " " not in line.strip(), line
    for syntax in ("**", "](", "`", "\\", "## ", "<https"):
        assert syntax not in text, syntax
    assert not re.search(r"^\s*[>#*-] ", text, re.MULTILINE)
    assert "*emphasis*" not in text and "emphasis" in text


def test_links_numbered_in_order_and_listed_at_end(workspace: Path, run: Run) -> None:
    every_construct_release(workspace)
    text = build_text(run, workspace, "2024-11-20-every-construct")
    assert "a link [1]" in flat(text)
    assert "second link [2]" in flat(text)
    assert "first link again [1]" in flat(text)  # the same URL keeps its number
    assert "https://example.org/c" in text  # an autolink is its own text
    tail = text.rsplit("Links\n", 1)[1].splitlines()
    assert tail == ["[1] https://example.org/a", "[2] https://example.org/b"]


def test_every_construct_rendered(workspace: Path, run: Run) -> None:
    every_construct_release(workspace)
    text = build_text(run, workspace, "2024-11-20-every-construct")
    assert "\nA subhead\n" in text and "\nA smaller subhead\n" in text
    assert "• A bullet with a second link [2]" in text
    assert "  • A nested bullet" in text
    assert "1. First numbered" in text and "   1. Nested numbered" in text
    assert '    "A block quote," said someone.' in text
    assert "A line with a hard break\nafter it" in text
    assert "Email: ana@example.org" in text


def test_an_image_file_is_referenced_by_one_unbroken_percent_encoded_url(
        workspace: Path, seed_yaml: Path) -> None:
    name = "photos/training session Zürich.png"
    (workspace / "source" / "media" / "photos").mkdir(parents=True)
    (workspace / "source" / "media" / name).write_bytes(png_bytes())
    credit = "    credit: IOM 2017\n"
    seed_yaml.write_text(seed_yaml.read_text(encoding="utf-8").replace(
        credit, credit + f"    file: {name}\n    alt: Delegates\n"), encoding="utf-8")
    project = load_project(workspace / "source")
    text = text_writer.render(view(project.release(SEED_SLUG)), Context(project, None))
    assert "in Hangzhou, China. [1] Photo: IOM 2017 -ENDS-" in flat(text)
    url = (f"https://newsroom.example.org/iom-china/{SEED_SLUG}/media/"
           "photos/training%20session%20Z%C3%BCrich.png")
    assert text[text.index("\nLinks\n"):].split() == ["Links", "[1]", url]  # one token


def test_ap_house_style(workspace: Path, run: Run) -> None:
    site = workspace / "source" / "site.yaml"
    site.write_text(site.read_text().replace("house: un", "house: ap"))
    text = build_text(run, workspace)
    assert "HANGZHOU, Sept. 8, 2017 — IOM, the UN Migration Agency" in flat(text)
    assert "\n###\n" in text and "-ENDS-" not in text


def test_embargo_notice_and_subject(workspace: Path, run: Run, seed_yaml: Path) -> None:
    seed_yaml.write_text(seed_yaml.read_text() + "embargo: 2017-09-08T10:00\n")
    text = build_text(run, workspace)
    assert "EMBARGOED UNTIL 10:00 China Standard Time (02:00 UTC), 8 September 2017" in text
    assert "FOR IMMEDIATE RELEASE" not in text
    assert flat(text).startswith("Subject: [EMBARGOED until 10:00 China Standard Time "
                                 "(02:00 UTC), 8 September "
                                 "2017] IOM, China’s Bureau")


CHINESE = """\
headline: 国际移民组织与中国公安部出入境管理局举办国际移民法与国际标准培训
date: 2017-09-08
language: zh-Hans
dateline: 杭州
body: |
  联合国移民机构国际移民组织与中国公安部出入境管理局今天（9月8日）联合举办“国际移民法与国际标准”培训，来自公安部和各省公安厅的33名中国官员参加了培训。本次培训在欧盟资助的中欧移民与人员流动对话支持项目框架下举办。
contacts:
  - name: 张三
    phone: "+86 10 0000 0000"
"""


def test_chinese_release(workspace: Path, run: Run) -> None:
    write_release(workspace, "2017-09-08-zh", CHINESE)
    text = build_text(run, workspace, "2017-09-08-zh")
    assert "即时发布" in text and "-完-" in text and "联系人" in text and "电话：+86" in text
    joined = "".join(line for line in text.splitlines())
    lead = "杭州，2017年9月8日——联合国移民机构国际移民组织与中国公安部出入境管理局今天（9月8日）"
    assert lead in joined
    body_lines = [line for line in text.splitlines() if "移民" in line or "培训" in line]
    assert all(width(line) <= 72 for line in text.splitlines())
    assert any(width(line) > 60 for line in body_lines)  # filled, not broken early
    for line in text.splitlines()[1:]:
        assert not line or line[0] not in "，。、）」"


def test_user_template_overrides_default(workspace: Path, run: Run) -> None:
    templates = workspace / "mytemplates" / "text"
    templates.mkdir(parents=True)
    (templates / "release.txt.j2").write_text(
        '{% extends "default/text/release.txt.j2" %}{% block footer %}'
        'Sent by the press office.\n{% endblock %}'
    )
    text = build_text(run, workspace, SEED_SLUG, "--templates", str(workspace / "mytemplates"))
    assert text.rstrip().endswith("Sent by the press office.")
    assert "Etienne Micallef" in text


def test_chinese_links_and_embargo_gain_no_spaces(workspace: Path, run: Run) -> None:
    text = CHINESE.replace("框架下举办。", "框架下举办。详见[项目网站](https://example.org/zh)。")
    write_release(workspace, "2017-09-08-zh", text + "embargo: 2017-09-08T10:00\n")
    out = build_text(run, workspace, "2017-09-08-zh")
    joined = "".join(out.splitlines())
    assert "详见项目网站[1]。" in joined
    assert "禁发至2017年9月8日 10:00 中国标准时间（UTC 02:00）" in out
    assert "[1] https://example.org/zh" in out
