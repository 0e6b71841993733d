"""`pip install .` (not only an editable install) ships the default templates inside the package."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def test_wheel_contains_templates_and_runs_from_any_folder(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("pressexport-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "pressexport/templates/text/release.txt.j2" in names
    assert "pressexport/locale/ar/LC_MESSAGES/pressexport.po" in names  # the label catalogues
    # Unpacked alone (no source checkout beside it), the package finds its own templates.
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    work = tmp_path / "work"
    shutil.copytree(ROOT / "source", work / "source")
    result = subprocess.run(
        [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
         "from pressexport.templates import default_dir; print(default_dir()); "
         "from pressexport.cli import main; sys.argv = ['pressexport', 'email', '-q']; main()",
         str(target)],
        cwd=work, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(str(target)), result.stdout
    assert list((work / "out").rglob("*.txt"))
