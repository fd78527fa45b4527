"""Issue 4's targets: the vignettes driven through the chat console as spoken answers.

Each runner answers the spoken questions the way the vignette says, in words (synonyms from the
interaction model, "yes"/"no", "about 10 days"); every turn is a real RequestEnvelope through the
skill object with a real SQLite file. Measured and printed: under-triage, agreement with
`hipcoach triage` on the findings the conversation gathered, where the red-flag screens fall, and
the number of questions to a result.
"""

import argparse
import json
import statistics
from functools import cache
from pathlib import Path

import pytest

from hipcoach.medical.knowledge import cases as load_cases
from hipcoach.medical.knowledge import knowledge
from hipcoach.standin.chat import Console
from hipcoach.tools.triage_cli import report

MODEL = Path(__file__).resolve().parents[2] / "skill" / "hipcoach" / "understanding" / "catalogue"
LEVELS = ("self_care", "see_professional", "urgent", "emergency")
RED_FLAG_SCREENS = {"emergency_screen", "urgent_screen"}


@cache
def slot_phrases(locale: str) -> dict[str, dict[str, str]]:
    model = json.loads((MODEL / f"{locale}.json").read_text())["interactionModel"]["languageModel"]
    return {
        t["name"]: {
            v["id"]: (v["name"].get("synonyms") or [v["name"]["value"]])[0] for v in t["values"]
        }
        for t in model["types"]
    }


def runner_findings(case) -> dict:
    findings = dict(case.findings)
    if "pain_severity" in findings:
        findings.setdefault("intense_pain", findings["pain_severity"] >= 8)
    return findings


def utterance_for(finding: str, findings: dict, locale: str) -> str:
    """What the vignette's runner says to the question about `finding`."""
    kb = knowledge()
    question = kb.questions[finding]
    if question.covers:
        yes = any(
            findings.get(c) is (not question.implied_no.get(c, False)) for c in question.covers
        )
        return "yes" if yes else "no"
    value = findings.get(finding)
    spec = kb.facts[finding]
    if value is None:
        if spec.type == "boolean" and finding != "eases_with_rest":
            return "no"
        return "I don't know"
    if spec.type == "boolean":
        return "yes" if value else "no"
    if finding == "pain_days":
        return f"about {value} days"
    if spec.type in ("integer", "number"):
        return str(value)
    for answer in question.answers:
        if answer.slot and answer.map:
            spoken = next((k for k, v in answer.map.items() if v == value), None)
            if spoken is not None:
                slot_type = {
                    "location": "PainLocationType",
                    "radiation": "PainRadiationType",
                    "timing": "PainTimingType",
                    "onset": "OnsetType",
                    "quality": "PainQualityType",
                }[answer.slot]
                return f"it's {slot_phrases(locale)[slot_type][spoken]}"
    raise AssertionError(f"no way to say {finding}={value!r}")


def console(tmp_path, locale="en-US", user="runner") -> Console:
    args = argparse.Namespace(locale=locale, user=user, apl=False, endpoint=None, date="2026-11-20")
    return Console(args)


def converse(case, tmp_path, monkeypatch, locale="en-US"):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / f"{case.id}.db"))
    from hipcoach import app

    app.default_skill.cache_clear()
    chat = console(tmp_path, locale)
    findings = runner_findings(case)
    # an opening that tells no finding ("my hip hurts after running" tells when it hurts): every
    # finding the result rests on is then one the interview asked, as `hipcoach triage` gets them
    turns = [chat.turn_record("open hip coach"), chat.turn_record("can you check my hip")]
    asked, gathered, exhausted = [], {}, []
    while turns[-1]["asking"] and len(asked) < 30:
        finding = turns[-1]["asking"]
        asked.append(finding)
        said = utterance_for(finding, findings, locale)
        turns.append(chat.turn_record(said))
        assert turns[-1]["intent"] != "AMAZON.FallbackIntent", (finding, said)
        if said == "I don't know":
            exhausted.append(finding)
        elif knowledge().questions[finding].covers:
            gathered[finding] = said == "yes"
        else:
            gathered[finding] = findings.get(finding, False)
    result = turns[-1]["result"]
    assert result is not None, turns[-1]
    return asked, gathered, exhausted, result, turns


@pytest.fixture(scope="module")
def cases():
    return load_cases()


@pytest.mark.slow
def test_vignettes_through_the_voice_interview(tmp_path, monkeypatch, cases):
    lengths, under, disagree, late_screens, leader_matches, with_condition = [], [], [], [], 0, 0
    for case in cases:
        asked, gathered, exhausted, result, _ = converse(case, tmp_path, monkeypatch)
        lengths.append(len(asked))
        if LEVELS.index(result["triage"]) < min(LEVELS.index(x) for x in case.triage):
            under.append(case.id)
        direct = report(gathered, exhausted)  # the `hipcoach triage` headline
        if (
            direct["triage"] != result["triage"]
            or [c["id"] for c in direct["conditions"]] != result["conditions"]
        ):
            disagree.append(case.id)
        # The emergency screen comes first, then the urgent screen (second unless the individual
        # red flags behind an emergency "yes" come in between: red flags before anything else).
        red_flag_questions = RED_FLAG_SCREENS | {
            c for s in RED_FLAG_SCREENS for c in knowledge().questions[s].covers
        }
        before_urgent = asked[: asked.index("urgent_screen")] if "urgent_screen" in asked else asked
        screened_early = asked[0] == "emergency_screen" and set(before_urgent) <= red_flag_questions
        if not screened_early:
            late_screens.append(case.id)
        if case.expected_condition:
            with_condition += 1
            leader_matches += result["conditions"][0] == case.expected_condition
    print(
        f"\nvoice interview over {len(cases)} vignettes:"
        f"\n  under-triage: {len(under)} {under}"
        f"\n  result differs from `hipcoach triage` on the same findings: {len(disagree)}"
        f"\n  red-flag screens within the first three questions: "
        f"{len(cases) - len(late_screens)}/{len(cases)}"
        f"\n  questions to a result: median {statistics.median(lengths)}, max {max(lengths)}"
        f"\n  expected condition first after the short interview: "
        f"{leader_matches}/{with_condition} ({leader_matches / with_condition:.0%})"
    )
    assert not under
    assert not disagree
    assert not late_screens
    # 7 before issue 22's warning signs and history screen; 9 with them (see test_triage_cases)
    # 10 since the issue 22 review: numbness alone no longer ends the check at urgent, so the red
    # flags beside it are asked (tests/skill/medical/test_triage_cases.py says the same).
    assert statistics.median(lengths) <= 10


def test_british_runner_gets_999_and_physio(tmp_path, monkeypatch, cases):
    emergency = next(c for c in cases if "emergency" in c.triage and len(c.triage) == 1)
    *_, turns = converse(emergency, tmp_path, monkeypatch, locale="en-GB")
    assert "999" in turns[-1]["speech"]
    assert turns[-1]["result"]["triage"] == "emergency"
    assert "physio" in turns[0]["speech"] or "physio" in " ".join(t["speech"] for t in turns)
