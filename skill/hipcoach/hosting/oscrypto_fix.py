"""Make ``import flask_ask_sdk`` work on OpenSSL 3.0.10 and later, whatever pip installed.

The trap: flask-ask-sdk -> ask-sdk-webservice-support -> certvalidator -> oscrypto 1.3.0 (the
newest oscrypto on PyPI). At import, oscrypto reads libcrypto's version string with the pattern
``\\b(\\d\\.\\d\\.\\d[a-z]*)\\b``; "OpenSSL 3.0.19" has a two-digit patch number, the pattern finds
nothing and the import raises ``LibraryNotFoundError``, before any flag that turns verification off
can be read.

Options weighed:

* ``elements-oscrypto`` 1.4.0b1 installs a fixed module under the same name ``oscrypto``;
  certvalidator still pulls ``oscrypto`` 1.3.0, both write ``oscrypto/``, and whichever pip
  installs last wins: the result depends on resolver order and on upgrades. Not robust.
* Our own verifiers only: ours are built on ``cryptography`` (see :mod:`hipcoach.hosting.verify`),
  but
  the import chain runs through certvalidator, so that alone does not make the import work.
* Chosen: a small import hook. When (and only when) Python loads the two modules that hold the
  version check, ``oscrypto._openssl._libcrypto_cffi`` and ``oscrypto._openssl._libcrypto_ctypes``,
  the hook compiles their source with the version pattern widened to ``\\d+\\.\\d+\\.\\d+`` (the
  same change oscrypto made upstream after 1.3.0). Nothing else changes, nothing on disk changes.
  If the installed oscrypto is already fixed (a later release, or elements-oscrypto), the old
  pattern is absent and the hook loads the module untouched, so install order cannot matter.

Importing this module installs the hook (:func:`install` is idempotent); it must happen before
anything imports oscrypto, so :mod:`hipcoach.hosting.verify` and :mod:`hipcoach.hosting.web`
import it first.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import CodeType, ModuleType

PATCHED_MODULES = frozenset(
    {"oscrypto._openssl._libcrypto_cffi", "oscrypto._openssl._libcrypto_ctypes"}
)
# The pattern exactly as it appears in oscrypto 1.3.0's source, and its upstream replacement.
OLD_PATTERN = "'\\\\b(\\\\d\\\\.\\\\d\\\\.\\\\d[a-z]*)\\\\b'"
NEW_PATTERN = "'\\\\b(\\\\d+\\\\.\\\\d+\\\\.\\\\d+[a-z]*)\\\\b'"


def patch_source(source: str) -> str:
    """The module source with the version pattern widened (unchanged when already fixed)."""
    return source.replace(OLD_PATTERN, NEW_PATTERN)


class _PatchingLoader(importlib.machinery.SourceFileLoader):
    """Compiles from the (patched) source, never from a cached .pyc of the unpatched file."""

    def get_code(self, fullname: str) -> CodeType:
        path = self.get_filename(fullname)
        source = self.get_data(path).decode("utf-8")
        return compile(patch_source(source), path, "exec", dont_inherit=True)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in PATCHED_MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
            return spec
        return importlib.util.spec_from_file_location(
            fullname, spec.origin, loader=_PatchingLoader(fullname, spec.origin)
        )


def install() -> None:
    """Put the hook at the front of ``sys.meta_path`` (once)."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


install()
