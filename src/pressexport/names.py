"""The length limit on names pressexport writes: every output path component must fit the file
system, together with the temporary file it is first written as."""

from __future__ import annotations

#: Bytes a file or folder name may have (ext4, XFS, Btrfs, APFS; NTFS counts 255 UTF-16 units).
FILE_SYSTEM_NAME_MAX = 255
#: What a temporary file adds to its final name: `.NAME.XXXXXXXX.tmp` (tempfile.mkstemp with
#: prefix `.NAME.` and suffix `.tmp`, 8 random characters), in the same folder.
TEMP_AFFIX_BYTES = len(".") + len(".XXXXXXXX") + len(".tmp")
#: The longest name of an output file or folder (under out/, embargoed/ or a staging folder).
MAX_NAME_BYTES = FILE_SYSTEM_NAME_MAX - TEMP_AFFIX_BYTES
#: The longest suffix of a release's documents, `SLUG/SLUG.docx`: it sets the limit on slugs.
LONGEST_DOCUMENT_SUFFIX = ".docx"


def name_problem(name: str) -> str | None:
    """Why `name` cannot be one component of an output path (it is too long), or None."""
    size = len(name.encode("utf-8"))
    if size <= MAX_NAME_BYTES:
        return None
    shown = name if len(name) <= 40 else f"{name[:30]}…{name[-8:]}"
    return (f"the output name '{shown}' would be {size} bytes long; shorten it by "
            f"{size - MAX_NAME_BYTES} (at most {MAX_NAME_BYTES} bytes: the file system's "
            f"{FILE_SYSTEM_NAME_MAX} less {TEMP_AFFIX_BYTES} for the temporary file)")
