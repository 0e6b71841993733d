"""The .eml: read back with Python's email parser, byte-stable, headers and parts as specified."""

from __future__ import annotations

import re
import shutil
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from conftest import (
    ROOT,
    SEED_FACTS,
    SEED_FIRST_PARAGRAPH,
    SEED_SLUG,
    Run,
    built_sample,
    run_cli,
    write_release,
)
from pressexport.load import Project, load_project
from pressexport.model import Release
from pressexport.view import subject, view
from pressexport.writers import Context, mail, text
from samples import (
    CHINESE_SLUG,
    KITCHEN_SLUG,
    flat,
    in_order,
    layout_workspace,
    seed_parts_in_spec_order,
)

BASE = "https://newsroom.example.org/iom-china/"
PDF = b"%PDF-1.7\n% stand-in bytes for the unit tests\n%%EOF\n"
DOCX = b"PK\x03\x04 stand-in bytes \x00\xff for the unit tests"

CHINESE_RELEASE = """\
headline: 国际移民组织在杭州举办国际移民法与国际标准培训班，三十三名官员参加，为期三天的课程今日开始
date: 2024-11-20T09:00
embargo: 2024-11-20T10:00
language: zh
dateline: 杭州
body: |
  国际移民组织今天在杭州举办培训班。
"""


def seed_project(workspace: Path) -> Project:
    """The sample project as loaded by the build."""
    return load_project(workspace / "source")


def eml_bytes(release: Release, project: Project, html: str | None = None) -> bytes:
    """The message built by mail.py from the real text version and web page, and stand-in
    attachment bytes (the PDF and DOCX are checked byte for byte in the pipeline tests below)."""
    ctx = Context(project, None)
    if html is None:
        return mail.write(view(release), ctx, {"pdf": PDF, "docx": DOCX})[0].data
    attachments = [mail.Attachment("a.pdf", "application/pdf", PDF)]
    return mail.to_bytes(mail.message(release, text.render_body(view(release), ctx), attachments,
                                      html))


def parse(data: bytes) -> EmailMessage:
    """The message as a mail client reads it."""
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def text_of(part: EmailMessage) -> str:
    """A text part's decoded content as a client without format=flowed shows it: the line ends
    it shows, no space-stuffing, no trailing spaces (RFC 3676 4.1, 4.4)."""
    lines = part.get_content().replace("\r\n", "\n").split("\n")
    if part.get_param("format") == "flowed":
        lines = [(line[1:] if line.startswith(" ") else line).rstrip(" ") for line in lines]
    return "\n".join(lines)


def unflowed(part: EmailMessage) -> str:
    """A format=flowed part's paragraphs as a flowing client joins them (RFC 3676 4.2)."""
    delsp = part.get_param("delsp") == "yes"
    out, joined = [], ""
    for line in part.get_content().replace("\r\n", "\n").split("\n"):
        line = line[1:] if line.startswith(" ") else line
        if line.endswith(" "):
            joined += line[:-1] if delsp else line
        else:
            out.append(joined + line)
            joined = ""
    return "\n".join(out)


@pytest.fixture
def project(workspace: Path) -> Project:
    return seed_project(workspace)


def test_headers_come_from_site_yaml_and_the_release(project: Project) -> None:
    release = project.release(SEED_SLUG)
    message = parse(eml_bytes(release, project))
    assert message["From"] == "IOM China press office <press@newsroom.example.org>"
    assert message["Reply-To"] == "press@newsroom.example.org"
    assert message["To"] == "undisclosed-recipients:;"
    assert message["To"].groups[0].display_name == "undisclosed-recipients"
    assert message["Subject"] == subject(release) == release.headline
    assert parsedate_to_datetime(message["Date"]) == release.date
    assert message["Date"] == "Fri, 08 Sep 2017 00:00:00 +0800"
    assert re.fullmatch(r"<[0-9a-f]{32}@newsroom\.example\.org>", message["Message-ID"])
    assert message["Content-Language"] == "en"
    assert message["MIME-Version"] == "1.0"
    assert "Bcc" not in message


def test_body_is_the_text_version_without_its_subject_lines(project: Project) -> None:
    release = project.release(SEED_SLUG)
    message = parse(eml_bytes(release, project))
    assert message.get_content_type() == "multipart/mixed"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    txt = text.render(view(release), Context(project, None))
    assert txt.startswith("Subject: IOM, China’s Bureau")
    expected = txt.split("\n\n", 1)[1]  # the folded Subject lines and one blank line removed
    assert text_of(body) == expected
    assert text_of(body).startswith("FOR IMMEDIATE RELEASE\n\nInternational Organization")
    # format=flowed (RFC 3676), so that phones reflow the 72-column lines; no DelSp for text
    # whose breaks are all at spaces.
    assert body["Content-Type"].params == {"charset": "utf-8", "format": "flowed"}
    assert SEED_FIRST_PARAGRAPH in unflowed(body)
    assert body["Content-Transfer-Encoding"] == "quoted-printable"


def test_attachments_are_named_typed_and_byte_identical(project: Project) -> None:
    message = parse(eml_bytes(project.release(SEED_SLUG), project))
    parts = list(message.iter_attachments())
    assert [(p.get_filename(), p.get_content_type(), p.get_content_disposition())
            for p in parts] == [
        (f"{SEED_SLUG}.pdf", "application/pdf", "attachment"),
        (f"{SEED_SLUG}.docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "attachment"),
    ]
    assert [p.get_content() for p in parts] == [PDF, DOCX]
    assert [p["Content-Type"].params["name"] for p in parts] == [f"{SEED_SLUG}.pdf",
                                                                 f"{SEED_SLUG}.docx"]


def test_the_file_is_7bit_crlf_with_short_lines(project: Project) -> None:
    data = eml_bytes(project.release(SEED_SLUG), project)
    assert data.isascii()
    assert b"\n" not in data.replace(b"\r\n", b"")
    long_lines = [line for line in data.split(b"\r\n") if len(line) > 78]
    # the one token that cannot be folded: the DOCX MIME type
    assert long_lines == [b"Content-Type: application/vnd.openxmlformats-officedocument."
                          b"wordprocessingml.document;"]
    assert data.count(b"MIME-Version") == 1


def test_same_input_gives_the_same_bytes_and_boundaries_follow_the_content(
        workspace: Path) -> None:
    first = eml_bytes(seed_project(workspace).release(SEED_SLUG), seed_project(workspace))
    again = eml_bytes(seed_project(workspace).release(SEED_SLUG), seed_project(workspace))
    assert first == again
    boundary = parse(first).get_boundary()
    assert boundary and boundary.startswith("=_")
    project = seed_project(workspace)
    release = project.release(SEED_SLUG)
    ctx = Context(project, None)
    other = mail.write(view(release), ctx, {"pdf": PDF, "docx": DOCX + b"!"})[0].data
    assert parse(other).get_boundary() not in (None, boundary)


def test_chinese_headers_and_file_names_are_encoded_per_rfc_2047_and_2231(
        workspace: Path) -> None:
    site = workspace / "source" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "from: IOM China press office <press@newsroom.example.org>",
        "from: 国际移民组织中国办事处 <press@newsroom.example.org>"), encoding="utf-8")
    write_release(workspace, "2024-11-20-zh", CHINESE_RELEASE)
    project = seed_project(workspace)
    release = project.release("2024-11-20-zh")
    data = eml_bytes(release, project)
    head = data.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert "=?utf-8?" in head and "国际" not in head
    message = parse(data)
    assert message["Subject"] == subject(release)
    assert message["Subject"].startswith("[禁发至2024年11月20日 10:00 中国标准时间（UTC 02:00）] "
                                         "国际移民组织")
    assert message["From"].addresses[0].display_name == "国际移民组织中国办事处"
    assert message["Content-Language"] == "zh"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and "国际移民组织今天在杭州举办培训班。" in text_of(body)

    named = mail.message(release, "正文\n", [mail.Attachment("新闻稿.pdf", "application/pdf", PDF)])
    raw = mail.to_bytes(named)
    assert b"filename*=utf-8''%E6%96%B0%E9%97%BB%E7%A8%BF.pdf" in raw
    assert next(parse(raw).iter_attachments()).get_filename() == "新闻稿.pdf"


def test_long_non_ascii_names_become_several_encoded_words_of_whole_characters() -> None:
    from email.header import decode_header, make_header

    name = "国际移民组织中国办事处新闻中心值班编辑与翻译团队"
    value = mail.mailbox(f"{name} <editor@例子.中国>", "To")
    words = re.findall(r"=\?utf-8\?[bq]\?[^?]*\?=", value)
    assert len(words) == 2 and all(len(w) <= 75 for w in words)
    assert value.endswith(" <editor@xn--fsqu00a.xn--fiqs8s>")
    # RFC 2047 6.2: the space between adjacent encoded-words is not shown. (Python's modern
    # parser shows it in display names before CPython gh-128110; the RFC decoder does not.)
    assert str(make_header(decode_header(value))) == f"{name} <editor@xn--fsqu00a.xn--fiqs8s>"


def test_embargoed_english_subject_is_prefixed(workspace: Path, seed_yaml: Path) -> None:
    seed_yaml.write_text(seed_yaml.read_text(encoding="utf-8").replace(
        "date: 2017-09-08\n", "date: 2017-09-08\nembargo: 2017-09-08T10:00\n"), encoding="utf-8")
    project = seed_project(workspace)
    message = parse(eml_bytes(project.release(SEED_SLUG), project))
    assert message["Subject"] == ("[EMBARGOED until 10:00 China Standard Time "
                                  "(02:00 UTC), 8 September 2017] "
                                  "IOM, China’s Bureau of Exit and Entry Administration, Ministry "
                                  "of Public Security, Organize International Migration Law and "
                                  "International Standards Training")


def test_to_lists_site_yaml_addresses(workspace: Path) -> None:
    site = workspace / "source" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "  to: []", "  to:\n    - newsdesk@newsroom.example.org\n"
                    "    - '\"Desk, Asia\" <asia@example.org>'"),
        encoding="utf-8")
    project = seed_project(workspace)
    message = parse(eml_bytes(project.release(SEED_SLUG), project))
    assert [a.addr_spec for a in message["To"].addresses] == ["newsdesk@newsroom.example.org",
                                                               "asia@example.org"]
    assert message["To"].addresses[1].display_name == "Desk, Asia"


def test_message_id_follows_the_release_id_and_its_revision(
        workspace: Path, seed_yaml: Path) -> None:
    original = seed_yaml.read_text(encoding="utf-8")
    first = mail.message_id(seed_project(workspace).release(SEED_SLUG))
    assert first == mail.message_id(seed_project(workspace).release(SEED_SLUG))
    seed_yaml.write_text(original.replace("date: 2017-09-08\n",
                                          "date: 2017-09-08\nupdated: 2017-09-09T12:00\n"),
                         encoding="utf-8")
    revised = mail.message_id(seed_project(workspace).release(SEED_SLUG))
    assert revised != first  # a corrected release is a new message (RFC 5322 3.6.4)
    release_id = seed_project(workspace).release(SEED_SLUG).id
    seed_yaml.unlink()
    write_release(workspace, "renamed", original.replace("date: 2017-09-08\n",
                                                         f"date: 2017-09-08\nid: {release_id}\n"))
    assert mail.message_id(seed_project(workspace).release("renamed")) == first


def test_html_alternative_goes_beside_the_text_before_the_attachments(project: Project) -> None:
    release = project.release(SEED_SLUG)
    html = '<!DOCTYPE html><html lang="en"><body><p style="margin:0">Hangzhou</p></body></html>\n'
    message = parse(eml_bytes(release, project, html=html))
    assert [p.get_content_type() for p in message.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"]
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None and text_of(html_part) == html
    assert len({p.get_boundary() for p in message.walk() if p.is_multipart()}) == 2


@settings(max_examples=200, deadline=None)
@given(value=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
                     max_size=200).map(str.strip).filter(bool))
def test_any_subject_is_encoded_folded_and_read_back_exactly(value: str) -> None:
    msg = EmailMessage(policy=mail.POLICY)
    msg.set_raw("Subject", mail.fold("Subject", mail.encoded(value)))
    msg.set_content("x")
    head = mail.to_bytes(msg).split(b"\r\n\r\n", 1)[0]
    assert parse(head + b"\r\n\r\n")["Subject"] == value
    for line in head.split(b"\r\n"):
        assert len(line) <= 78 or b" " not in line.strip(), line


def test_the_body_leaves_out_a_folded_subject(workspace: Path, seed_yaml: Path) -> None:
    seed_yaml.write_text(seed_yaml.read_text(encoding="utf-8").replace(
        "date: 2017-09-08\n", "date: 2017-09-08\nembargo: 2017-09-08T10:00\n"), encoding="utf-8")
    project = seed_project(workspace)
    release, ctx = project.release(SEED_SLUG), Context(project, None)
    subject_lines, rest = text.render(view(release), ctx).split("\n\n", 1)
    assert subject_lines.startswith("Subject: [EMBARGOED until 10:00 China Standard Time")
    folded = subject_lines.splitlines()[1:]
    assert folded and all(line.startswith(" ") for line in folded)  # continuation lines
    assert text.render_body(view(release), ctx) == rest
    assert rest.startswith("EMBARGOED UNTIL 10:00 China Standard Time "
                           "(02:00 UTC), 8 September 2017\n\n")


def test_a_user_text_template_cannot_put_its_subject_lines_in_the_message(
        workspace: Path, project: Project) -> None:
    user = workspace / "templates"
    (user / "text").mkdir(parents=True)
    (user / "text" / "release.txt.j2").write_text(
        "{{ v.status }}\n\n{{ subject | join('\\n') }}\n\n{{ v.end_mark }}\n", encoding="utf-8")
    release, ctx = project.release(SEED_SLUG), Context(project, user)
    assert text.render(view(release), ctx) == (
        "FOR IMMEDIATE RELEASE\n\nSubject: IOM, China’s Bureau of Exit and Entry Administration, "
        "Ministry\n of Public Security, Organize International Migration Law and\n"
        " International Standards Training\n\n-ENDS-\n")
    inputs = {"pdf": PDF, "docx": DOCX}
    body = parse(mail.write(view(release), ctx, inputs)[0].data).get_body(
        preferencelist=("plain",))
    assert body is not None and text_of(body) == "FOR IMMEDIATE RELEASE\n\n-ENDS-\n"


@settings(max_examples=60, deadline=None)
@given(body=st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80),
                     min_size=1, max_size=12),
       attachment=st.binary(max_size=300))
def test_any_text_and_bytes_survive_the_round_trip(
        shared_project: Project, body: list[str], attachment: bytes) -> None:
    text_body = "\n".join(line.rstrip() for line in body) + "\n"
    release = shared_project.release(SEED_SLUG)
    attached = [mail.Attachment("x.pdf", "application/pdf", attachment)]
    data = mail.to_bytes(mail.message(release, text_body, attached))
    assert data == mail.to_bytes(mail.message(release, text_body, attached))
    message = parse(data)
    body_part = message.get_body(preferencelist=("plain",))
    assert body_part is not None and text_of(body_part) == text_body
    assert next(message.iter_attachments()).get_content() == attachment


@settings(max_examples=60, deadline=None)
@given(body=st.text(st.sampled_from("ab é中\r\n\t =.-"), max_size=300),
       attachment=st.binary(max_size=2000))
def test_the_file_is_what_the_email_package_writes_for_the_message(
        shared_project: Project, body: str, attachment: bytes) -> None:
    # to_bytes writes each body at once; the email package's own generator line by line.
    release = shared_project.release(SEED_SLUG)
    msg = mail.message(release, body, [mail.Attachment("x.pdf", "application/pdf", attachment)],
                       html=f"<p>{body}</p>")
    data = mail.to_bytes(msg)
    assert data == msg.as_bytes(policy=mail.POLICY)


@pytest.fixture(scope="module")
def shared_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    folder = tmp_path_factory.mktemp("shared")
    shutil.copytree(ROOT / "source", folder / "source")
    return seed_project(folder)


def test_site_yaml_addresses_are_checked(workspace: Path, run: Run) -> None:
    site = workspace / "source" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "reply_to: press@newsroom.example.org", "reply_to: IOM press office press@x.org"),
        encoding="utf-8")
    result = run(workspace, "validate")
    assert result.returncode == 2
    assert re.search(r"site\.yaml:\d+:\d+: email\.reply_to: 'IOM press office press@x\.org' is "
                     r"not one email address", result.stderr), result.stderr


# -- the real pipeline: the files in out/ --------------------------------------------------------

@pytest.fixture(scope="module")
def seed_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed's email version built through the CLI (text, page, PDF, DOCX, message)."""
    return built_sample(tmp_path_factory.mktemp("seed"), "email", SEED_SLUG)


@pytest.fixture(scope="module")
def samples_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample releases (every construct, embargo, photo, logo, Chinese) built likewise."""
    folder = layout_workspace(tmp_path_factory.mktemp("samples"))
    result = run_cli(folder, "email", "-q")
    assert result.returncode == 0, result.stderr
    return folder


#: The Subject each sample message must carry: the headline, prefixed while under embargo.
SAMPLE_SUBJECTS = {
    SEED_SLUG: "IOM, China’s Bureau of Exit and Entry Administration, Ministry of Public "
               "Security, Organize International Migration Law and International Standards "
               "Training",
    KITCHEN_SLUG: "[CORRECTED] [EMBARGOED until 10:00 China Standard Time "
                  "(02:00 UTC), 20 November 2024] Tom & Jerry's "
                  "<b>\"bold\"</b> claims & <script>alert('x')</script> > all",
    CHINESE_SLUG: "示例组织发布中文排版测试新闻稿",
}


def built_message(folder: Path, slug: str) -> EmailMessage:
    return parse((folder / "out" / slug / f"{slug}.eml").read_bytes())


def test_built_eml_has_both_alternatives_and_the_files_in_out(seed_built: Path) -> None:
    folder = seed_built / "out" / SEED_SLUG
    message = built_message(seed_built, SEED_SLUG)
    assert [p.get_content_type() for p in message.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
    attached = {p.get_filename(): p.get_content() for p in message.iter_attachments()}
    assert attached == {f"{SEED_SLUG}.pdf": (folder / f"{SEED_SLUG}.pdf").read_bytes(),
                        f"{SEED_SLUG}.docx": (folder / f"{SEED_SLUG}.docx").read_bytes()}
    plain = message.get_body(preferencelist=("plain",))
    txt = (folder / f"{SEED_SLUG}.txt").read_text(encoding="utf-8")
    assert plain is not None and text_of(plain) == txt.split("\n\n", 1)[1]
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    page = lxml_html.document_fromstring(html_part.get_content())
    in_order(flat(page.body.text_content()), seed_parts_in_spec_order(SEED_FACTS))
    in_order(flat(text_of(plain)), seed_parts_in_spec_order(SEED_FACTS))


def test_every_sample_message_reads_back_and_loads_only_the_newsroom(samples_built: Path) -> None:
    slugs = sorted(p.stem for p in (samples_built / "source" / "releases").glob("*.yaml"))
    project = load_project(samples_built / "source")
    for slug in slugs:
        message = built_message(samples_built, slug)
        assert message["Subject"] == subject(project.release(slug)) == SAMPLE_SUBJECTS[slug]
        html_part = message.get_body(preferencelist=("html",))
        assert html_part is not None
        page = lxml_html.document_fromstring(html_part.get_content())
        assert not list(page.iter("link", "script")), slug
        # One stylesheet, in the head, loading nothing (it repeats the style attributes).
        (style,) = page.iter("style")
        assert style.getparent().tag == "head" and not re.search(r"url\(|@import", style.text)
        # Pictures load from the newsroom's own copies, by absolute URL; nothing else loads.
        sources = [e.get("src") for e in page.iter() if e.get("src") is not None]
        assert all(src.startswith(f"{BASE}{slug}/media/") for src in sources), slug
        for link in page.iter("a"):
            assert link.get("href", "").startswith(("https://", "http://", "mailto:", "#")), \
                (slug, link.get("href"))
        assert all(e.get("style") is None or "url(" not in e.get("style") for e in page.iter())
        release = project.release(slug)
        for item in release.media:
            assert flat(item.caption) in flat(page.text_content()), slug
    kitchen = built_message(samples_built, KITCHEN_SLUG)
    assert kitchen["Subject"].startswith("[CORRECTED] [EMBARGOED until 10:00 China Standard "
                                         "Time (02:00 UTC), 20 November 2024] Tom & Jerry's")
    assert built_message(samples_built, CHINESE_SLUG)["Content-Language"] == "zh-Hans"


def test_two_builds_give_byte_identical_eml(tmp_path: Path, run: Run) -> None:
    outputs = []
    for name, zone in (("one", "UTC"), ("two", "America/Los_Angeles")):
        shutil.copytree(ROOT / "source", tmp_path / name / "source")
        result = run(tmp_path / name, "email", SEED_SLUG, "-q", env={"TZ": zone})
        assert result.returncode == 0, result.stderr
        outputs.append((tmp_path / name / "out" / SEED_SLUG / f"{SEED_SLUG}.eml").read_bytes())
    assert outputs[0] == outputs[1]


# -- the HTML alternative ------------------------------------------------------------------------


def test_email_html_inlines_css_and_every_url_is_absolute(tmp_path: Path) -> None:
    project = load_project(layout_workspace(tmp_path) / "source")
    ctx = Context(project, None)
    release = project.release(KITCHEN_SLUG)
    out = mail.email_html(view(release), ctx)
    assert out == mail.email_html(view(release), ctx)
    document = lxml_html.document_fromstring(out)
    assert not list(document.iter("link", "script"))
    assert [s.getparent().tag for s in document.iter("style")] == ["head"]
    sources = [e.get("src") for e in document.iter("img")]
    # The sample is embargoed: its page and photo are not online before the embargo, so its
    # message shows the photo's caption and credit, not a picture that would not load; nor its
    # SVG logo, which Gmail and Outlook do not show (the name stands beside it already).
    assert sources == []
    assert "Participants during the training session." in out
    assert all(urlsplit(a.get("href")).scheme in ("https", "mailto")
               for a in document.iter("a"))
    assert document.find(".//h1").get("style")  # the stylesheet is in style attributes
    assert document.find(".//meta").get("charset") == "utf-8"
