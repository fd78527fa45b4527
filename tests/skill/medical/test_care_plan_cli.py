"""`hipcoach triage` gains the plan; `hipcoach plan --user ID --date D` prints a stored runner's
plan; "should I see a doctor?" is built from the red-flag rules with the locale's numbers."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from hipcoach.medical.triage import see_doctor_signs, signs_for
from hipcoach.memory.actions import record_check
from hipcoach.speech.answers import catalogue
from hipcoach.speech.texts import Texts
from hipcoach.tools import plan_cli, triage_cli


def test_triage_json_keeps_its_keys_and_adds_the_plan(tmp_path, capsys):
    path = tmp_path / "f.json"
    path.write_text(json.dumps({"pain_location": "deep_joint"}))
    assert triage_cli.main([str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"triage", "conditions", "red_flags", "why", "next_question", "plan"} <= set(out)
    assert out["plan"]["level_in_force"] == "urgent"
    assert out["plan"]["routines_allowed"] == []
    # Every reason quotes its seed, the scoring rules' too.
    assert all(r["quote"] for r in out["plan"]["reasons"])


def _store(db, user, record):
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE attributes (user_id TEXT PRIMARY KEY, data TEXT, version TEXT)")
        conn.execute(
            "INSERT INTO attributes VALUES (?, ?, ?)",
            (plan_cli.LOCAL_USER_PREFIX + user, json.dumps(record), "v1"),
        )


def test_plan_for_a_stored_runner_on_a_date(tmp_path, capsys):
    db = tmp_path / "hip.db"
    record = record_check({}, {"cannot_bear_weight": True}, "emergency", None, date(2026, 5, 4))
    _store(db, "ana", record)
    assert plan_cli.main(["--user", "ana", "--date", "2026-05-06", "--db", str(db)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["plan"]["level_in_force"] == "emergency"
    assert out["plan"]["running"] == "no_running_emergency"
    assert plan_cli.main(["--user", "nobody", "--db", str(db)]) == 2
    assert "no stored runner" in capsys.readouterr().err
    assert plan_cli.main(["--user", "ana", "--date", "May 6", "--db", str(db)]) == 2


def test_should_i_see_a_doctor_comes_from_the_rules():
    for locale, number in (("en-US", "911"), ("en-GB", "999")):
        texts = Texts(locale)
        signs = see_doctor_signs(locale, texts.get("care_plan.signs_or"))
        for sign in signs_for("emergency", locale):
            assert sign in signs["emergency_signs"]
        text = catalogue().answers["see_doctor"].text_for(locale) or ""
        said = text.format(professional="p", emergency_number=number, **signs)
        assert number in said and "can't move the leg" in said and "out of place" in said


def test_the_plan_reads_for_a_clinician_days_after_the_check(tmp_path, capsys):
    """Days after a check, `check_level` is that check's level (not the level of a day without
    findings), with its date and cause; the readable part gives each level's label and action,
    the run answer and each routine allowed or refused with why, in the locale's words, and
    every reason with its seed sentence."""
    db = tmp_path / "hip.db"
    findings = {"pain_location": "groin", "pain_on_weight_bearing": True}
    record = record_check({}, findings, "urgent", "stress_fracture", date(2026, 5, 4))
    _store(db, "bo", record)
    args = ["--user", "bo", "--date", "2026-05-07", "--db", str(db), "--locale", "en-GB"]
    assert plan_cli.main(args) == 0
    out = json.loads(capsys.readouterr().out)
    plan, readable = out["plan"], out["readable"]
    assert plan["check_level"] == "urgent" and plan["check_date"] == "2026-05-04"
    assert plan["check_cause"] == "stress_fracture"
    assert readable["latest_check"]["days_ago"] == 3
    assert readable["latest_check"]["level"].startswith("urgent: Stop running")
    assert "stress fracture" in readable["latest_check"]["likeliest_cause"]
    assert readable["running"].startswith("No.")
    assert all(v.startswith("refused: ") and "doctor" in v for v in readable["routines"].values())
    assert all('.txt: "' in reason for reason in readable["reasons"])
    assert plan_cli.main([*args[:-1], "xx-XX"]) == 2
