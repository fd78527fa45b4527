import json
import subprocess
import sys

from .conftest import GARDEN

CLI = [sys.executable, "-m", "forwardrules.cli"]


def test_validate():
    done = subprocess.run([*CLI, "validate", str(GARDEN)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("ok: 10 rules")


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
