"""Validated content, pickled at build time: the knowledge base (and, on its own, the disclaimer a
first launch says), the speech texts, the routines.

Parsing and validating the YAML content costs a cold Lambda container tens of milliseconds (and
PyYAML itself compiles from source there). ``lambda/build_zip.py`` therefore writes each
validated object to ``content_cache/`` in a fresh interpreter
(``hipcoach.tools.build_content_cache``), and the handler points ``$HIPCOACH_CONTENT_CACHE`` at
that folder.

A cache file is keyed by a 64-bit SipHash (``importlib.util.source_hash``, what hash-based .pyc
files are checked with) over the content files it was built from (relative path and
bytes), the source of the module that defines and validates the objects, and the Python version.
On load the key is recomputed from the files on disk and must match the one stored inside the
pickle, and the object must be of the expected type; otherwise (missing, stale, unreadable) the
content is loaded from YAML as usual. Nothing is ever written at run time.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from importlib.util import source_hash
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from pathlib import Path

    Where = str | os.PathLike[str]  # a first launch passes strings: no pathlib on a cold start

CACHE_ENV = "HIPCOACH_CONTENT_CACHE"
# Every section the build writes, by name (the Lambda build checks it got exactly these).
SECTIONS: tuple[str, ...] = ("answers", "disclaimer", "knowledge", "locales", "routines", "texts")
SECTIONS += ("nlu_en_GB", "nlu_en_US")  # each catalogue's matcher (hipcoach.understanding.matcher)
FORMAT = 1
T = TypeVar("T")

if TYPE_CHECKING:
    from pickle import UnpicklingError, loads
else:
    try:  # the C unpickler alone: the pickle module's Python classes cost ~4M instructions, cold
        from _pickle import UnpicklingError, loads
    except ImportError:  # a Python without it
        from pickle import UnpicklingError, loads


def _bytes(path: Where) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _relative(path: Where, root: Where) -> tuple[str, ...]:
    """`path`'s parts below `root` (refused when it is not below it)."""
    relative = os.path.relpath(path, root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep) or os.path.isabs(relative):
        raise ValueError(f"{os.fspath(path)!r} is not in {os.fspath(root)!r}")
    return tuple(relative.split(os.sep))


def digest(name: str, root: Where, files: Iterable[Where], code: Iterable[Where]) -> str:
    """The cache key of `name`: its content files (relative to `root`), the code, the Python."""
    parts = [f"{FORMAT}\0{name}\0{sys.version_info[:2]}\0".encode()]
    for path in code:
        parts.append(b"code\0" + _bytes(path) + b"\0")
    # in the order of their parts below root, whether given as strings or Paths
    for relative, path in sorted(((_relative(p, root), p) for p in files), key=lambda x: x[0]):
        parts.append("/".join(relative).encode() + b"\0" + _bytes(path) + b"\0")
    # SipHash, as hash-based .pyc files are checked against their source: a cold start hashes
    # ~90 KB here, which SHA-256 made ~4.5M instructions (this, ~0.2M)
    return source_hash(b"".join(parts)).hex()


def _file_name(name: str, key: str) -> str:
    return f"{name}-{key[:32]}.pickle"


def cache_file(folder: Where, name: str, key: str) -> Path:
    from pathlib import Path

    return Path(folder) / _file_name(name, key)


def read(folder: Where | None, name: str, key: str, kind: type[T]) -> T | None:
    """The cached object of `name` for `key`, or None when missing, stale or unreadable."""
    if not folder:
        return None
    try:
        stored = loads(_bytes(os.path.join(folder, _file_name(name, key))))
    except (OSError, UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    if (
        isinstance(stored, tuple)
        and len(stored) == 2
        and stored[0] == key
        and isinstance(stored[1], kind)
    ):
        return stored[1]
    return None


def write(folder: Where, name: str, key: str, value: object) -> Path:
    import pickle  # build time only

    path = cache_file(folder, name, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))
    temporary.replace(path)
    return path


def cached(
    name: str,
    root: Where,
    files: Iterable[Where],
    code: Iterable[Where],
    kind: type[T],
    load: Callable[[], T],
) -> T:
    """`load()`, or the validated object from $HIPCOACH_CONTENT_CACHE when it is of this very
    content and code."""
    folder = os.environ.get(CACHE_ENV)
    if folder:
        found = read(folder, name, digest(name, root, files, code), kind)
        if found is not None:
            return found
    return load()
