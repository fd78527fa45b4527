"""The vignettes in content/cases/: triage safety, ranking accuracy and interview length."""

from __future__ import annotations

import statistics

import pytest

from hipcoach.medical.knowledge import LEVELS, cases, knowledge
from hipcoach.medical.triage import rulebook, triage

CASES = cases()


def _rank(level: str) -> int:
    return LEVELS.index(level)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_no_under_triage(case):
    result = triage(case.findings)
    lowest = min(_rank(level) for level in case.triage)
    assert _rank(result["triage"]) >= lowest, (case.id, result["triage"], result["why"])


def test_vignette_targets():
    under = over = first = top3 = with_condition = 0
    for case in CASES:
        result = triage(case.findings)
        level = _rank(result["triage"])
        under += level < min(_rank(x) for x in case.triage)
        over += level > max(_rank(x) for x in case.triage)
        if case.expected_condition:
            ids = [c["id"] for c in result["conditions"]]
            with_condition += 1
            first += ids[0] == case.expected_condition
            top3 += case.expected_condition in ids[:3]
    print(
        f"\nvignettes: {len(CASES)} ({with_condition} with an expected condition)"
        f"\nunder-triage: {under} ({under / len(CASES):.0%})"
        f"\nover-triage: {over} ({over / len(CASES):.0%})"
        f"\nexpected condition first: {first / with_condition:.0%}"
        f"\nexpected condition in top 3: {top3 / with_condition:.0%}"
    )
    assert under == 0
    assert over / len(CASES) <= 0.10
    assert first / with_condition >= 0.85
    assert top3 / with_condition >= 0.95


def _runner(case):
    """The vignette as the runner would report it: a 0-10 score of 8 or more is "intense"."""
    findings = dict(case.findings)
    severity = findings.get("pain_severity")
    if severity is not None:
        findings.setdefault("intense_pain", severity >= 8)
    return findings


def _answer(kb, case, finding):
    """What the runner in the vignette would answer; None for "I don't know"."""
    findings = _runner(case)
    question = kb.questions[finding]
    if question.covers:
        return any(
            findings.get(covered) is (not question.implied_no.get(covered, False))
            for covered in question.covers
        )
    value = findings.get(finding)
    if value is None and kb.facts[finding].type == "boolean" and finding != "eases_with_rest":
        return False  # a runner knows whether the hip clicks, swells, ...
    return value


def interview(case):
    kb = knowledge()
    asked: list[str] = []
    exhausted: set[str] = set()
    with rulebook().session() as session:
        while (question := session.next_question(exhausted=exhausted)) is not None:
            asked.append(question.fact)
            value = _answer(kb, case, question.fact)
            if value is None:
                exhausted.add(question.fact)
            else:
                session.add({question.fact: value})
        result = session.result()
        ranking = [key for key, score in result.ranking("condition_score") if score > 0]
        return asked, result.value("triage"), ranking


def test_interview_is_safe_and_short():
    lengths = []
    unsafe = []
    for case in CASES:
        asked, level, _ranking = interview(case)
        lengths.append(len(asked))
        if _rank(level) < min(_rank(x) for x in case.triage):
            unsafe.append((case.id, level))
        assert len(set(asked)) == len(asked)
    print(
        f"\ninterview questions: median {statistics.median(lengths)},"
        f" max {max(lengths)}, min {min(lengths)}"
    )
    assert not unsafe
    # Issue 22 added warning signs (000) and a history screen (clinical judgement) that can each
    # change the level, so more questions matter: a median of 7 before, 9 now, with clicking and
    # reduced range folded into the concern screen (for the product owner to weigh). The issue 22
    # review made numbness alone "see a professional" (000, 003): it no longer ends the interview
    # at urgent, so the red flags beside it (a weak leg, bladder or bowel control, sharp pain on
    # weight) are asked, and six numbness vignettes grew by six questions: a median of 10 then.
    # Asking the history before when it hurts (rest or night pain after cancer is urgent) stops
    # asking pain_timing where it can no longer change the level or cause: a median of 9.
    assert statistics.median(lengths) <= 9


def test_interview_screens_red_flags_first():
    case = CASES[0]
    asked, _, _ = interview(case)
    assert asked[:2] == ["emergency_screen", "urgent_screen"]


def test_interview_targets():
    """The spoken interview reaches the same causes: the runner answers only what is asked."""
    first = top3 = named = 0
    for case in CASES:
        if not case.expected_condition:
            continue
        _, _, ranking = interview(case)
        named += 1
        first += ranking[:1] == [case.expected_condition]
        top3 += case.expected_condition in ranking[:3]
    print(f"\ninterview: expected first {first / named:.0%}, in top 3 {top3 / named:.0%}")
    assert first / named >= 0.85
    assert top3 / named >= 0.95


def _case(case_id):
    return next(case for case in CASES if case.id == case_id)


@pytest.mark.parametrize(
    ("case_id", "question"),
    [
        # Two months of recurring pain and a weaker side: never "soreness" unasked (issue 16).
        ("recurrent_weak_glute_buttock", "recurrent"),
        ("imbalance_tired_side", "one_side_weaker"),
        # Locking or giving way separates a labral tear from iliopsoas tendinitis.
        ("labral_groin_locks_lifting", "locking_or_catching"),
        ("labral_front_gives_way_click", "giving_way"),
        # Sudden onset separates a strain from tendinitis.
        ("strain_sudden_groin_sprint", "onset"),
        # Spreading pain is not screened: it is asked before the ranking settles.
        ("back_spreads_up_ten_days", "pain_radiates"),
    ],
)
def test_interview_asks_what_separates_the_leading_causes(case_id, question):
    case = _case(case_id)
    asked, _, ranking = interview(case)
    assert question in asked
    assert ranking[0] == case.expected_condition


@pytest.mark.parametrize(
    "case_id",
    [
        case.id
        for case in CASES
        if case.expected_condition in ("joint_infection", "lower_back_referral")
    ],
)
def test_new_causes_come_first_on_their_pictures(case_id):
    case = _case(case_id)
    ranking = [c["id"] for c in triage(case.findings)["conditions"]]
    assert ranking[0] == case.expected_condition
