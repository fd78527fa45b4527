"""Run mypy on the three packages, whose import names differ from their folders, and on the
scripts beside them (lambda/, scripts/).

pyproject.toml maps ``forwardrules`` to engine/, ``hipcoach`` to skill/ and ``hipcoach_content``
to content/; mypy finds modules by folder name and cannot see through setuptools' editable
finder. So this builds a farm of symlinks under build/typecheck/ (one per package, named as it
is imported) and points mypy at it; the settings are [tool.mypy] in pyproject.toml.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FARM = ROOT / "build" / "typecheck"
SCRIPT_FOLDERS = ("lambda", "scripts")


def link_farm() -> list[str]:
    """Symlink each top-level package under FARM by its import name; return those names."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    package_dirs: dict[str, str] = setuptools.get("package-dir", {})
    tops = sorted({p.split(".")[0] for p in setuptools["packages"]})
    FARM.mkdir(parents=True, exist_ok=True)
    for top in tops:
        link = FARM / top
        target = os.path.relpath(ROOT / package_dirs.get(top, top), FARM)
        if link.is_symlink() and os.readlink(link) == target:
            continue
        if link.is_symlink():
            link.unlink()
        link.symlink_to(target, target_is_directory=True)
    return tops


def main(argv: list[str]) -> int:
    if importlib.util.find_spec("mypy") is None:
        print("mypy is missing: run make install (the dev extra pins it)", file=sys.stderr)
        return 2
    packages = link_farm()
    scripts = sorted(
        str(p.relative_to(ROOT)) for f in SCRIPT_FOLDERS for p in (ROOT / f).glob("*.py")
    )
    # Folders given as files: mypy names their modules by the link, hence by import name.
    linked = [str((FARM / p).relative_to(ROOT)) for p in packages]
    command = [sys.executable, "-m", "mypy", *linked, *scripts, *argv]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
