"""Pause the cyclic garbage collector while a burst of long-lived objects is built.

Parsing a rules file creates hundreds of thousands of objects that all survive (nodes, marks,
mappings); every generation-0 threshold crossed then triggers collections that traverse all of
them again, which made loading 10,000 rules several times slower than the parse itself. Nothing
built here forms garbage cycles worth collecting mid-load: reference counting frees the parse
tree, and the collector runs normally again afterwards.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()
_PAUSES = 0  # nested or concurrent loads: the collector resumes when the last one ends
_WAS_ENABLED = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable automatic collection inside the block; restore the host's setting after it."""
    global _PAUSES, _WAS_ENABLED
    with _LOCK:
        if _PAUSES == 0:
            _WAS_ENABLED = gc.isenabled()
            gc.disable()
        _PAUSES += 1
    try:
        yield
    finally:
        with _LOCK:
            _PAUSES -= 1
            if _PAUSES == 0 and _WAS_ENABLED:
                gc.enable()
