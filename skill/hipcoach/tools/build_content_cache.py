"""The build step behind hipcoach.content_cache: validate the content from YAML and pickle each
section into a folder (``lambda/build_zip.py`` runs this in a fresh interpreter, so nothing comes
from an earlier cache). A developer tool: it imports every content reader, which no runtime
module may do for the cache's sake."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hipcoach.content_cache import SECTIONS, digest, write
from hipcoach.medical import disclaimer, knowledge
from hipcoach.routines import loader
from hipcoach.speech import answers, locales, texts
from hipcoach.understanding import matcher


def write_caches(folder: str | Path) -> list[Path]:
    """Pickle every section of SECTIONS into `folder`; return the files written."""
    written: list[Path] = []
    specs: list[Any] = [
        module.cache_spec() for module in (locales, knowledge, disclaimer, texts, loader, answers)
    ]
    specs += matcher.cache_specs()  # each locale's catalogue matcher, indexed
    for spec in specs:  # (name, root, files, code, value loaded from YAML / built)
        name, root, files, code, value = spec
        if name not in SECTIONS:
            raise ValueError(f"content cache section {name!r} is not in SECTIONS")
        written.append(write(folder, name, digest(name, root, files, code), value))
    return written


if __name__ == "__main__":
    for path in write_caches(sys.argv[1]):
        print(path)
