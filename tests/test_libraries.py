"""How the PDF writer imports WeasyPrint: quickly (no compiler run to find its libraries, no
rarely used part of fontTools), yet with every library and every part there when needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

ON_LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the search is Linux's")


def printed(program: str, *args: str) -> str:
    """What `program` prints, run in a fresh Python (nothing imported yet)."""
    return subprocess.run([sys.executable, "-c", program, *args], capture_output=True,
                          text=True, check=True).stdout


WATCH_SUBPROCESSES = """
import subprocess, sys
ran = []
class Recorded(subprocess.Popen):
    def __init__(self, args, *rest, **options):
        ran.append(args)
        super().__init__(args, *rest, **options)
subprocess.Popen = Recorded
import pressexport.writers.pdf
from weasyprint.text import ffi
print(repr(ran), ffi.harfbuzz_subset is not None)
"""


@ON_LINUX
def test_a_worker_imports_weasyprint_without_running_the_compiler() -> None:
    # ctypes' find_library runs ldconfig, gcc and ld for every name WeasyPrint tries: a fifth
    # of a second or more on the path of every incremental build.
    assert printed(WATCH_SUBPROCESSES) == "[] True\n"



ONLY_THE_SEARCH_FINDS = """
import ctypes.util, cffi, sys
search, dlopen = ctypes.util.find_library, cffi.FFI.dlopen
def opened_only_by_path(self, name, flags=0):
    if ctypes.util.find_library is not search and name == sys.argv[1]:
        raise OSError("not by its soname")  # as a library only gcc's search path knows
    return dlopen(self, name, flags)
cffi.FFI.dlopen = opened_only_by_path
import pressexport.writers.pdf
from weasyprint.text import ffi
print(ffi.pango is not None, ffi.harfbuzz_subset is not None, ctypes.util.find_library is search)
"""


@ON_LINUX
@pytest.mark.parametrize("soname", ["libpango-1.0.so.0", "libharfbuzz-subset.so.0"])
def test_a_library_that_only_the_search_finds_is_still_opened(soname: str) -> None:
    # ...and WeasyPrint's message of the first try kept quiet.
    assert printed(ONLY_THE_SEARCH_FINDS, soname) == "True True True\n"


RARELY_USED = """
import sys
from pathlib import Path
import pressexport.writers.pdf
print([name for name in ("fontTools.subset", "fontTools.varLib.instancer") if name in sys.modules])
"""


def test_weasyprint_is_imported_without_the_parts_of_fonttools_it_rarely_uses() -> None:
    # The instancer (variable fonts) and the subsetter (without HarfBuzz) take a fifth of a
    # second of every worker's start.
    assert printed(RARELY_USED) == "[]\n"


SUBSET_BY_FONTTOOLS = """
import sys
from pathlib import Path
import pressexport.writers.pdf
import weasyprint.pdf.fonts
from weasyprint import HTML
weasyprint.pdf.fonts.harfbuzz_subset = None  # as where HarfBuzz cannot subset
HTML(string="<p style='font-family: Carlito'>Liu Liu, IOM China</p>").write_pdf(sys.argv[1])
print(type(sys.modules["fontTools.subset"].Subsetter).__name__)
"""


def test_without_harfbuzz_the_real_subsetter_subsets_the_fonts(tmp_path: Path) -> None:
    pdf = tmp_path / "subset.pdf"
    assert printed(SUBSET_BY_FONTTOOLS, str(pdf)) == "type\n"
    assert PdfReader(pdf).pages[0].extract_text() == "Liu Liu, IOM China"


VARIABLE_FONT = """
import subprocess, sys
import pressexport.writers.pdf
from fontTools.ttLib import TTFont
from weasyprint.pdf.fonts import instantiateVariableFont
carlito = subprocess.run(["fc-match", "-f", "%{file}", "Carlito"], capture_output=True,
                         text=True, check=True).stdout
try:
    instantiateVariableFont(TTFont(carlito), {"wght": 700}, static=True)
except ValueError as error:  # the real instancer's: Carlito is not a variable font
    print(error)
"""


def test_what_weasyprint_calls_for_a_variable_font_is_the_real_instancer() -> None:
    assert printed(VARIABLE_FONT) == "Missing required table fvar\n"
