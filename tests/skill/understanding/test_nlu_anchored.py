"""Anchored questions (skill/hipcoach/standin/nlu.py, step 4; content/language/questions.yaml,
QuestionTopicType): a question no sample matches that names one topic anchor reaches the answer
with that id; a statement, a second topic, a finding or a negation never does. Then through the
chat console: answered at the menu, from a result, and mid-check with the pending question kept.

Asserted on what was decided (intent, anchor id, answer id, pending question), in runners' words
that are no sample of the model.
"""

from __future__ import annotations

from datetime import date

import pytest
from _persona_corpus import ask, attributes, console, finish_check, fresh_store

from hipcoach.speech.answers import catalogue
from hipcoach.understanding.matcher import (
    ANCHOR_SLOT_TYPE,
    DEFAULT_THRESHOLD,
    Nlu,
    NluResult,
    load_model,
)
from hipcoach.understanding.words import tokens

DAY = date(2026, 11, 2)
TOPIC_INTENT = "QuestionTopicIntent"


def answer_id(result: NluResult) -> str | None:
    """The answer content/answers.yaml gives this result: by anchor id or by intent."""
    if result.intent == TOPIC_INTENT:
        fill = result.slot("anchor")
        return fill.id if fill else None
    topic = result.slot("topic") if result.intent == "PreventionIntent" else None
    if topic is not None:  # PreventionIntent reaches the answers with a prevention topic
        return catalogue().by_topic.get(topic.id, topic.id)
    return catalogue().by_intent.get(result.intent)


# (locale, a question in a runner's words, the answer id it should reach)
ANCHORED = [
    ("en-GB", "ought i to ring the gp about this at some point", "see_doctor"),
    (
        "en-US",
        "is it really harmful to keep training through discomfort like this",
        "run_through_pain",
    ),
    ("en-US", "motrin", "medication"),
    ("en-GB", "frozen peas", "ice_heat"),
    ("en-GB", "what's the story with a foam roller then", "foam_rolling"),
    ("en-US", "which is kinder on my legs the treadmill or the trail", "surfaces"),
    ("en-GB", "my mate swears by a gait analysis what do you reckon", "running_form"),
    ("en-US", "should i get orthotics put in", "shoes"),
]


@pytest.mark.parametrize(("locale", "said", "wanted"), ANCHORED)
def test_a_question_around_one_anchor_reaches_its_answer(
    locale: str, said: str, wanted: str
) -> None:
    assert answer_id(Nlu(locale).resolve(said, DAY)) == wanted


def test_the_anchor_values_are_answer_ids_in_every_locale() -> None:
    for locale in ("en-US", "en-GB"):
        ids = set(load_model(locale).slot_type_values(ANCHOR_SLOT_TYPE))
        assert ids and ids <= set(catalogue().answers)


def test_an_anchored_guess_reports_less_confidence_than_a_sample_match() -> None:
    nlu = Nlu("en-GB")
    result = nlu._anchored(tokens("ought i to ring the gp about this at some point"), DAY)
    assert result is not None and result.intent == TOPIC_INTENT
    assert result.confidence < DEFAULT_THRESHOLD and result.sample is not None


# Never anchored: statements (answers to a pending question), two topics, a finding or a number
# besides the topic, a negated topic.
NOT_ANCHORED = [
    "it hurts when i ice it",
    "i iced it last night and it still aches",
    "the physio said it was my glutes",
    "should i ice it or take ibuprofen",
    "what if it is sharp when i use the foam roller",
    "how about the treadmill for three days",
    "is it ok if i do not take ibuprofen",
    "what if i never use a foam roller",
    "should i not ice it",
]


@pytest.mark.parametrize("said", NOT_ANCHORED)
def test_no_anchor_for_statements_two_topics_findings_or_negations(said: str) -> None:
    for locale in ("en-US", "en-GB"):
        assert Nlu(locale)._anchored(tokens(said), DAY) is None, (locale, said)


def test_a_statement_mid_check_is_an_answer_not_a_question() -> None:
    with fresh_store():
        chat = console("anchor-statement", "en-GB")
        chat.turn_record("open hip coach")
        chat.turn_record("check my hip")
        chat.turn_record("on the outside")
        turn = ask(chat, "it hurts when i ice it")
        assert turn["intent"] != TOPIC_INTENT
        assert attributes(chat).get("answered") is None


@pytest.mark.parametrize(
    ("where", "said", "wanted"),
    [
        ("menu", "hot water bottle", "ice_heat"),
        ("mid_check", "ought i to see a physio about it", "see_doctor"),
        ("result", "what's the recovery period", "healing_time"),
    ],
)
def test_anchored_questions_through_the_skill(where: str, said: str, wanted: str) -> None:
    with fresh_store():
        chat = console(f"anchor-{where}", "en-GB")
        chat.turn_record("open hip coach")
        asking = None
        if where == "result":
            finish_check(chat)
        elif where == "mid_check":
            chat.turn_record("check my hip")
            asking = chat.turn_record("no")["asking"]
        turn = ask(chat, said)
        assert attributes(chat).get("answered") == wanted, turn
        if where == "mid_check":
            assert asking is not None and turn["asking"] == asking
        if where == "result":
            assert attributes(chat).get("mode") in ("result", "offer_routine")


def test_the_anchor_blind_batch_is_answered() -> None:
    """tests/corpora/anchor_blind.yaml, 48 questions written before the anchors, blind. Five turned
    out to equal a sample someone wrote earlier for their locale; scored are the other 43 (first
    run 35/43 right, 40/43 after; the misses have a finding or a progress word beside the topic,
    which the anchored step refuses by design)."""
    from _persona_corpus import CORPORA, corpus, locale_of, score_questions

    def is_sample(item: dict[str, str]) -> bool:
        return item["say"] in {s.text for s in load_model(locale_of(item["who"])).samples}

    items = [i for i in corpus(CORPORA / "anchor_blind.yaml")["questions"] if not is_sample(i)]
    assert len(items) >= 40
    with fresh_store():
        score = score_questions(items)
    assert score.right >= 0.9 * score.total, (score.line(), score.misses)
    assert score.state >= 0.9 * score.total, (score.line(), score.misses)
