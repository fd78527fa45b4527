import json
import subprocess
import sys
from pathlib import Path

from .conftest import GARDEN

CLI = [sys.executable, "-m", "forwardrules.cli"]


def test_validate():
    done = subprocess.run([*CLI, "validate", str(GARDEN)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("ok: 10 rules")
    assert "record" not in done.stdout


def test_validate_counts_record_rules():
    fraud = Path(__file__).resolve().parents[2] / "engine" / "examples" / "fraud"
    done = subprocess.run([*CLI, "validate", str(fraud)], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.strip() == "ok: 0 rules, 0 facts, 4 record rules, 3 record types"


def test_run_prints_conclusions_trace_and_next_question():
    facts = json.dumps({"soil": "soggy", "any_emergency": False})
    done = subprocess.run(
        [*CLI, "run", str(GARDEN), "-"], input=facts, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    output = json.loads(done.stdout)
    assert output["conclusions"]["urgency"] == "soon"
    assert output["firings"][0]["rule"] == "soggy_soil_means_overwatered"
    assert output["next_question"] == "leaf_colour"


def test_bad_fact_exits_2():
    done = subprocess.run(
        [*CLI, "run", str(GARDEN), "-"], input='{"soil": "wet"}', capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "soil" in done.stderr and done.stdout == ""
