"""WeasyPrint imported quickly: every worker imports it before its first PDF, on the path of
every incremental build.

WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject by trying several names for each (those
of Windows, macOS and Linux). On Linux cffi hands every name that dlopen did not open to
`ctypes.util.find_library`, which runs ldconfig, gcc and ld for it: a fifth of a second or more
(Kozea/WeasyPrint#1125). Each list ends with the library's Linux soname, which dlopen finds by
itself, so during the import find_library answers nothing. Where that leaves a library unopened
(one only gcc's search path knows), the import runs again the usual way.

WeasyPrint also imports two parts of fontTools for fonts it rarely meets: the instancer, for
variable fonts, and the subsetter, used only where HarfBuzz cannot subset. Together they take
another seventh of a second, so during the import each is a stand-in, which imports the real
module the first time WeasyPrint uses it.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import io
import sys
import types
from collections.abc import Callable, Iterator
from typing import Any

#: The modules WeasyPrint imports that are rarely used, with the functions it imports from them.
DEFERRED = {"fontTools.varLib.instancer": ("instantiateVariableFont",), "fontTools.subset": ()}


def import_weasyprint() -> None:
    """Import WeasyPrint, opening its C libraries by their sonames first and leaving out the
    rarely used parts of fontTools until they are used (see the module)."""
    with _stand_ins():
        if sys.platform == "linux" and "weasyprint" not in sys.modules:
            with contextlib.suppress(OSError), _without_library_search():
                import weasyprint.text.ffi as ffi

                if ffi.harfbuzz_subset is not None:  # optional; subsetting is 7x slower without
                    return
            _forget_weasyprint()
        import weasyprint  # noqa: F401


@contextlib.contextmanager
def _stand_ins() -> Iterator[None]:
    """Each module of DEFERRED not yet imported is a stand-in while WeasyPrint is imported."""
    stand_ins = {name: _stand_in(name, functions) for name, functions in DEFERRED.items()
                 if name not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]


def _stand_in(name: str, functions: tuple[str, ...]) -> types.ModuleType:
    """A module that imports `name` when an attribute of it is read, or when one of
    `functions` (taken from it at import time) is called."""
    module = types.ModuleType(name)

    def real() -> types.ModuleType:
        if sys.modules.get(name) is module:  # used while WeasyPrint is still being imported
            del sys.modules[name]
        return importlib.import_module(name)

    def forward(function: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(real(), function)(*args, **kwargs)

        call.__name__ = call.__qualname__ = function
        return call

    def attribute(key: str) -> Any:
        if key.startswith("__"):  # what the import system asks of every module it imports
            raise AttributeError(key)
        return getattr(real(), key)

    module.__getattr__ = attribute  # type: ignore[method-assign]
    for function in functions:
        setattr(module, function, forward(function))
    return module


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
