"""The result in one breath: over every clinical vignette and both locales, the first response is
short and says what to do first; an emergency is only the emergency; each part is short; the card
carries the whole result; "rest from running" is never said twice; condition names have their
article. Figures (words per level) are printed for the issue's closing note (`pytest -s`)."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from hipcoach.dialog.interview import Assessment, InterviewState, assess
from hipcoach.dialog.result_speech import PARTS, compose, level_action
from hipcoach.medical.disclaimer import disclaimer
from hipcoach.medical.knowledge import cases, knowledge
from hipcoach.speech.answers import catalogue, spoken_name
from hipcoach.speech.locales import policy
from hipcoach.speech.texts import Texts

LOCALES = ("en-US", "en-GB")
FIRST_RESULT_MAX_WORDS = 80  # the issue: "at most about 75" (measured: "at most about 90")
PART_MAX_WORDS = 60
REST_LINE = re.compile(r"\brest from running\b", re.IGNORECASE)


def words(sentences: list[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def assessments() -> list[tuple[str, Assessment]]:
    return [(case.id, assess(InterviewState(findings=dict(case.findings)))) for case in cases()]


def first_response(assessment: Assessment, locale: str) -> list[str]:
    """What tell_result says: the result, then (not for an emergency) the note and the offer."""
    texts = Texts(locale)
    result = compose(assessment, locale)
    if result.emergency:
        return result.speech
    return [*result.speech, texts.get("result.note_kept"), texts.get("result.offer")]


@pytest.mark.parametrize("locale", LOCALES)
def test_first_results_are_short_and_say_what_to_do_first(locale: str) -> None:
    kb = knowledge()
    by_level: dict[str, list[int]] = defaultdict(list)
    for case_id, assessment in assessments():
        spoken = first_response(assessment, locale)
        by_level[assessment.level].append(words(spoken))
        assert words(spoken) <= FIRST_RESULT_MAX_WORDS, (case_id, spoken)
        assert spoken[0] == level_action(kb, assessment.level, locale), case_id
    summary = {level: (min(n), max(n)) for level, n in by_level.items()}
    print(f"{locale} first result words per level (min, max): {summary}")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_likely_cause_and_not_a_diagnosis_share_a_sentence(locale: str) -> None:
    texts = Texts(locale)
    for case_id, assessment in assessments():
        result = compose(assessment, locale)
        if result.emergency:
            continue
        if assessment.leader:
            expected = texts.get(
                "result.most_likely", condition=spoken_name(assessment.leader, locale)
            )
        else:
            expected = texts.get("result.no_leader")
        assert result.speech[-1] == expected, case_id


@pytest.mark.parametrize("locale", LOCALES)
def test_an_emergency_is_only_the_emergency(locale: str) -> None:
    seen = 0
    for case_id, assessment in assessments():
        if assessment.level != "emergency":
            continue
        seen += 1
        result = compose(assessment, locale)
        assert result.speech == result.parts["action"], case_id
        assert policy(locale).emergency_number in " ".join(result.speech)
    assert seen


@pytest.mark.parametrize("locale", LOCALES)
def test_high_urgency_says_the_emergency_number(locale: str) -> None:
    number = policy(locale).emergency_number
    for case_id, assessment in assessments():
        if assessment.level in ("urgent", "emergency"):
            assert number in " ".join(compose(assessment, locale).speech), case_id


@pytest.mark.parametrize("locale", LOCALES)
def test_each_part_is_short_and_rest_from_running_is_said_once(locale: str) -> None:
    longest: dict[str, int] = defaultdict(int)
    for case_id, assessment in assessments():
        result = compose(assessment, locale)
        everything = " ".join(s for part in result.parts.values() for s in part)
        assert len(REST_LINE.findall(everything)) <= 1, case_id
        assert len(REST_LINE.findall(result.card_text)) <= 1, case_id
        for part in PARTS:
            spoken = result.parts[part]
            assert spoken, (case_id, part)
            assert words(spoken) <= PART_MAX_WORDS, (case_id, part, spoken)
            longest[part] = max(longest[part], words(spoken))
    print(f"{locale} longest part, words: {dict(longest)}")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_card_carries_the_whole_result(locale: str) -> None:
    for case_id, assessment in assessments():
        result = compose(assessment, locale, note="NOTE")
        card = result.card_text
        for part in ("action", "tonight", "tomorrow", "recovery"):
            for sentence in result.parts[part]:
                assert sentence in card, (case_id, part)
        assert disclaimer(locale) in card and "NOTE" in card
        if assessment.leader:
            assert spoken_name(assessment.leader, locale) in card


def test_reasons_are_the_rules_own_words_not_cut_sentences() -> None:
    kb = knowledge()
    whys = {rule.why for rule in kb.rules.values()}
    for case_id, assessment in assessments():
        result = compose(assessment, "en-US")
        said = " ".join(result.parts["why"])
        assert " fits:" not in said and " fits" not in said.split(".")[0], case_id
        if assessment.leader:
            assert any(why in said for why in whys), case_id


def test_every_condition_has_a_spoken_name() -> None:
    """Each condition says its own name with its article (content, not a default)."""
    import yaml

    from hipcoach.content_location import CONTENT_DIR

    nodes = yaml.safe_load((CONTENT_DIR / "conditions.yaml").read_text())["conditions"]
    assert {node["id"] for node in nodes if node.get("spoken")} == set(knowledge().condition_ids)
    assert spoken_name("stress_fracture", "en-US") == "a stress fracture"
    assert spoken_name("trochanteric_bursitis", "en-GB") == "trochanteric bursitis"
    assert catalogue().answers["medication"].source == "003_b55f5c078ddef855.txt"
