"""Hostile and unlucky input: each is a located error found by `validate`, nothing hangs, nothing
exhausts memory (issue 13, items 1, 2, 7 and 8)."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from conftest import SEED_SLUG, Run, assert_no_traceback, write_release
from pressexport import mediacheck
from pressexport.load import load_project
from pressexport.names import MAX_NAME_BYTES
from pressexport.sourcefile import RefusedFile, read_bounded
from test_validation import GOOD

RELEASE = "source/releases/2024-11-20-x.yaml"


def with_media(*names: str) -> str:
    """GOOD with one media item for each file name."""
    items = "".join(f"  - caption: Photo {i}\n    file: {name}\n    alt: A photo\n"
                    for i, name in enumerate(names))
    return GOOD + "media:\n" + items


def validate(workspace: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`pressexport validate`, killed (and failed) if it does not end within `timeout`."""
    result = subprocess.run([sys.executable, "-m", "pressexport", "validate"], cwd=workspace,
                            capture_output=True, text=True, timeout=timeout)
    assert_no_traceback(result.stderr)
    return result


def problems(workspace: Path) -> str:
    """The problems `validate` reports, which it must (exit 2)."""
    result = validate(workspace)
    assert result.returncode == 2, result.stdout + result.stderr
    return result.stderr


# -- item 1: hangs and memory --------------------------------------------------------------------

def test_a_pipe_or_a_device_is_refused_without_reading_it(workspace: Path) -> None:
    releases = workspace / "source" / "releases"
    os.mkfifo(releases / "2024-11-20-pipe.yaml")  # reading it would wait forever
    os.symlink("/dev/zero", releases / "2024-11-20-zero.yaml")  # size 0, endless
    os.symlink("/dev/zero", workspace / "source" / "media" / "zero.png")
    os.mkfifo(workspace / "source" / "media" / "pipe.png")
    write_release(workspace, "2024-11-20-x", with_media("zero.png", "pipe.png"))
    stderr = problems(workspace)
    assert ("source/releases/2024-11-20-pipe.yaml:1:1: file is a named pipe, not a regular "
            "file: refused") in stderr
    # A link to a device leads outside the sources too; that is said first.
    assert "2024-11-20-zero.yaml:1:1: resolves outside source/: refused" in stderr
    assert f"{RELEASE}:8:11: media[0].file: 'zero.png' resolves outside" in stderr
    assert f"{RELEASE}:11:11: media[1].file: 'pipe.png' is a named pipe" in stderr


@pytest.mark.parametrize(("path", "message"), [
    ("/dev/zero", "is a device, not a regular file: refused"),
    ("/", "is a folder, not a regular file: refused"),
    ("/nowhere", "cannot be read: No such file or directory"),
])
def test_only_regular_files_are_read(path: str, message: str) -> None:
    with pytest.raises(RefusedFile, match=message):
        read_bounded(Path(path), 1024)


def test_a_read_stops_at_its_limit(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"x" * 11)
    assert read_bounded(tmp_path / "a", 11) == b"x" * 11
    with pytest.raises(RefusedFile, match="is larger than 10 bytes: refused"):
        read_bounded(tmp_path / "a", 10)
    # A regular file whose size reads 0: the size is never trusted as a limit.
    assert Path("/proc/self/status").stat().st_size == 0
    assert len(read_bounded(Path("/proc/self/status"), 100_000)) > 10
    with pytest.raises(RefusedFile, match="is larger than 10 bytes: refused"):
        read_bounded(Path("/proc/self/status"), 10)


def test_site_yaml_that_is_a_pipe_is_refused(workspace: Path) -> None:
    site = workspace / "source" / "site.yaml"
    site.unlink()
    os.mkfifo(site)
    assert "source/site.yaml:1:1: file is a named pipe" in problems(workspace)


@pytest.mark.parametrize("text", [
    "headline: " + "[" * 470 + "]" * 470 + "\n",  # a RecursionError once
    "headline: " + "{a: " * 300 + "}" * 300 + "\n",
    "headline:\n" + "".join("  " * i + "- \n" for i in range(1, 400)),
])
def test_deep_nesting_is_a_located_error(workspace: Path, text: str) -> None:
    write_release(workspace, "2024-11-20-x", text)
    stderr = problems(workspace)
    assert f"{RELEASE}:" in stderr and "nested more than 20 levels deep: refused" in stderr


def test_nesting_past_the_parser_limit_is_a_located_error(workspace: Path) -> None:
    write_release(workspace, "2024-11-20-x", "headline: " + "[" * 200_000 + "\n")
    assert f"{RELEASE}:1:" in problems(workspace)


def png_header_only(width: int, height: int, pixels: bytes | None = None) -> bytes:
    """A small PNG file that claims `width` x `height` pixels (a decompression bomb's header),
    with four rows of pixel data (or the compressed `pixels` given), every checksum right."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    if pixels is None:
        pixels = zlib.compress(b"\0" * (width + 1) * 4, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


def jpeg(size: tuple[int, int] = (400, 300), mode: str = "RGB") -> bytes:
    """A JPEG file's bytes."""
    data = io.BytesIO()
    Image.new(mode, size, "#3366cc" if mode == "RGB" else (0, 100, 200, 0)).save(data, "JPEG")
    return data.getvalue()


def test_images_are_decoded_in_full_at_validate_time(workspace: Path) -> None:
    media = workspace / "source" / "media"
    (media / "bomb.png").write_bytes(png_header_only(50_000, 50_000))  # 300 KB of header
    (media / "big.png").write_bytes(png_header_only(12_000, 12_000))  # 1.2 GB decoded
    # Checksums right, the compressed pixels wrong: only decoding them finds it.
    pixels = zlib.compress(b"".join(b"\0" + bytes(range(i, i + 64)) for i in range(64)))
    garbage = pixels[:40] + b"garbage" + pixels[40:]
    (media / "corrupt.png").write_bytes(png_header_only(64, 64, garbage))
    whole = jpeg()
    (media / "truncated.jpg").write_bytes(whole[: len(whole) // 2])
    with (media / "huge.jpg").open("wb") as handle:  # sparse: 60 MiB that take no disk
        handle.write(whole)
        handle.truncate(60 * 1024 * 1024)
    write_release(workspace, "2024-11-20-x", with_media(
        "bomb.png", "big.png", "corrupt.png", "truncated.jpg", "huge.jpg"))
    stderr = problems(workspace)
    for line, name in ((8, "bomb.png"), (11, "big.png")):
        assert (f"{RELEASE}:{line}:11: media[{(line - 8) // 3}].file: '{name}' is too large an "
                "image: over 50 million pixels when decoded") in stderr
    assert f"{RELEASE}:14:11: media[2].file: 'corrupt.png' is not a readable image" in stderr
    assert (f"{RELEASE}:17:11: media[3].file: 'truncated.jpg' is not a readable image "
            "(image file is truncated") in stderr
    assert f"{RELEASE}:20:11: media[4].file: 'huge.jpg' is larger than 50 MiB: refused" in stderr


def test_pixels_of_every_frame_count_towards_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    frames = [Image.new("L", (20, 20), 50 * i).convert("P") for i in range(5)]
    data = io.BytesIO()
    frames[0].save(data, "GIF", save_all=True, append_images=frames[1:])
    assert mediacheck.decode_problem(data.getvalue(), "a.gif") is None
    monkeypatch.setattr(mediacheck, "MAX_IMAGE_PIXELS", 1000)  # 400 a frame, 2000 in all
    assert "too large an image" in str(mediacheck.decode_problem(data.getvalue(), "a.gif"))


def test_each_image_is_decoded_once_per_load(workspace: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (workspace / "source" / "media" / "photo.jpg").write_bytes(jpeg())
    for slug in ("2024-11-20-a", "2024-11-20-b"):
        write_release(workspace, slug, with_media("photo.jpg", "photo.jpg"))
    site = workspace / "source" / "site.yaml"
    site.write_text(site.read_text().replace("  short_name: IOM\n",
                                             "  short_name: IOM\n  logo: photo.jpg\n"))
    decoded: list[str] = []
    real = mediacheck.decode_problem
    monkeypatch.setattr(mediacheck, "decode_problem",
                        lambda data, name: decoded.append(name) or real(data, name))
    assert len(load_project(workspace / "source").releases) == 3
    assert decoded == ["photo.jpg"]


# -- item 2: found by validate, not by the build ----------------------------------------------

def test_characters_no_font_draws_are_refused_where_they_stand(workspace: Path) -> None:
    write_release(workspace, "2024-11-20-x", """\
headline: "Bell \\a and NEL \\N here"
subheadline: "Line\\Lseparator"
date: 2024-11-20
dateline: "Gen\\Peva"
topics: ["Private \\ue000 use", "Non\\ufdd0character", "Last \\U0010FFFF"]
body: "CSI \\x9b in the body"
media:
  - caption: "Escape \\e[2J in a caption"
""")
    stderr = problems(workspace)
    for where, what in (("1:11: headline", "control character U+0007"),
                        ("2:14: subheadline", "must be a single line"),
                        ("4:11: dateline", "must be a single line"),
                        ("5:10: topics[0]", "private-use character U+E000"),
                        ("5:32: topics[1]", "noncharacter U+FDD0"),
                        ("5:54: topics[2]", "noncharacter U+10FFFF"),
                        ("6:7: body", "control character U+009B"),
                        ("8:14: media[0].caption", "control character U+001B")):
        assert f"{RELEASE}:{where}: contains the {what}" in stderr or \
            f"{RELEASE}:{where}: {what}" in stderr, (where, stderr)


def test_a_code_point_unicode_has_not_assigned_is_refused(workspace: Path) -> None:
    # U+03A2 sits among the Greek capitals, but is no character: no font can draw it.
    write_release(workspace, "2024-11-20-x", 'headline: "Greek \\u03a2"\ndate: 2024-11-20\n'
                  "dateline: Geneva\ntopics: [Ok]\nbody: Fine.\n")
    assert f"{RELEASE}:1:11: headline: contains U+03A2, which is not a character " \
        "(unassigned in Unicode" in problems(workspace)


def test_characters_from_markdown_references_and_separators_are_refused(
        workspace: Path) -> None:
    write_release(workspace, "2024-11-20-x", """\
headline: A headline
date: 2024-11-20
dateline: Geneva
summary: "A line\\Lseparator"
body: |
  First.

  Then &#xE000; and &#x1b;[2J, which the parser decodes.
""")
    stderr = problems(workspace)
    assert f"{RELEASE}:4:10: summary: contains the line separator U+2028" in stderr
    assert f"{RELEASE}:8:3: body: contains the private-use character U+E000" in stderr


def test_a_logo_that_is_not_an_image_is_reported_at_site_yaml(workspace: Path) -> None:
    (workspace / "source" / "media" / "logo.png").write_text("not a picture")
    site = workspace / "source" / "site.yaml"
    site.write_text(site.read_text().replace("  short_name: IOM\n",
                                             "  short_name: IOM\n  logo: logo.png\n"))
    stderr = problems(workspace)
    assert "source/site.yaml:6:9: organization.logo: 'logo.png' is not a readable image" in stderr
    assert "releases/" not in stderr


def test_names_too_long_for_an_output_path_are_located(workspace: Path) -> None:
    long_media = "m" * 245 + ".png"  # 249 bytes: fits in source/, not as a temporary file
    (workspace / "source" / "media" / long_media).write_bytes(jpeg())
    write_release(workspace, "s" * 240, GOOD)
    write_release(workspace, "2024-11-20-x", with_media(long_media, "n" * 300 + ".png")
                  + f"topics: [{'Topic ' * 50}]\nlanguage: en-{'-'.join(['abcdefgh'] * 30)}\n")
    stderr = problems(workspace)
    assert f"source/releases/{'s' * 240}.yaml:1:1: file name: the output name" in stderr
    assert "would be 245 bytes long; shorten it by 4 (at most 241 bytes" in stderr
    assert f"{RELEASE}:8:11: media[0].file: the output name" in stderr
    assert f"{RELEASE}:11:11: media[1].file: the output name" in stderr  # over 255: no OSError
    assert f"{RELEASE}:13:10: topics[0]: the output name" in stderr
    assert f"{RELEASE}:14:11: language: the output name" in stderr


def test_names_at_the_limit_build(workspace: Path, run: Run) -> None:
    slug = "s" * (MAX_NAME_BYTES - len(".docx"))
    media = "m" * (MAX_NAME_BYTES - len(".jpg")) + ".jpg"
    (workspace / "source" / "media" / media).write_bytes(jpeg())
    write_release(workspace, slug, with_media(media) + f"topics: [{'t' * MAX_NAME_BYTES}]\n")
    result = run(workspace, "all", "-q", "--now", "2024-12-01T00:00Z")
    assert result.returncode == 0, result.stderr
    assert (workspace / "out" / slug / f"{slug}.docx").is_file()
    assert (workspace / "out" / slug / "media" / media).is_file()
    assert (workspace / "out" / "topics" / ("t" * MAX_NAME_BYTES) / "atom.xml").is_file()


def test_cmyk_jpeg_builds_in_every_format(workspace: Path, run: Run) -> None:
    import docx
    from pypdf import PdfReader

    (workspace / "source" / "media" / "cmyk.jpg").write_bytes(jpeg(mode="CMYK"))  # Adobe marker
    write_release(workspace, "2024-11-20-x", with_media("cmyk.jpg"))
    result = run(workspace, "all", "-q", "--now", "2024-12-01T00:00Z")
    assert result.returncode == 0, result.stderr
    folder = workspace / "out" / "2024-11-20-x"
    assert (folder / "media" / "cmyk.jpg").read_bytes() == jpeg(mode="CMYK")
    assert [image.name for image in PdfReader(folder / "2024-11-20-x.pdf").pages[0].images]
    shapes = docx.Document(str(folder / "2024-11-20-x.docx")).inline_shapes
    assert len(shapes) == 1
    blob = shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    part = docx.Document(str(folder / "2024-11-20-x.docx")).part.related_parts[blob]
    with Image.open(io.BytesIO(part.blob)) as embedded:
        assert (embedded.format, embedded.mode, embedded.size) == ("JPEG", "RGB", (400, 300))


# -- item 7: nothing silently skipped --------------------------------------------------------

def test_a_release_named_yml_is_an_error_naming_the_rename(workspace: Path) -> None:
    releases = workspace / "source" / "releases"
    (releases / "2024-11-20-a.yml").write_text(GOOD)
    (releases / "2024-11-20-b.YAML").write_text(GOOD)
    stderr = problems(workspace)
    assert ("source/releases/2024-11-20-a.yml:1:1: release files end in '.yaml': rename it to "
            "2024-11-20-a.yaml") in stderr
    assert "source/releases/2024-11-20-b.YAML:1:1: release files end in '.yaml'" in stderr


def test_a_site_yml_is_named_in_the_error(workspace: Path) -> None:
    site = workspace / "source" / "site.yaml"
    site.rename(site.with_suffix(".yml"))
    assert "source/site.yaml:1:1: not found: rename site.yml to site.yaml" in problems(workspace)


# -- item 8: source outside source/ -----------------------------------------------------------

def test_folders_and_release_files_linked_from_outside_are_refused(workspace: Path,
                                                                   tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "media").mkdir(parents=True)
    (outside / "media" / "photo.jpg").write_bytes(jpeg())
    (outside / "2024-11-20-far.yaml").write_text(GOOD)
    source = workspace / "source"
    (source / "site.yaml").rename(outside / "site.yaml")
    os.symlink(outside / "site.yaml", source / "site.yaml")
    os.symlink(outside / "2024-11-20-far.yaml", source / "releases" / "2024-11-20-far.yaml")
    (source / "media" / ".gitkeep").unlink()
    (source / "media").rmdir()
    os.symlink(outside / "media", source / "media")
    write_release(workspace, "2024-11-20-x", with_media("photo.jpg"))
    stderr = problems(workspace)
    assert "source/releases/2024-11-20-far.yaml:1:1: resolves outside source/: refused" in stderr
    assert "source/site.yaml:1:1: resolves outside source/: refused" in stderr
    assert f"{RELEASE}:8:11: media[0].file: 'photo.jpg' resolves outside source/media/" in stderr


def test_a_releases_folder_linked_from_outside_is_refused(workspace: Path,
                                                          tmp_path: Path) -> None:
    releases = workspace / "source" / "releases"
    os.rename(releases, tmp_path / "releases")
    os.symlink(tmp_path / "releases", releases)
    stderr = problems(workspace)
    assert "source/releases:1:1: resolves outside source/: refused" in stderr
    assert SEED_SLUG not in stderr

