"""The seed's own words behind the answers to everyday questions (content/answers.yaml `quote`)
and behind what each condition feels like and how it is treated (content/conditions.yaml
`symptoms`, `treatment`): every quote is found in the seed its statement cites."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from hipcoach.content_location import CONTENT_DIR

ROOT = Path(__file__).resolve().parents[3]
SEEDS = Path("/work/shared/seeds") if Path("/work/shared/seeds").exists() else ROOT / "seeds"


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("“", '"').replace("”", '"')).strip()


def _load(name: str) -> Any:
    return yaml.safe_load((CONTENT_DIR / name).read_text(encoding="utf-8"))


def _quoted() -> list[tuple[str, dict[str, Any]]]:
    """(where, statement) for every statement that must carry a quote, and every one that does."""
    found: list[tuple[str, dict[str, Any]]] = []
    for node in _load("conditions.yaml")["conditions"]:
        for item in node.get("symptoms") or []:
            found.append((f"{node['id']}.symptoms", item))
        if "treatment" in node:
            found.append((f"{node['id']}.treatment", node["treatment"]))
    for key, node in _load("answers.yaml")["answers"].items():
        if "quote" in node:
            found.append((f"answers.{key}", node))
    return found


def test_every_symptom_treatment_and_answer_quote_is_in_its_seed() -> None:
    quoted = _quoted()
    assert len(quoted) >= 20
    for where, statement in quoted:
        assert statement.get("quote"), f"{where}: no quote"
        path = SEEDS / statement["source"]
        if not path.exists():
            pytest.skip("seed articles not on this machine")
        seed = _normal(path.read_text(encoding="utf-8"))
        assert _normal(statement["quote"]) in seed, (where, statement["source"])
