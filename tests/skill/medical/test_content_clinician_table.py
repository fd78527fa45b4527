"""docs/clinician-table.md is exactly what scripts/clinician_table.py generates from content/."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from hipcoach.medical.knowledge import knowledge

ROOT = Path(__file__).resolve().parents[3]


def _script():
    spec = importlib.util.spec_from_file_location(
        "clinician_table", ROOT / "scripts" / "clinician_table.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_table_matches_the_content():
    generated = _script().render(knowledge())
    committed = (ROOT / "docs" / "clinician-table.md").read_text(encoding="utf-8")
    assert committed == generated, "run: .venv/bin/python scripts/clinician_table.py"


def test_table_names_every_condition_and_level():
    text = _script().render(knowledge())
    for condition in knowledge().conditions.values():
        assert condition.name in text
    for level in ("self_care", "see_professional", "urgent", "emergency"):
        assert level in text
