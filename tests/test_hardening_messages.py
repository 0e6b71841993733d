"""Messages and errors (issue 13, item 6): .eml header lines within 998 octets, control characters
shown escaped, raw HTML located in any YAML scalar style, `verify` on a broken feed; and the CLI's
last resort against tracebacks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from email import policy
from email.header import decode_header, make_header
from email.parser import BytesParser
from pathlib import Path

import pytest

from conftest import Run, assert_no_traceback, run_cli, write_release

LONG_WORD = "Antidisestablishmentarianism" * 54  # 1,512 letters, no space to fold at
LONG_NAME = "PressOffice" * 100  # a display name without spaces
RELEASE = "source/releases/2024-11-20-x.yaml"
SENDER = "press@newsroom.example.org"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample and a release whose headline and sender's name are single 1,000+ letter words,
    built."""
    folder = tmp_path_factory.mktemp("messages")
    shutil.copytree(Path(__file__).resolve().parents[1] / "source", folder / "source")
    site = folder / "source" / "site.yaml"
    site.write_text(site.read_text().replace("from: IOM China press office <",
                                             f"from: {LONG_NAME} <"))
    write_release(folder, "2024-11-20-long", f"headline: {LONG_WORD}\ndate: 2024-11-20\n"
                                             "dateline: Geneva\nbody: Text.\n")
    result = run_cli(folder, "all", "-q", "--now", "2024-12-01T00:00Z")
    assert result.returncode == 0, result.stderr
    return folder


def test_every_eml_line_is_at_most_998_octets(built: Path) -> None:
    data = (built / "out" / "2024-11-20-long" / "2024-11-20-long.eml").read_bytes()
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert str(message["Subject"]) == LONG_WORD
    # RFC 2047's own decoding (the modern parser puts a space between two encoded-words of a
    # display name, which RFC 2047 says to drop, and mail clients do).
    sender = BytesParser(policy=policy.compat32).parsebytes(data)["From"]
    assert str(make_header(decode_header(sender))) == f"{LONG_NAME} <{SENDER}>"


def test_a_malformed_or_truncated_feed_is_a_finding(built: Path, run: Run,
                                                    tmp_path: Path) -> None:
    copy = Path(shutil.copytree(built, tmp_path / "copy"))
    atom = copy / "out" / "atom.xml"
    atom.write_bytes(atom.read_bytes()[:200])
    (copy / "out" / "rss.xml").write_text("this is not XML")
    result = run(copy, "verify", "--now", "2024-12-01T00:00Z")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "out/atom.xml: file: unreadable: not well-formed XML (unclosed token: line" \
        in result.stderr
    assert "out/rss.xml: file: unreadable: not well-formed XML (syntax error: line 1" \
        in result.stderr


def test_control_characters_from_the_input_are_shown_escaped(workspace: Path, run: Run) -> None:
    write_release(workspace, "2024-11-20-x",
                  'headline: "\\e]0;owned\\a\\e[2J"\n"\\e[31mkey": x\ndate: "\\x9b2J"\n'
                  "dateline: Geneva\nbody: Text.\n")
    result = run(workspace, "validate")  # a pipe here; a terminal gets the same bytes
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x9b" not in result.stderr
    assert "\x07" not in result.stderr
    assert f"{RELEASE}:1:11: headline: contains the control character U+001B" in result.stderr
    assert f"{RELEASE}:2:1: \\x1b[31mkey: unknown field '\\x1b[31mkey'" in result.stderr
    assert f"{RELEASE}:3:7: date: '\\x9b2J' is not an ISO 8601 date" in result.stderr


@pytest.mark.parametrize(("body", "where"), [
    ('body: "First,\n  folded.\n\n  Second paragraph with\n  <b>bold</b> in it."\n', "8:3"),
    ("body: >\n  Folded\n  over lines.\n\n  Then a <i>tag</i>.\n", "8:10"),
    ("body: First line,\n  plain, and\n  then <u>here</u>.\n", "6:8"),
    ("body: 'Single\n\n  quoted, <s>x</s>'\n", "6:11"),
    ("body: |\n  One.\n\n  Two, then\n  a line with <em>a tag</em>.\n", "8:15"),
    ("body: |\n  One.\n\n  <div>\n  A block.\n  </div>\n", "7:3"),
])
def test_raw_html_is_located_in_any_scalar_style(workspace: Path, run: Run, body: str,
                                                 where: str) -> None:
    write_release(workspace, "2024-11-20-x",
                  "headline: A headline\ndate: 2024-11-20\ndateline: Geneva\n" + body)
    result = run(workspace, "validate")
    assert result.returncode == 2
    assert f"{RELEASE}:{where}: body: raw HTML is not allowed" in result.stderr, result.stderr


def test_an_unexpected_exception_is_one_line_not_a_traceback(workspace: Path) -> None:
    probe = ("import pressexport.load as load\n"
             "def broken(*args, **kwargs):\n    raise KeyError('\\x1b[2Jsurprise')\n"
             "load.load_project = broken\n"
             "from pressexport.cli import main\nmain(['validate'])\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=workspace, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr == "pressexport: internal error: KeyError: '\\x1b[2Jsurprise'\n"
    assert_no_traceback(result.stderr)

