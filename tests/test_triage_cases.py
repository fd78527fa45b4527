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
    assert first / with_condition >= 0.80
    assert top3 / with_condition >= 0.90


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
        return asked, result.value("triage"), result.ranking("condition_score")[0][0]


def test_interview_is_safe_and_short():
    lengths = []
    unsafe = []
    for case in CASES:
        asked, level, _leader = interview(case)
        lengths.append(len(asked))
        if _rank(level) < min(_rank(x) for x in case.triage):
            unsafe.append((case.id, level))
        assert len(set(asked)) == len(asked)
    print(
        f"\ninterview questions: median {statistics.median(lengths)},"
        f" max {max(lengths)}, min {min(lengths)}"
    )
    assert not unsafe
    assert statistics.median(lengths) <= 7


def test_interview_screens_red_flags_first():
    case = CASES[0]
    asked, _, _ = interview(case)
    assert asked[:2] == ["emergency_screen", "urgent_screen"]
