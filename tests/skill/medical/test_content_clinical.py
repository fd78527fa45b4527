"""Issue 16's clinical review, as content decisions: the two causes from outside the hip outweigh
every hip condition, red flags say which answer made it urgent, tomorrow's run and the routine offer
follow the seeds, and the knowledge base takes the rules from the engine's Rulebook."""

from __future__ import annotations

import shutil

import pytest
import yaml

from hipcoach.content_location import CONTENT_DIR
from hipcoach.medical.knowledge import ROUTINE_STEPS, ContentError, knowledge, load_knowledge
from hipcoach.medical.triage import driving_red_flags, rulebook, run_tomorrow, triage
from hipcoach.routines.offers import offer_for

OUTSIDE_THE_HIP = ("joint_infection", "lower_back_referral")
# A fall with a deformed leg, or one that can't take weight or move (issue 22 review): the break
# or dislocation comes first even with numbness beside it; its score needs those emergency signs.
TRAUMA = ("fracture_or_dislocation",)


def _admits(rule, location):
    """Whether the rule can fire with the pain at `location` (None: location unknown)."""
    tests = [
        lit.atom for alt in rule.alternatives for lit in alt if lit.atom.fact == "pain_location"
    ]
    if not tests:
        return True
    spec = rulebook().vocabulary.facts["pain_location"]
    return location is not None and any(atom.holds(spec, location) for atom in tests)


def _highest_reachable(key):
    """An upper bound of a condition's score: every positive score that can fire together with
    one pain location, summed (the location is the one exclusive finding the hip rules split on)."""
    locations = [None, *rulebook().vocabulary.facts["pain_location"].values]
    return max(
        sum(
            a.value.args[0]
            for rule in rulebook().rules
            if _admits(rule, location)
            for a in rule.then
            if a.fact == "condition_score" and a.key == key and a.value.args[0] > 0
        )
        for location in locations
    )


def test_outside_the_hip_outweighs_every_hip_condition():
    kb = knowledge()
    hip = [cid for cid in kb.condition_ids if cid not in OUTSIDE_THE_HIP + TRAUMA]
    best_hip = max(_highest_reachable(cid) for cid in hip)
    fever = triage({"fever_or_chills": True})["conditions"][0]
    numbness = triage({"numbness_or_tingling": True})["conditions"][0]
    back = triage({"pain_radiates": "lower_back"})["conditions"][0]
    assert fever["id"] == "joint_infection" and fever["score"] > best_hip
    assert fever["score"] > _highest_reachable("lower_back_referral")
    for result in (numbness, back):
        assert result["id"] == "lower_back_referral" and result["score"] > best_hip


@pytest.mark.parametrize("cid", OUTSIDE_THE_HIP)
def test_outside_the_hip_gets_advice_and_no_routine(cid):
    condition = knowledge().conditions[cid]
    assert condition.routine.sharp == condition.routine.settled == "none"
    assert condition.run_tomorrow == "no"
    for level in ("self_care", "see_professional", "urgent"):
        assert offer_for(level, cid, False) is None


def test_every_red_flag_says_which_answer_in_both_locales():
    kb = knowledge()
    flags = set(rulebook().vocabulary.facts["red_flag"].values)
    assert set(kb.red_flags) == flags
    for flag in kb.red_flags.values():
        assert set(flag.because) == {"en-US", "en-GB"} and flag.source in kb.sources


def test_the_red_flags_that_set_the_level_are_named():
    kb = knowledge()
    with rulebook().session() as session:
        session.add({"cannot_bear_weight": True, "recurrent": True, "pain_days": 30})
        result = session.result()
        fired = [firing.rule for firing in result.firings]
    assert result.value("triage") == "emergency"
    assert driving_red_flags(kb, fired, "emergency") == ["cannot_bear_weight"]
    assert set(driving_red_flags(kb, fired, "see_professional")) == {"recurrent", "pain_days"}


def test_a_strain_means_no_run_tomorrow_even_at_self_care():
    kb = knowledge()
    strain = kb.conditions["hip_flexor_strain"]
    assert run_tomorrow(kb, "self_care", "hip_flexor_strain") == strain.ok_to_run.text
    level_text = kb.levels["self_care"].run_tomorrow["en-GB"]
    assert run_tomorrow(kb, "self_care", "trochanteric_bursitis", "en-GB") == level_text
    assert run_tomorrow(kb, "self_care", None) == kb.levels["self_care"].run_tomorrow["en-US"]
    urgent = kb.levels["urgent"].run_tomorrow["en-US"]
    assert run_tomorrow(kb, "urgent", "hip_flexor_strain") == urgent  # already "no"


def test_routine_offers_never_exceed_the_level_or_the_condition():
    kb = knowledge()
    for cid, condition in kb.conditions.items():
        for level in kb.levels.values():
            for sharp in (True, False):
                offered = offer_for(level.id, cid, sharp) or "none"
                allowed = condition.routine.sharp if sharp else condition.routine.settled
                assert ROUTINE_STEPS.index(offered) <= ROUTINE_STEPS.index(allowed)
                assert ROUTINE_STEPS.index(offered) <= ROUTINE_STEPS.index(level.routine_cap)


def test_rule_meta_comes_from_the_engines_rulebook():
    kb = knowledge()
    book = rulebook()
    assert set(kb.rules) == {rule.id for rule in book.rules}
    for rule in book.rules:
        assert kb.rules[rule.id].why == rule.meta["why"]
        assert kb.rules[rule.id].source == rule.meta["source"]


def test_every_fact_a_screen_covers_is_askable_itself():
    askable = rulebook().vocabulary.askable
    for screen in askable.values():
        for covered in screen.covers:
            assert covered in askable and covered in knowledge().questions


def _copy(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return copy


def _edit(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_every_content_problem_is_reported_at_once_with_file_and_line(tmp_path):
    copy = _copy(tmp_path)

    def break_conditions(data):
        del data["conditions"][0]["tonight"]
        data["conditions"][1]["run_tomorrow"] = "perhaps"

    def break_levels(data):
        del data["red_flags"]["cannot_bear_weight"]

    _edit(copy / "conditions.yaml", break_conditions)
    _edit(copy / "triage_levels.yaml", break_levels)
    with pytest.raises(ContentError) as caught:
        load_knowledge(copy)
    problems = caught.value.problems
    assert len(problems) == 3, problems
    assert any("conditions.yaml:" in p and "tonight" in p for p in problems)
    assert any("conditions.yaml:" in p and "run_tomorrow" in p for p in problems)
    assert any("triage_levels.yaml:" in p and "cannot_bear_weight" in p for p in problems)
    for problem in problems:  # "content/FILE:LINE: ..."
        assert problem.split(": ", 1)[0].rsplit(":", 1)[1].isdigit(), problem


def test_a_rules_problem_is_reported_with_the_engines_file_and_line(tmp_path):
    copy = _copy(tmp_path)

    def break_rules(data):
        data["rules"][0]["when"] = {"fact": "no_such_finding", "eq": True}
        data["rules"][1]["then"][0]["value"] = "very_urgent"

    _edit(copy / "rules" / "triage.yaml", break_rules)
    with pytest.raises(ContentError) as caught:
        load_knowledge(copy)
    problems = caught.value.problems
    assert len(problems) == 2, problems
    assert all(p.startswith("content/rules/triage.yaml:") for p in problems), problems
    assert "no_such_finding" in problems[0] and "very_urgent" in problems[1]


def test_findings_are_the_engines_facts_and_content_values_are_checked_by_them(tmp_path):
    """The knowledge base keeps the engine's own FactSpec per finding (no second copy), and
    every value content gives a finding is checked by it: all problems at once, file and line."""
    book = rulebook()
    assert dict(knowledge().facts) == book.vocabulary.inputs
    copy = _copy(tmp_path)

    def break_conditions(data):
        refs = data["conditions"][0]["points_to"]
        refs.append({"finding": "pain_severity", "value": {"gt": 11}, "source": refs[0]["source"]})
        refs.append({"finding": "pain_days", "value": 2.5, "source": refs[0]["source"]})

    def break_questions(data):
        answers = data["questions"]["pain_location"]["answers"]
        answers[0]["map"]["outer_hip"] = "the_knee"
        data["questions"]["pain_radiates"]["answers"][1]["value"] = "everywhere"

    _edit(copy / "conditions.yaml", break_conditions)
    _edit(copy / "questions.yaml", break_questions)
    with pytest.raises(ContentError) as caught:
        load_knowledge(copy)
    problems = caught.value.problems
    assert len(problems) == 4, problems
    assert sum("conditions.yaml:" in p and "pain_severity" in p for p in problems) == 1
    assert sum("conditions.yaml:" in p and "2.5" in p for p in problems) == 1
    assert sum("questions.yaml:" in p and "the_knee" in p for p in problems) == 1
    assert sum("questions.yaml:" in p and "everywhere" in p for p in problems) == 1
    for problem in problems:
        assert problem.split(": ", 1)[0].rsplit(":", 1)[1].isdigit(), problem
