"""WeasyPrint imported without asking the C compiler where its libraries are.

WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject by trying several names for each (those
of Windows, macOS and Linux). On Linux cffi hands every name that dlopen did not open to
`ctypes.util.find_library`, which runs ldconfig, gcc and ld for it: a fifth of a second or more
of every worker's start, on the path of every incremental build (Kozea/WeasyPrint#1125). Each
list ends with the library's Linux soname, which dlopen finds by itself, so during the import
find_library answers nothing. Where that leaves a library unopened (one only gcc's search path
knows), the import runs again the usual way.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import io
import sys
from collections.abc import Iterator


def import_weasyprint() -> None:
    """Import WeasyPrint, opening its C libraries by their sonames first (see the module)."""
    if sys.platform == "linux" and "weasyprint" not in sys.modules:
        with contextlib.suppress(OSError), _without_library_search():
            import weasyprint.text.ffi as ffi

            if ffi.harfbuzz_subset is not None:  # optional, and subsetting is 7x slower without
                return
        _forget_weasyprint()
    import weasyprint  # noqa: F401


@contextlib.contextmanager
def _without_library_search() -> Iterator[None]:
    """find_library finds nothing; WeasyPrint's message on a failed library is kept quiet."""
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        ctypes.util.find_library = search


def _forget_weasyprint() -> None:
    """Drop what the first attempt imported, so that the second opens every library again."""
    for name in [name for name in sys.modules if name.partition(".")[0] == "weasyprint"]:
        del sys.modules[name]


import_weasyprint()
