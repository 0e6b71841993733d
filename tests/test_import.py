"""`pressexport import`: our DOCX back to the release field by field (edited in python-docx and
re-saved by LibreOffice too), drafts typed in Word in three languages, and every refusal."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from conftest import SEED_SLUG, Run, every_construct_release, libreoffice, run_cli, tree_bytes
from pressexport.load import load_project
from pressexport.markup import Markdown
from pressexport.model import Release
from pressexport.view import view
from pressexport.wordimport import ours
from pressexport.wordimport.command import Options, run
from pressexport.writers import Context
from pressexport.writers.word import STYLES, render
from samples import CHINESE_SLUG, KITCHEN_SLUG, layout_workspace

EVERY = "2024-11-20-every-construct"
SLUGS = (SEED_SLUG, KITCHEN_SLUG, CHINESE_SLUG, EVERY)
FIELDS = ("headline", "subheadline", "date", "updated", "id", "embargo", "language", "dateline",
          "topics", "summary", "media", "contacts", "translations")
MARKDOWN_FIELDS = ("body", "correction", "notes_to_editors", "boilerplate")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples' workspace with each release's DOCX under docx/."""
    folder = layout_workspace(tmp_path_factory.mktemp("import"), page_size="A4")
    every_construct_release(folder, EVERY)
    ctx = Context(load_project(folder / "source"), None)
    (folder / "docx").mkdir()
    for slug in SLUGS:
        (folder / "docx" / f"{slug}.docx").write_bytes(render(view(ctx.project.release(slug)),
                                                                ctx))
    return folder


@pytest.fixture
def ws(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built workspace for one test."""
    shutil.copytree(built, tmp_path / "ws")
    return tmp_path / "ws"


def normal(markdown: Markdown | None) -> str | None:
    """Markdown compared as what it shows: its HTML, code spans as text (the Word version
    prints them plain), list items without paragraphs, whitespace collapsed."""
    if markdown is None:
        return None
    html = re.sub(r"</?code>", "", markdown.html())
    html = re.sub(r"<li>\s*<p>(.*?)</p>", r"<li>\1", html, flags=re.S)
    html = re.sub(r"</p>\s*<p>", "</p><p>", html)
    return " ".join(html.replace("</p>\n</li>", "</li>").split())


def same_release(got: Release, want: Release) -> None:
    """Field by field, Markdown after normalisation."""
    for name in FIELDS:
        assert getattr(got, name) == getattr(want, name), name
    for name in MARKDOWN_FIELDS:
        assert normal(getattr(got, name)) == normal(getattr(want, name)), name


def import_back(ws: Path, docx_path: Path, **options: object) -> Path:
    return run(docx_path, ws / "source", Options(force=True, **options)).path


@pytest.mark.parametrize("slug", SLUGS)
def test_docx_then_import_gives_back_the_release(ws: Path, slug: str) -> None:
    before = load_project(ws / "source").release(slug)
    path = import_back(ws, ws / "docx" / f"{slug}.docx")
    assert path == ws / "source" / "releases" / f"{slug}.yaml"
    same_release(load_project(ws / "source").release(slug), before)


def test_the_yaml_reads_like_one_a_person_wrote(ws: Path) -> None:
    text = import_back(ws, ws / "docx" / f"{CHINESE_SLUG}.docx").read_text(encoding="utf-8")
    keys = [line.split(":")[0] for line in text.splitlines() if re.match(r"^\w", line)]
    # no translations: the English release declares the link (it shows on both sides)
    assert keys == ["headline", "subheadline", "date", "language", "dateline", "body", "media",
                    "contacts"]
    assert "headline: 示例组织发布中文排版测试新闻稿\n" in text  # Unicode as is
    assert "body: |\n" in text and "!!" not in text and "\\u" not in text
    assert "  - name: 张伟\n    organization: 示例组织\n" in text
    text = import_back(ws, ws / "docx" / f"{KITCHEN_SLUG}.docx").read_text(encoding="utf-8")
    assert max(len(line) for line in text.splitlines()) <= 88
    assert "date: 2024-11-20T09:00\n" in text and "embargo: 2024-11-20T10:00\n" in text
    assert "contacts:" in text and "boilerplate: |\n" in text


def test_defaults_of_site_yaml_are_not_copied(ws: Path) -> None:
    site = ws / "source" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + (
        "contacts:\n  - name: Ana Example\n    email: ana@example.org\n"), encoding="utf-8")
    text = import_back(ws, ws / "docx" / f"{EVERY}.docx").read_text(encoding="utf-8")
    assert "contacts" not in text and "summary" not in text and "language" not in text


def _edit(path: Path) -> None:
    """A sentence changed, a paragraph added, one deleted, a quote moved, the headline
    reworded: as an editor does in Word."""
    document = docx.Document(str(path))
    paragraphs = document.paragraphs
    title = next(p for p in paragraphs if p.style.name == "Title")
    title.runs[0].text = "IOM and China Train 33 Officials in International Migration Law"
    body = [p for p in paragraphs if p.style.name == "Normal"][:5]
    body[1].runs[0].text = body[1].runs[0].text.replace("Organized under", "Held under")
    body[2]._p.addprevious(body[3]._p)  # the Liljert quote now comes before the Liu Liu one
    added = body[4].insert_paragraph_before("A paragraph the editor added.", style="Normal")
    assert added.text
    body[4]._p.getparent().remove(body[4]._p)
    document.save(str(path))


EDITED_BODY = """\
IOM, the UN Migration Agency, and the Bureau of Exit and Entry Administration of China’s \
Ministry of Public Security (MPS) is today (8/9) holding a joint training on ‘International \
Migration Law and International Standards’ for 33 Chinese officials from the MPS and Provincial \
Security Bureaus.
"""


def _expected_edit(before: Release) -> list[str]:
    paragraphs = before.body.source.strip().split("\n\n")
    return [paragraphs[0], paragraphs[1].replace("Organized under", "Held under"),
            paragraphs[3], paragraphs[2], "A paragraph the editor added."]


def _check_edit(ws: Path, before: Release, path: Path) -> None:
    import_back(ws, path)
    after = load_project(ws / "source").release(SEED_SLUG)
    assert after.headline == "IOM and China Train 33 Officials in International Migration Law"
    want = Markdown.parse("\n\n".join(_expected_edit(before)) + "\n")
    assert normal(after.body) == normal(want)
    assert after.body.first_paragraph() == " ".join(EDITED_BODY.split())
    for name in FIELDS:
        if name != "headline":
            assert getattr(after, name) == getattr(before, name), name


def test_an_edit_made_with_python_docx_is_exactly_what_changes(ws: Path) -> None:
    before = load_project(ws / "source").release(SEED_SLUG)
    path = ws / "docx" / f"{SEED_SLUG}.docx"
    _edit(path)
    _check_edit(ws, before, path)


def test_a_libreoffice_resave_keeps_the_release_and_the_edit(ws: Path) -> None:
    """One soffice run re-saves an edited seed and the every-construct sample."""
    before = load_project(ws / "source")
    _edit(ws / "docx" / f"{SEED_SLUG}.docx")
    saved = libreoffice([ws / "docx" / f"{slug}.docx" for slug in (SEED_SLUG, KITCHEN_SLUG)],
                        "docx", ws / "lo")
    with zipfile.ZipFile(saved[KITCHEN_SLUG]) as package:
        assert "docProps/custom.xml" in package.namelist()  # the metadata survived
    import_back(ws, saved[KITCHEN_SLUG])
    same_release(load_project(ws / "source").release(KITCHEN_SLUG),
                 before.release(KITCHEN_SLUG))
    _check_edit(ws, before.release(SEED_SLUG), saved[SEED_SLUG])


def test_a_translated_document_makes_a_linked_translation(ws: Path, run: Run) -> None:
    english = ws / "source" / "releases" / f"{SEED_SLUG}.yaml"
    original = english.read_bytes()
    result = run(ws, "import", f"docx/{SEED_SLUG}.docx", "--language", "fr", "--slug",
                 f"{SEED_SLUG}-fr")
    assert result.returncode == 0, result.stderr
    french = (ws / "source" / "releases" / f"{SEED_SLUG}-fr.yaml").read_text(encoding="utf-8")
    assert f"translations:\n  en: {SEED_SLUG}\n" in french and "language: fr\n" in french
    assert "id:" not in french
    assert english.read_bytes() == original
    project = load_project(ws / "source")
    assert project.release(SEED_SLUG).translations == (("fr", f"{SEED_SLUG}-fr"),)
    assert run(ws, "validate").returncode == 0


def test_the_styles_the_importer_reads_are_the_writers() -> None:
    assert set(STYLES) >= ours.STYLES


# --- drafts typed in Word ----------------------------------------------------------------------

def _link(paragraph, text: str, url: str) -> None:
    element = OxmlElement("w:hyperlink")
    element.set(qn("r:id"), paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True))
    run = OxmlElement("w:r")
    run_text = OxmlElement("w:t")
    run_text.text = text
    run.append(run_text)
    element.append(run)
    paragraph._p.append(element)


def _draft(path: Path, lines: list[tuple[str, str]]) -> Path:
    """A DOCX from python-docx's default template: (style or marks, text) per paragraph;
    `bold`/`italic` mark the whole paragraph; `lead` adds a bold run, a link and an italic run."""
    document = docx.Document()
    for kind, text in lines:
        if kind in ("bold", "italic"):
            run = document.add_paragraph().add_run(text)
            setattr(run, kind, True)
        elif kind == "lead":
            p = document.add_paragraph(text)
            p.add_run(" strongly").bold = True
            p.add_run(", see ")
            _link(p, "the report", "https://example.org/report")
            p.add_run(" and ")
            p.add_run("this").italic = True
            p.add_run(".")
        else:
            document.add_paragraph(text, style=kind or None)
    document.save(str(path))
    return path


ENGLISH_DRAFT = [
    ("", "Internal draft v3, do not circulate"),
    ("", "PRESS RELEASE"),
    ("", "EMBARGOED UNTIL 10:00 GMT, 20 November 2024"),
    ("Title", "Example Org Opens a Training Centre"),
    ("italic", "Thirty officials attend the first course"),
    ("lead", "GENEVA, 20 November 2024 – Example Org today opened a centre"),
    ("", "A second paragraph."),
    ("bold", "What comes next"),
    ("List Bullet", "First point"),
    ("List Bullet", "Second point"),
    ("List Number", "Step one"),
    ("List Number", "Step two"),
    ("", "-ENDS-"),
    ("", "Notes to editors:"),
    ("", "The centre is in Geneva."),
    ("", "For further information, please contact:"),
    ("", "Jane Doe\nMedia Officer\nTel: +41 22 000 00 00\nEmail: jane.doe@example.org"),
    ("", "About Example Org"),
    ("", "Example Org is a sample organisation."),
]


def test_an_english_draft_becomes_a_release(tmp_path: Path, workspace: Path, run: Run) -> None:
    draft = _draft(workspace / "draft.docx", ENGLISH_DRAFT)
    result = run(workspace, "import", "draft.docx")
    assert result.returncode == 0, result.stderr
    assert "draft.docx:1:1: not imported (before the headline): 'Internal draft v3, do not " \
           "circulate'" in result.stderr
    assert draft.is_file()
    path = workspace / "source" / "releases" / "2024-11-20-example-org-opens-a-training-centre.yaml"
    assert result.stdout.strip() == f"wrote {path.relative_to(workspace)}"
    release = load_project(workspace / "source").release(path.stem)
    assert release.headline == "Example Org Opens a Training Centre"
    assert release.subheadline == "Thirty officials attend the first course"
    assert release.dateline == "Geneva"
    assert release.date.isoformat() == "2024-11-20T00:00:00+08:00"
    assert release.embargo.isoformat() == "2024-11-20T18:00:00+08:00"  # 10:00 GMT
    assert normal(release.body) == normal(Markdown.parse(
        "Example Org today opened a centre **strongly**, see "
        "[the report](https://example.org/report) and *this*.\n\n"
        "A second paragraph.\n\n## What comes next\n\n- First point\n- Second point\n\n"
        "1. Step one\n2. Step two\n"))
    assert release.notes_to_editors.source == "The centre is in Geneva.\n"
    assert release.boilerplate.source == "Example Org is a sample organisation.\n"
    assert [c.model_dump(exclude_none=True) for c in release.contacts] == [
        {"name": "Jane Doe", "role": "Media Officer", "phone": "+41 22 000 00 00",
         "email": "jane.doe@example.org"}]


FRENCH_DRAFT = [
    ("", "COMMUNIQUÉ DE PRESSE"),
    ("", "POUR DIFFUSION IMMÉDIATE"),
    ("bold", "L'organisation ouvre un centre de formation"),
    ("", "GENÈVE, 20 novembre 2024 – L'organisation a ouvert aujourd'hui un centre."),
    ("", "-FIN-"),
    ("", "Notes aux rédactions"),
    ("", "Le centre est à Genève."),
    ("", "Pour plus d'informations, veuillez contacter :"),
    ("", "Marie Exemple\nTél. : +41 22 000 00 02\nmarie@example.org"),
    ("", "À propos de l'organisation"),
    ("", "L'organisation est un exemple."),
]
CHINESE_DRAFT = [
    ("", "即时发布"),
    ("Title", "示例组织开设培训中心"),
    ("", "日内瓦，2024年11月20日——示例组织今天开设了培训中心。"),
    ("", "-完-"),
    ("", "编者注"),
    ("", "培训中心位于日内瓦。"),
    ("", "媒体联系人："),
    ("", "张伟\n电话：+86 10 0000 0000"),
    ("", "关于示例组织"),
    ("", "示例组织是一个示例。"),
]


@pytest.mark.parametrize(("lines", "language", "facts"), [
    (FRENCH_DRAFT, "fr", ("L'organisation ouvre un centre de formation", "Genève",
                          "L'organisation a ouvert aujourd'hui un centre.",
                          "Le centre est à Genève.", "Marie Exemple",
                          "L'organisation est un exemple.")),
    (CHINESE_DRAFT, "zh-Hans", ("示例组织开设培训中心", "日内瓦", "示例组织今天开设了培训中心。",
                                "培训中心位于日内瓦。", "张伟", "示例组织是一个示例。")),
], ids=["fr", "zh"])
def test_drafts_in_other_languages(workspace: Path, lines: list, language: str,
                                   facts: tuple[str, ...]) -> None:
    draft = _draft(workspace / "draft.docx", lines)
    path = run(draft, workspace / "source", Options(language=language, slug="draft")).path
    release = load_project(workspace / "source").release(path.stem)
    headline, place, body, notes, contact, about = facts
    assert (release.headline, release.dateline, release.language) == (headline, place, language)
    assert release.date.date().isoformat() == "2024-11-20" and release.embargo is None
    assert release.body.source.strip() == body
    assert release.notes_to_editors.source.strip() == notes
    assert release.contacts[0].name == contact and release.contacts[0].phone
    assert release.boilerplate.source.strip() == about


def test_a_draft_without_a_date_names_the_option(workspace: Path, run: Run) -> None:
    _draft(workspace / "draft.docx", [("Title", "A headline"), ("", "GENEVA – Text.")])
    before = tree_bytes(workspace / "source")
    result = run(workspace, "import", "draft.docx")
    assert result.returncode == 2
    assert "draft.docx:1:1: date: required field is missing" in result.stderr
    assert "--date" in result.stderr and "Traceback" not in result.stderr
    assert tree_bytes(workspace / "source") == before
    result = run(workspace, "import", "draft.docx", "--date", "2024-11-20")
    assert result.returncode == 0, result.stderr
    assert (workspace / "source" / "releases" / "2024-11-20-a-headline.yaml").is_file()


# --- refusals ----------------------------------------------------------------------------------

def _with_part(data: bytes, name: str, change) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {i.filename: source.read(i) for i in source.infolist()}
    entries[name] = change(entries.get(name, b""))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for key, value in entries.items():
            target.writestr(key, value)
    return out.getvalue()


def _external(kind: str, target: str):
    rel = (f'<Relationship Id="rId999" Type="http://schemas.openxmlformats.org/officeDocument/'
           f'2006/relationships/{kind}" Target="{target}" TargetMode="External"/>')
    return lambda xml: xml.replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def _bomb(data: bytes) -> bytes:
    return _with_part(data, "word/media/huge.bin", lambda _: b"\0" * (65 * 1024 * 1024))


REFUSALS = {
    "text": (lambda good: b"Just some text, not a document.\n", "not a Word document"),
    "encrypted": (lambda good: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000,
                  "encrypted or password-protected"),
    "zip-bomb": (_bomb, "inflates past"),
    "linked-image": (lambda good: _with_part(good, "word/_rels/document.xml.rels",
                                             _external("image", "file:///etc/passwd")),
                     "external image (file:///etc/passwd)"),
    "linked-template": (lambda good: _with_part(
        good, "word/_rels/settings.xml.rels",
        lambda xml: (xml or b'<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                     b'openxmlformats.org/package/2006/relationships"></Relationships>'))
        if False else _with_part(good, "word/_rels/document.xml.rels",
                                 _external("attachedTemplate", "http://example.org/t.dotx")),
        "external attachedTemplate"),
    "dtd": (lambda good: _with_part(good, "word/document.xml",
                                    lambda xml: xml.replace(b"?>", b"?><!DOCTYPE x [<!ENTITY a "
                                                            b"'a'>]>", 1)), "declares a DTD"),
}


@pytest.mark.parametrize("kind", sorted(REFUSALS))
def test_refused_documents_write_nothing(built: Path, workspace: Path, run: Run,
                                         kind: str) -> None:
    make, message = REFUSALS[kind]
    good = (built / "docx" / f"{EVERY}.docx").read_bytes()
    (workspace / "bad.docx").write_bytes(make(good))
    before = tree_bytes(workspace / "source")
    result = run(workspace, "import", "bad.docx", "--slug", "imported")
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("bad.docx: ") and message in result.stderr, result.stderr
    assert "nothing written" in result.stderr and "Traceback" not in result.stderr
    assert tree_bytes(workspace / "source") == before


def test_an_existing_release_is_kept_without_force(built: Path, workspace: Path,
                                                   run: Run) -> None:
    shutil.copy(built / "docx" / f"{SEED_SLUG}.docx", workspace / "seed.docx")
    before = tree_bytes(workspace / "source")
    result = run(workspace, "import", "seed.docx")
    assert result.returncode == 2
    assert f"{SEED_SLUG}.yaml already exists: use --force" in result.stderr
    assert tree_bytes(workspace / "source") == before
    assert run(workspace, "import", "seed.docx", "--force").returncode == 0


def test_import_help_is_instant() -> None:
    result = run_cli(Path.cwd(), "import", "--help")
    assert result.returncode == 0 and "--dateline" in result.stdout
