"""Places the suites share: the repository root and the one folder of conversation corpora."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "tests" / "corpora"
