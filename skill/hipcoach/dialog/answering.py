"""Answering the runner's questions wherever they are asked: at the menu, after a result, mid-check.

Which intent asks what, and the answers with their seeds, are content (content/answers.yaml,
content/prevention.yaml). After a result, a question that has a part of that result ("can I run
tomorrow", "what should I do tonight") is answered from it. Mid-check the answer is followed by
the pending question again, so nothing is lost. An answer spoken is noted for `said` as
`answer.<id>`; a placeholder's own text key only when the answer uses it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from hipcoach.dialog import decisions
from hipcoach.dialog.check import pending_question
from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.result import current_result, follow_up, mark_told, tell_part
from hipcoach.dialog.result_speech import action_sentences
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import Turn
from hipcoach.medical.care_plan import CarePlan
from hipcoach.medical.knowledge import Statement, knowledge
from hipcoach.medical.level_order import level_order
from hipcoach.medical.triage import see_doctor_signs
from hipcoach.memory.phrases import amount
from hipcoach.memory.prevention import advise, plan_records, week_before_records
from hipcoach.memory.units import KM_PER_MILE, Unit, default_unit, spoken_number
from hipcoach.speech import said
from hipcoach.speech.answers import catalogue, spoken_name
from hipcoach.speech.locales import policy
from hipcoach.speech.reply import Reply, say
from hipcoach.speech.texts import Texts


def shoe_limits(texts: Texts, unit: Unit) -> dict[str, str]:
    """The seeds' shoe-replacement range (content/prevention.yaml, in miles), in `unit`
    (kilometres rounded to tens)."""
    numbers = knowledge().prevention["shoes"].numbers
    low, high = float(numbers["replace_min_miles"]), float(numbers["replace_max_miles"])
    if unit == "km":
        low, high = round(low * KM_PER_MILE, -1), round(high * KM_PER_MILE, -1)
    return {"low": spoken_number(low), "high": amount(texts, high, unit)}


class Placeholders(Mapping[str, str]):
    """What an answer's text may name: the locale's professional, emergency number and word for
    running shoes, and the shoe-replacement range in the locale's unit. Each is looked up only
    when the text names it, so `said` holds the keys of what is said and no others."""

    NAMES = (
        "professional",
        "shoes",
        "emergency_number",
        "low",
        "high",
        "emergency_signs",
        "urgent_signs",
    )

    def __init__(self, texts: Texts) -> None:
        self.texts = texts

    def __getitem__(self, name: str) -> str:
        if name in ("professional", "shoes"):
            return self.texts.get(f"questions.{name}")
        if name == "emergency_number":
            return policy(self.texts.locale).emergency_number
        if name in ("low", "high"):
            return shoe_limits(self.texts, default_unit(self.texts.locale))[name]
        if name in ("emergency_signs", "urgent_signs"):  # the red-flag rules' own signs
            or_join = self.texts.get("care_plan.signs_or")
            return see_doctor_signs(self.texts.locale, or_join)[name]
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.NAMES)

    def __len__(self) -> int:
        return len(self.NAMES)


def placeholders(texts: Texts) -> dict[str, str]:
    """Every placeholder's value (for tests and tools; answers fill theirs lazily)."""
    return dict(Placeholders(texts))


CONDITION_SLOT = "condition"  # the slot naming a condition asked about (ConditionNameType)


def topic_text(texts: Texts, topic: str) -> str:
    return knowledge().prevention[topic].text.format_map(Placeholders(texts))


def answer_reply(
    turn: Turn, conversation: Conversation, answer_id: str, sentences: list[str]
) -> Reply:
    """Say an answer, then go back to where the conversation was."""
    conversation.answered = answer_id
    said.note(f"answer.{answer_id}")
    texts = turn.texts
    if conversation.asking is not None:
        return back_to_check(turn, conversation, sentences)
    if conversation.is_in(Mode.ROUTINE):  # back to the routine, which waits where it was
        question = texts.get("routine.paused_question")
        return say([*sentences, question], question)
    result = current_result(turn, conversation)
    if result is not None:
        return follow_up(turn, conversation, result, sentences)
    if conversation.is_in(Mode.CONFIRM_DELETE, Mode.RESUME_OFFER):
        conversation.enter(Mode.IDLE)  # a yes after "anything else?" must not delete
    return say(
        [*sentences, texts.get("questions.anything_else")],
        texts.get("questions.anything_else_reprompt"),
    )


def back_to_check(turn: Turn, conversation: Conversation, sentences: list[str]) -> Reply:
    """What was said aside in the middle of a check, then the pending question again (short,
    naming its options): a question, a remark or a request never drops the check."""
    if conversation.aside:  # the policy puts the check's question after these (handlers.policy)
        return say(sentences)
    pending = pending_question(turn, conversation)
    assert pending is not None, "only in the middle of a check"
    back = turn.texts.get("questions.back_to_question")
    return say([*sentences, back, pending[0]], pending[1])


def answer(turn: Turn, conversation: Conversation, answer_id: str) -> Reply:
    """The answer `answer_id` of content/answers.yaml, from the current result when it has one."""
    entry = catalogue().answers[answer_id]
    texts = turn.texts
    interview = conversation.interview
    if entry.in_check and conversation.asking is not None and interview is not None:
        progress = texts.get(f"questions.{entry.in_check}", answered=str(interview.asked))
        return answer_reply(turn, conversation, answer_id, [progress])
    named = _condition_part(turn, entry.condition_part)
    if named and conversation.asking is not None:  # about that condition, whatever the check
        return answer_reply(turn, conversation, answer_id, named)
    if entry.mid_check and conversation.asking is not None:  # the check decides it
        decides = [texts.get(f"questions.{entry.mid_check}").format_map(Placeholders(texts))]
        return answer_reply(turn, conversation, answer_id, decides)
    if (entry.held or entry.care_plan) and not conversation.is_in(Mode.INTERVIEW):
        plan = decisions.todays_plan(turn, conversation)
        if plan.self_care_held:  # urgent or emergency in force: its action, never home care
            return _held(turn, conversation, answer_id, plan)
    if named:  # the condition asked about, not the runner's own result
        return answer_reply(turn, conversation, answer_id, named)
    if entry.describes is not None:
        described = _description(turn, entry.describes)
        if described:
            return answer_reply(turn, conversation, answer_id, described)
    text = entry.text_for(texts.locale)
    if entry.speech:  # words with nothing medical in them (a greeting)
        text = texts.get(f"questions.{entry.speech}")
    general = [text.format_map(Placeholders(texts))] if text else []
    if entry.topic:
        general = [topic_text(texts, entry.topic)]
    if entry.after_result:
        conversation.answered = answer_id
        told = tell_part(turn, conversation, entry.after_result)
        if told is not None:  # the result's part answers it: noted as this answer for `said`
            said.note(f"answer.{answer_id}")
            return _with_also(turn, conversation, entry.after_result_also, told)
    if entry.care_plan and not conversation.is_in(Mode.INTERVIEW):
        plan = decisions.todays_plan(turn, conversation)
        if plan.pain_reported:  # the rules' answer for this runner today (issue 22)
            with said.recording():  # the values are part of the plan's words
                values = placeholders(texts)
            general = [plan.words(entry.care_plan, texts, **values)]
    if not general:
        mid_check = conversation.is_in(Mode.INTERVIEW)
        general = [
            texts.get("result.no_result_part_mid_check" if mid_check else "result.no_result_part")
        ]
    return answer_reply(turn, conversation, answer_id, general)


def _with_also(turn: Turn, conversation: Conversation, key: str | None, told: Reply) -> Reply:
    """The told result part, then the answer's `after_result_also` text before its closing
    question, unless the level in force already says the emergency number."""
    if key is None or told.ssml is not None or not told.speech:
        return told
    level = decisions.todays_plan(turn, conversation).level
    if level in level_order().emergency_number:
        return told
    texts = turn.texts
    also = texts.get(f"questions.{key}").format_map(Placeholders(texts))
    told.speech = [*told.speech[:-1], also, told.speech[-1]]
    return told


def _description(turn: Turn, slot: str) -> list[str]:
    """What the condition named in `slot` is (content/conditions.yaml), and that only a
    professional can say whether the runner has it; nothing when no known condition is named."""
    condition = knowledge().conditions.get(turn.slot_id(slot) or "")
    if condition is None:
        return []
    texts = turn.texts
    name = spoken_name(condition.id, texts.locale)
    told = texts.get("questions.what_is_condition").format(
        name=name[:1].upper() + name[1:], description=condition.description.text
    )
    return [told, texts.get("questions.what_is_not_a_diagnosis")]


def _condition_part(turn: Turn, part: str | None) -> list[str]:
    """What the condition named in the question says of `part` (content/conditions.yaml: its
    recovery, what it feels like, its treatment, running with it), each statement from its seed;
    its description when the seeds give no such part; nothing when no known condition is named.
    What it feels like is followed by "only a professional can tell" (never a diagnosis)."""
    if part is None:
        return []
    condition = knowledge().conditions.get(turn.slot_id(CONDITION_SLOT) or "")
    if condition is None:
        return []
    said: tuple[Statement | None, ...] = (
        condition.symptoms if part == "symptoms" else (getattr(condition, part),)
    )
    statements = [s.text for s in said if s is not None and s.text]
    if not statements:
        return _description(turn, CONDITION_SLOT)
    texts = turn.texts
    name = spoken_name(condition.id, texts.locale)
    told = texts.get("questions.condition_part").format(
        name=name[:1].upper() + name[1:], text=" ".join(statements)
    )
    if part == "symptoms":
        return [told, texts.get("questions.what_is_not_a_diagnosis")]
    return [told]


def _held(turn: Turn, conversation: Conversation, answer_id: str, plan: CarePlan) -> Reply:
    """The answer while the care plan holds home care: the level in force's action first (with
    the locale's number), then the plan's own conclusion for it (`care_plan`) or what the answer
    says at that level (content/answers.yaml `held`). The result part it stands for is told."""
    entry = catalogue().answers[answer_id]
    texts = turn.texts
    if entry.care_plan:
        with said.recording():  # the values are part of the plan's words
            values = placeholders(texts)
        then = plan.words(entry.care_plan, texts, **values)
    else:
        then = (entry.held_for(texts.locale) or "").format_map(Placeholders(texts))
    part = entry.after_result
    if part is not None:
        mark_told(conversation, part)
    sentences = [*action_sentences(plan.level, texts.locale), then]
    return answer_reply(turn, conversation, answer_id, [s for s in sentences if s])


@dataclass(frozen=True)
class MileageAdvice:
    safe: str  # the most to run this week, rounded down as a runner plans
    step: str  # the increase on last week


def _rounded(value: float) -> str:
    """Half-unit precision below 30, whole units above: what a runner plans with."""
    rounded = math.floor(value * 2) / 2 if value < 30 else math.floor(value)
    return f"{rounded:g}"


def mileage_advice(distance: float) -> MileageAdvice | None:
    """The 10% rule for last week's `distance`, in any unit: the cap is the prevention rules'
    (content/prevention_rules/), which work on a week's distance whatever its unit."""
    safe = advise(week_before_records(distance), plan_records("this_week")).cap_km
    if safe is None:
        return None
    step = safe - distance
    return MileageAdvice(_rounded(safe), _rounded(step) if step >= 0.5 else f"{step:.1f}")
