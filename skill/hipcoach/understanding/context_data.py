"""catalogue/context.json, compiled by `make model` from content/language/context/triggers.yaml:
the ConText trigger terms and the reading's other word lists. Its own module so that the word
parsers (hipcoach.understanding.words) and ConText (hipcoach.understanding.context) both read it
without importing each other."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

TRIGGERS_FILE = Path(__file__).resolve().parent / "catalogue" / "context.json"


@cache
def raw() -> Mapping[str, Any]:
    """catalogue/context.json as loaded (the rules module reads its other sections)."""
    data: Mapping[str, Any] = json.loads(TRIGGERS_FILE.read_text(encoding="utf-8"))
    return data
