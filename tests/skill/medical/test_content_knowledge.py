"""The knowledge base loads, validates, cites its sources and agrees with the rules."""

from __future__ import annotations

import re

import pytest
import yaml

from forwardrules import load_rulebook
from hipcoach.content_location import CONTENT_DIR
from hipcoach.medical.knowledge import (
    LEVELS,
    ContentError,
    cases,
    knowledge,
    load_cases,
    load_knowledge,
)

DESIGN_FINDINGS = {
    "pain_location": ["outer_hip", "front_hip", "groin", "deep_joint", "buttock"],
    "pain_radiates": ["none", "thigh_or_knee", "lower_back"],
    "pain_timing": ["during_run", "after_run", "during_and_after", "at_rest"],
    "onset": ["sudden", "gradual"],
    "pain_quality": ["dull_ache", "sharp", "burning"],
}
DESIGN_BOOLEANS = [
    "worse_lying_on_side",
    "tender_outer_hip",
    "pain_on_weight_bearing",
    "pain_lifting_leg",
    "clicking",
    "locking_or_catching",
    "giving_way",
    "stiffness",
    "eases_with_rest",
    "worsening",
    "recurrent",
    "daily_activities_limited",
    "night_pain",
    "numbness_or_tingling",
    "cannot_bear_weight",
    "cannot_move_leg",
    "hip_deformed",
    "sudden_swelling",
    "fever_or_chills",
    "after_fall_or_injury",
    "recent_speedwork",
    "downhill_running",
    "one_side_weaker",
]
DESIGN_CONDITIONS = {
    "trochanteric_bursitis",
    "hip_flexor_strain",
    "it_band_syndrome",
    "iliopsoas_tendinitis",
    "labral_tear",
    "stress_fracture",
    "muscle_soreness",
    "muscle_imbalance",
}


@pytest.fixture(scope="module")
def kb():
    return knowledge()


def test_engine_accepts_the_rules(kb):
    book = load_rulebook(kb.rules_dir)
    with book.session() as session:
        assert session.result().value("triage") == "self_care"


def test_design_vocabulary_is_accepted_exactly(kb):
    for name, values in DESIGN_FINDINGS.items():
        assert kb.facts[name].type == "enum"
        assert list(kb.facts[name].values) == values
    for name in DESIGN_BOOLEANS:
        assert kb.facts[name].type == "boolean", name
    assert kb.facts["pain_severity"].type == "integer"
    assert (kb.facts["pain_severity"].minimum, kb.facts["pain_severity"].maximum) == (0, 10)
    assert kb.facts["pain_days"].type == "integer"
    assert kb.facts["mileage_increase_pct"].type == "number"
    assert kb.facts["shoe_miles"].type == "number"
    assert set(kb.condition_ids) >= DESIGN_CONDITIONS
    assert tuple(kb.levels) == LEVELS


def test_every_condition_is_complete_and_sourced(kb):
    assert set(kb.conditions) == set(kb.condition_ids)
    for condition in kb.conditions.values():
        assert condition.name and condition.points_to
        for statement in (
            condition.description,
            condition.ok_to_run,
            condition.tonight,
            condition.recovery,
            condition.prevention,
        ):
            assert statement.text.strip() and statement.source in kb.sources
        assert condition.description.text.count(". ") == 0, "one sentence"


def _rules_by_condition(kb, condition_id, sign):
    return [
        rule
        for rule in kb.rules.values()
        if rule.kind == "scoring" and sign * rule.scores.get(condition_id, 0) > 0
    ]


def test_findings_pointing_to_and_away_agree_with_scoring(kb):
    for condition in kb.conditions.values():
        for sign, refs in ((1, condition.points_to), (-1, condition.points_away)):
            rules = _rules_by_condition(kb, condition.id, sign)
            for ref in refs:
                assert any(ref.finding in rule.findings for rule in rules), (
                    f"{condition.id}: {ref.describe()} has no scoring rule with that sign"
                )


def test_every_rule_cites_a_seed_and_explains_itself(kb):
    for rule in kb.rules.values():
        assert rule.source in kb.sources
        assert rule.why and not rule.why.endswith(".")
        assert rule.kind == "triage" or rule.scores


def test_every_askable_finding_has_questions_in_both_locales(kb):
    book = load_rulebook(kb.rules_dir)
    asked = {q.fact if hasattr(q, "fact") else q for q in book.vocabulary.askable}
    assert asked == set(kb.questions)
    for question in kb.questions.values():
        assert "?" in question.text("en-US") and "?" in question.text("en-GB")
        assert question.reprompt_text("en-GB")
        assert question.answers
        assert any(answer.unknown for answer in question.answers), question.finding


def test_red_flags_are_screened_within_the_first_three_questions(kb):
    # A runner who answers "no" to everything: the first three questions the engine picks.
    asked = []
    with load_rulebook(kb.rules_dir).session() as session:
        for _ in range(3):
            fact = session.next_question().fact
            asked.append(fact)
            spec = kb.facts[fact]
            session.add({fact: False if spec.type == "boolean" else (spec.values or [5])[0]})
    first_three = [kb.questions[fact] for fact in asked]
    screened = {q.finding for q in first_three} | {c for q in first_three for c in q.covers}
    assert "intense_pain" in screened
    for flag in (
        "cannot_bear_weight",
        "cannot_move_leg",
        "hip_deformed",
        "after_fall_or_injury",
        "sudden_swelling",
        "fever_or_chills",
        "numbness_or_tingling",
        "pain_on_weight_bearing",
    ):
        assert flag in screened


def test_locale_wording_and_emergency_numbers(kb):
    assert all("{emergency_number}" in text for text in kb.disclaimer.values())  # the policy's
    assert "physical therapist" in kb.disclaimer["en-US"]
    assert "physio" in kb.disclaimer["en-GB"]
    for level in kb.levels.values():
        assert "physical therapist" not in level.action["en-GB"]
    assert "physical therapist" in kb.levels["see_professional"].action["en-US"]
    assert "physio" in kb.levels["see_professional"].action["en-GB"]


@pytest.mark.parametrize(
    ("topic", "numbers"),
    [
        ("mileage", ["10"]),
        ("shoes", []),  # a {low} to {high} template in the runner's unit: test_runner_questions
        ("ice_heat", ["15", "20", "24", "72"]),
        ("warm_up", ["5", "10"]),
        ("cool_down", ["20", "30"]),
        ("strength", ["2", "3"]),
        ("running_form", []),
    ],
)
def test_prevention_topics(kb, topic, numbers):
    entry = kb.prevention[topic]
    for number in numbers:
        assert re.search(rf"\b{number}\b", entry.text), (topic, number)
    assert all(source in kb.sources for source in entry.sources)


def test_advice_covers_every_level(kb):
    assert set(kb.advice["run_tomorrow"]) == set(LEVELS)
    assert "15 to 20 minutes" in str(kb.advice["tonight"])
    assert "24 to 72 hours" in str(kb.advice["tonight"])


def test_medical_statements_cite_seed_file_names(kb):
    pattern = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
    assert len(kb.sources) == 5
    assert all(pattern.match(name) for name in kb.sources)


def test_invalid_content_is_rejected(tmp_path):
    import shutil

    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = copy / "conditions.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["conditions"][0]["description"]["source"] = "not_a_seed.txt"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match=r"not_a_seed\.txt"):
        load_knowledge(copy)


def test_invalid_case_is_rejected_when_cases_are_loaded(tmp_path):
    import shutil

    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = sorted((copy / "cases").glob("*.yaml"))[0]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["cases"][0]["triage"] = ["not_a_level"]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    kb = load_knowledge(copy)  # the knowledge base does not read the vignettes
    assert not hasattr(kb, "cases")
    with pytest.raises(ContentError, match=r"triage must list levels"):
        load_cases(copy, kb)


def test_at_least_45_vignettes(kb):
    assert len(cases()) >= 45
    for case in cases():
        assert case.source in kb.sources
