"""Actions for the questions runners ask, anywhere: content/answers.yaml's intents, a topic
("ibuprofen?"), prevention topics (the 10% rule with the figure for a given distance, shoes, ice
or heat...), and what the skill cannot answer or cannot do.

Each answer is followed by what comes next where the runner is (hipcoach.dialog.answering): the
pending question mid-check, the result's other parts after a result, else "anything else?". A
question never starts a check nor records a finding.
"""

from __future__ import annotations

from hipcoach.dialog import memory, routine
from hipcoach.dialog.answering import (
    Placeholders,
    answer,
    answer_reply,
    back_to_check,
    mileage_advice,
    topic_text,
)
from hipcoach.dialog.answers import slot_number
from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.reading import MILEAGE_INTENT, PREVENTION_INTENT, topic_answer_id
from hipcoach.dialog.result import leader_prevention
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import Turn
from hipcoach.medical.knowledge import knowledge
from hipcoach.memory.units import default_unit, parse_unit
from hipcoach.speech.answers import catalogue
from hipcoach.speech.reply import Reply, say

GENERAL = "prevention"  # the topic for "how do I prevent this" (content/prevention.yaml)
SHOES = "shoes"  # the topic a kept shoe count answers better
# "how long is left?": a routine's time left, mid-check the check's questions left, else healing
TIME_LEFT_INTENT, QUESTIONS_LEFT_INTENT = "TimeLeftIntent", "QuestionsLeftIntent"


def _own_shoes(turn: Turn, conversation: Conversation, answer_id: str) -> Reply:
    """A shoe question at the menu with a count kept: the wear of the runner's own pair."""
    conversation.answered = answer_id
    return memory.run(turn, conversation, memory.shoe_wear, asks_shoes=True)


def asked(turn: Turn, conversation: Conversation) -> Reply:
    """A question: its answer, then back to where the conversation was."""
    if turn.intent == TIME_LEFT_INTENT and not conversation.is_in(Mode.INTERVIEW):
        stopped = routine.time_left_after_stop(turn, conversation)
        if stopped is not None:  # the routine stopped today because it hurt: nothing is left
            return stopped
    if turn.intent == PREVENTION_INTENT:
        return prevention(turn, conversation)
    if turn.intent == MILEAGE_INTENT:
        return mileage(turn, conversation)
    topic = topic_answer_id(turn)
    if topic is not None:
        shoes = catalogue().answers[topic].topic == SHOES
        if shoes and conversation.is_in(Mode.IDLE) and memory.knows_the_shoes(turn):
            return _own_shoes(turn, conversation, topic)
        return answer(turn, conversation, topic)
    assert turn.intent is not None  # is_question
    if turn.intent == TIME_LEFT_INTENT and conversation.asking is not None:
        # "how long is left?", "are we nearly done?" mid-check ask about the check
        return answer(turn, conversation, catalogue().by_intent[QUESTIONS_LEFT_INTENT])
    return answer(turn, conversation, catalogue().by_intent[turn.intent])


def prevention(turn: Turn, conversation: Conversation) -> Reply:
    texts = turn.texts
    topic = turn.slot_id("topic") or GENERAL
    if topic not in knowledge().prevention:
        return say(
            [texts.get("questions.prevention_topics")],
            texts.get("questions.prevention_topics_reprompt"),
        )
    answer_id = catalogue().by_topic.get(topic, topic)
    if topic == SHOES and conversation.is_in(Mode.IDLE) and memory.knows_the_shoes(turn):
        return _own_shoes(turn, conversation, answer_id)
    if topic == GENERAL:
        own = leader_prevention(conversation)
        if own:
            return answer_reply(turn, conversation, answer_id, [own])
    if answer_id in catalogue().answers:
        # the topic's answer as any question gets it: held while the care plan holds home care
        # ("can I do my stretches?" the day after an emergency is no stretching advice)
        return answer(turn, conversation, answer_id)
    return answer_reply(turn, conversation, answer_id, [topic_text(texts, topic)])


def mileage(turn: Turn, conversation: Conversation) -> Reply:
    texts = turn.texts
    distance = slot_number(turn.slot("distance"))
    advice = mileage_advice(distance) if distance is not None and 0 < distance <= 1000 else None
    if distance is None or advice is None:
        general = [topic_text(texts, "mileage")]
        return answer_reply(turn, conversation, "ten_percent_rule", general)
    unit = parse_unit(turn.slot_id("unit")) or default_unit(texts.locale)
    sentence = texts.get(
        "interview.mileage_with_distance",
        distance=f"{distance:g}",
        unit=texts.get("interview.unit_kilometres" if unit == "km" else "interview.unit_miles"),
        safe=advice.safe,
        step=advice.step,
    )
    return answer_reply(turn, conversation, "ten_percent_rule", [sentence])  # the rule said once


def _honest(turn: Turn, conversation: Conversation, key: str) -> Reply:
    """What the skill cannot do, said plainly, with what it can: then back to the pending
    question, or "anything else?"."""
    texts = turn.texts
    sentences = [texts.get(key).format_map(Placeholders(texts))]
    sentences.append(texts.get("questions.what_i_can_do"))
    if conversation.asking is not None:
        return back_to_check(turn, conversation, sentences)
    if conversation.is_in(Mode.ROUTINE):  # the routine waits where it was
        question = texts.get("routine.paused_question")
        return say([*sentences, question], question)
    if not conversation.is_in(Mode.RESULT, Mode.OFFER, Mode.ROUTINE):
        conversation.enter(Mode.IDLE)
    return say(
        [*sentences, texts.get("questions.anything_else")],
        texts.get("questions.anything_else_reprompt"),
    )


def unanswerable(turn: Turn, conversation: Conversation) -> Reply:
    """A question the seeds cannot answer: an honest "I can't answer that", never a guess."""
    return _honest(turn, conversation, "questions.cannot_answer")


CANNOT_DO_SLOT = "request"  # the kind of request understanding heard (triggers.yaml cannot_do)


def cannot_do(turn: Turn, conversation: Conversation) -> Reply:
    """Something the skill cannot do (booking, calling, a reminder, a timer): said so, naming
    what was asked for in kind (content/speech/questions.yaml), never a check started."""
    kind = turn.slot_id(CANNOT_DO_SLOT)
    key = f"questions.cannot_do_{kind}"
    if not kind or not turn.texts.has(key):
        key = "questions.cannot_do"  # a kind without its own sentence: said in general
    return _honest(turn, conversation, key)


def asked_in_routine(turn: Turn, conversation: Conversation) -> Reply:
    """A question in a routine: answered, then "ready to carry on?" (the routine waits where it
    was; hipcoach.dialog.answering)."""
    return asked(turn, conversation)
