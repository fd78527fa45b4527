from pathlib import Path

import pytest

from forwardrules import load_rulebook

GARDEN = Path(__file__).resolve().parent / "garden"


@pytest.fixture(scope="session")
def garden():
    return load_rulebook(GARDEN)


def write_rules(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return tmp_path
