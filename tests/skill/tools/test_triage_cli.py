"""`hipcoach triage` and `triage()`: the DESIGN.md JSON object, and errors on bad input."""

from __future__ import annotations

import io
import json

import pytest

from hipcoach.medical.knowledge import knowledge
from hipcoach.medical.triage import triage
from hipcoach.tools.triage_cli import main

LEVELS = {"self_care", "see_professional", "urgent", "emergency"}


def run(capsys, argv, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_output_shape_for_partial_findings():
    result = triage({"pain_location": "outer_hip"})
    assert set(result) == {"triage", "conditions", "red_flags", "why", "next_question"}
    assert result["triage"] in LEVELS
    scores = [c["score"] for c in result["conditions"]]
    assert scores == sorted(scores, reverse=True)
    assert result["next_question"]["finding"] == "emergency_screen"
    assert result["next_question"]["prompt"].endswith("?")


def test_bursitis_explained_in_plain_words():
    result = triage(
        {"pain_location": "outer_hip", "worse_lying_on_side": True, "tender_outer_hip": True}
    )
    assert result["conditions"][0]["id"] == "trochanteric_bursitis"
    assert any(
        "outside of the hip that is worse lying on that side" in reason for reason in result["why"]
    )


def test_emergency_and_red_flags():
    result = triage({"after_fall_or_injury": True, "cannot_bear_weight": True})
    assert result["triage"] == "emergency"
    assert result["red_flags"] == ["after_fall_or_injury", "cannot_bear_weight"]
    assert result["why"][0].startswith("Emergency")
    because = knowledge().red_flags["cannot_bear_weight"].because["en-US"]
    assert any(because in reason for reason in result["why"])


@pytest.mark.parametrize("flag", ["cannot_bear_weight", "cannot_move_leg"])
def test_cannot_bear_weight_or_move_the_leg_is_an_emergency_without_a_fall(flag):
    # After a long run, no fall (seed 002: immediate care, with or without a fall).
    result = triage({flag: True, "after_fall_or_injury": False, "pain_location": "groin"})
    assert result["triage"] == "emergency"
    assert flag in result["red_flags"]
    because = knowledge().red_flags[flag].because["en-US"]
    assert result["why"][0].endswith(because)  # says which answer made it urgent


def test_suspected_stress_fracture_is_urgent():
    result = triage({"pain_location": "deep_joint", "pain_on_weight_bearing": True})
    assert result["triage"] == "urgent"
    assert result["conditions"][0]["id"] == "stress_fracture"
    because = knowledge().red_flags["pain_on_weight_bearing"].because["en-US"]
    assert any(because in reason for reason in result["why"])


def test_interview_ends_with_null_next_question():
    findings = {
        "emergency_screen": False,
        "urgent_screen": True,
        "pain_on_weight_bearing": True,
        "sudden_swelling": False,
        "fever_or_chills": False,
        "numbness_or_tingling": False,
        "pain_location": "deep_joint",
        "pain_severity": 6,
        "concern_screen": False,
        "pain_days": 10,
        "eases_with_rest": False,
        "one_side_weaker": False,
        "clicking": False,
        "pain_radiates": "none",
        "pain_lifting_leg": False,
        "onset": "gradual",
        "pain_timing": "during_and_after",
        "pain_quality": "sharp",
        "mileage_increase_pct": 30,
    }
    assert triage(findings)["next_question"] is None


def test_exhausted_findings_are_not_asked_next():
    first = triage({})["next_question"]["finding"]
    second = triage({}, exhausted={first})["next_question"]["finding"]
    assert second != first


def test_cli_file(tmp_path, capsys):
    path = tmp_path / "f.json"
    path.write_text(json.dumps({"pain_location": "groin", "locking_or_catching": True}))
    code, out, err = run(capsys, [str(path)])
    assert code == 0 and err == ""
    assert out.count("\n") == 1
    result = json.loads(out)
    assert result["triage"] == "see_professional"
    assert result["conditions"][0]["id"] == "labral_tear"


def test_cli_stdin(capsys, monkeypatch):
    code, out, _ = run(capsys, ["-"], stdin='{"hip_deformed": true}', monkeypatch=monkeypatch)
    assert code == 0
    assert json.loads(out)["triage"] == "emergency"


def test_cli_accepts_leading_subcommand(capsys, monkeypatch):
    code, out, _ = run(capsys, ["triage", "-"], stdin="{}", monkeypatch=monkeypatch)
    assert code == 0 and json.loads(out)["triage"] == "self_care"


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ('{"hip_hurts": true}', "hip_hurts"),
        ('{"pain_location": "knee"}', "pain_location"),
        ('{"clicking": "yes"}', "clicking"),
        ('{"pain_severity": 11}', "pain_severity"),
        ('{"pain_days": -1}', "pain_days"),
        ("[1, 2]", "object"),
        ("{not json", "JSON"),
    ],
)
def test_cli_bad_input(capsys, monkeypatch, payload, named):
    code, out, err = run(capsys, ["-"], stdin=payload, monkeypatch=monkeypatch)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and named in err


def test_cli_missing_file(capsys, tmp_path):
    code, out, err = run(capsys, [str(tmp_path / "none.json")])
    assert code == 2 and out == "" and err.count("\n") == 1


def test_cli_unknown_exhausted(capsys, monkeypatch):
    code, out, err = run(capsys, ["-", "--exhausted", "bogus"], stdin="{}", monkeypatch=monkeypatch)
    assert code == 2 and out == "" and "bogus" in err


@pytest.mark.parametrize(
    "findings",
    [
        {"pain_location": "deep_joint"},
        {"pain_location": "deep_joint", "worsening": True, "mileage_increase_pct": 40},
        {"pain_location": "outer_hip", "tender_outer_hip": True},
        {"cannot_bear_weight": True},
    ],
)
def test_the_headline_level_agrees_with_the_plan(capsys, monkeypatch, findings):
    """The "triage" headline is never below the care plan's level in force (a likely stress
    fracture is urgent, though the triage rules alone say less); the triage rules' own level
    stays readable as plan.check_level, and "why" says what raised it."""
    order = list(knowledge().levels)
    code, out, _ = run(capsys, ["-"], json.dumps(findings), monkeypatch)
    result = json.loads(out)
    assert code == 0
    assert result["triage"] == result["plan"]["level_in_force"]
    own = triage(findings)
    assert result["plan"]["check_level"] == own["triage"]
    assert order.index(result["triage"]) >= order.index(own["triage"])
    if result["triage"] != own["triage"]:
        assert len(result["why"]) > len(own["why"])
