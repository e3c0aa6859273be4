"""Where the installed `cma` console script is: next to this interpreter, else on PATH; never a fixed path."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def installed_cma() -> Path:
    """The `cma` script of the environment running the tests (raises if it is not installed)."""
    here = Path(sys.executable).parent / ("cma.exe" if sys.platform == "win32" else "cma")
    if here.exists():
        return here
    found = shutil.which("cma")
    if found:
        return Path(found)
    raise FileNotFoundError("The `cma` console script is not installed: run `pip install -e '.[test]'` first.")
