"""The triage result in words: one short first response (what to do and how urgently, then the most
likely cause with "not a diagnosis" in the same sentence), each further part on request (tonight,
tomorrow, recovery, why, the other causes), and the card that carries all of it.

Every sentence comes from content/: the medical statements from triage_levels.yaml, advice.yaml
and conditions.yaml, the connecting words from content/speech/result.yaml. Nothing is made by
cutting another sentence apart: the reasons are the rules' own `why` parts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hipcoach.dialog.interview import Assessment
from hipcoach.medical.disclaimer import disclaimer
from hipcoach.medical.knowledge import Knowledge, knowledge
from hipcoach.medical.level_order import level_order
from hipcoach.medical.triage import explain, run_tomorrow
from hipcoach.speech import said
from hipcoach.speech.answers import catalogue, spoken_name
from hipcoach.speech.locales import pick, policy
from hipcoach.speech.texts import Texts

# The parts a runner can ask for, in the order "tell me more" gives them.
PARTS = ("tonight", "tomorrow", "recovery", "why", "others")
SPOKEN_REASONS = 2  # per kind, in the spoken "why"; the card lists them all


@dataclass(frozen=True)
class SpokenResult:
    level: str
    speech: list[str]  # the first response, before the note and the offer
    parts: Mapping[str, list[str]]  # action, tonight, tomorrow, recovery, why, others
    card_title: str
    card_text: str
    # The text keys each part is built from: noted (hipcoach.speech.said) when the part is told,
    # not when the result is composed, so a response's keys are those of what it says.
    part_keys: Mapping[str, list[str]] = field(default_factory=dict)

    @property
    def emergency(self) -> bool:
        """Whether the result is only the emergency (content/level_order.yaml)."""
        return self.level == level_order().emergency_only

    @property
    def high_urgency(self) -> bool:
        """Whether the emergency number is part of the action (said; shown in warning colour)."""
        return self.level in level_order().emergency_number


def join_list(texts: Texts, items: list[str], key: str = "interview.list_and") -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return texts.get(key, first=", ".join(items[:-1]), last=items[-1])


def level_action(kb: Knowledge, level: str, locale: str) -> str:
    info = kb.levels[level]
    text = pick(info.action, locale)
    return text.format(emergency_number=policy(locale).emergency_number)


def action_sentences(level: str, locale: str) -> list[str]:
    """What to do and how urgently at `level`, with the locale's numbers and services: the
    result's first words, and the lead of every answer while home care is held."""
    kb, texts = knowledge(), Texts(locale)
    number = policy(locale).emergency_number
    action = [level_action(kb, level, locale)]
    if level in level_order().urgent_care_line:
        care = policy(locale).urgent_care_number
        if care:
            action.append(texts.get("result.urgent_care", number=care))
        action.append(texts.get("result.urgent_number", emergency_number=number))
    return action


def _tonight_items(kb: Knowledge, assessment: Assessment) -> tuple[list[str], list[str]]:
    """(spoken, card only). The leading condition's own advice replaces the general rest line,
    so "rest from running" is said once."""
    tonight: Mapping[str, Any] = kb.advice.get("tonight", {})
    level_items = list(tonight.get(assessment.level, []))
    spoken = [item["text"] for item in level_items if not item.get("card_only")]
    card = [item["text"] for item in level_items if item.get("card_only")]
    leader = assessment.leader
    if leader and assessment.level in level_order().cause_advice:
        return [kb.conditions[leader].tonight.text], spoken + card
    if assessment.level not in level_order().emergency_number:
        spoken = [item["text"] for item in tonight.get("all_levels", [])] + spoken
    return spoken, card


def _recovery(kb: Knowledge, assessment: Assessment, locale: str) -> list[str]:
    leader = assessment.leader
    if leader and assessment.level in level_order().cause_advice:
        return [kb.conditions[leader].recovery.text]
    answer = catalogue().answers["healing_time"]
    # Above the levels with home advice no healing time applies until a doctor has seen it.
    held = assessment.level not in level_order().cause_advice
    general = answer.held_for(locale) if held else None
    general = general or answer.text_for(locale)
    return [general] if general else []


def _reasons(kb: Knowledge, assessment: Assessment, locale: str) -> tuple[list[str], list[str]]:
    """The rules' own `why` parts (for the urgency, for the leading condition), unframed."""
    bare = dataclasses.replace(
        kb, why_templates={"red_flag": "{because}", "triage": "{why}", "condition": "{why}"}
    )
    for_level = explain(bare, assessment.fired, assessment.level, None, locale, assessment.known)
    both = explain(
        bare, assessment.fired, assessment.level, assessment.leader, locale, assessment.known
    )
    return for_level, both[len(for_level) :]


def _why(texts: Texts, assessment: Assessment, reasons: tuple[list[str], list[str]]) -> list[str]:
    for_level, for_condition = (r[:SPOKEN_REASONS] for r in reasons)
    out = []
    if assessment.level == level_order().no_warning_sign:
        out.append(texts.get("result.why_no_flags"))
    else:
        reasons_for_level = join_list(texts, for_level, "result.reasons_and")
        out.append(texts.get(f"result.why_level_{assessment.level}", reasons=reasons_for_level))
    leader = assessment.leader
    if leader and for_condition:
        out.append(
            texts.get(
                "result.why_condition",
                condition=spoken_name(leader, texts.locale),
                reasons=join_list(texts, for_condition, "result.reasons_and"),
            )
        )
    return out


def _others(texts: Texts, assessment: Assessment) -> list[str]:
    leader = assessment.leader
    others = [spoken_name(c, texts.locale) for c in assessment.likely()[1:]]
    if not leader or not others:
        return [texts.get("result.no_others")]
    return [
        texts.get(
            "result.others",
            others=join_list(texts, others, "interview.list_or"),
            condition=spoken_name(leader, texts.locale),
        )
    ]


@dataclass(frozen=True)
class InForce:
    """The level in force stands above what today's answers alone found (the care plan: an
    earlier contact's level kept until the right professional has seen the hip, or the likeliest
    cause): today's own level, the plan's reason in plain words (None when it gave none), and the
    level in force (who can end it is said in its words)."""

    own_level: str
    because: str | None
    level: str


def in_force_sentence(texts: Texts, in_force: InForce) -> str:
    """Both, honestly: what today's answers alone suggest, and why the higher level stands."""
    own = texts.get(f"result.own_level_{in_force.own_level}")
    until = texts.get(f"result.in_force_until_{in_force.level}")
    if in_force.because:
        return texts.get("result.in_force_because", own=own, because=in_force.because, until=until)
    return texts.get("result.in_force", own=own, until=until)


def compose(
    assessment: Assessment,
    locale: str,
    note: str = "",
    in_force: InForce | None = None,
    running: Callable[[], str] | None = None,
) -> SpokenResult:
    """The result for `assessment` (at the level in force); `note` (what memory kept) goes on
    the card in full; `in_force`: set when that level stands above today's answers alone, which
    the result then says first; `running`: the care plan's answer to "can I run?", said as the
    "tomorrow" part so a later run question hears the same (else the level's and cause's own)."""
    kb, texts = knowledge(), Texts(locale)
    level_info = kb.levels[assessment.level]
    action = action_sentences(assessment.level, locale)
    leader = assessment.leader
    speech = list(action)
    if in_force is not None:
        action = [in_force_sentence(texts, in_force), *action]
        speech = list(action)
    if assessment.level != level_order().emergency_only:  # only the emergency (and not noted)
        if leader:
            speech.append(texts.get("result.most_likely", condition=spoken_name(leader, locale)))
        else:
            speech.append(texts.get("result.no_leader"))
    tonight, card_tonight = _tonight_items(kb, assessment)
    reasons = _reasons(kb, assessment, locale)
    if in_force is not None and in_force.because:  # what sets the level is the plan's reason
        reasons = ([in_force.because], reasons[1])
    builders: dict[str, Callable[[], list[str]]] = {
        "tonight": lambda: tonight,
        "tomorrow": lambda: [
            running() if running else run_tomorrow(kb, assessment.level, leader, locale)
        ],
        "recovery": lambda: _recovery(kb, assessment, locale),
        "why": lambda: _why(texts, assessment, reasons),
        "others": lambda: _others(texts, assessment),
    }
    parts: dict[str, list[str]] = {"action": action}
    part_keys: dict[str, list[str]] = {"action": []}
    for name, build in builders.items():
        with said.recording() as keys:
            parts[name] = build()
        part_keys[name] = said.unique(keys)
    others = [spoken_name(c, locale) for c in assessment.likely()[1:]]
    with said.recording():  # the card is shown, not spoken: its keys are not `said`
        card = [
            texts.get("result.card_action", level=level_info.label, action=" ".join(action)),
            texts.get("result.card_likely", condition=spoken_name(leader, locale))
            if leader
            else "",
            texts.get("result.card_why", reasons=join_list(texts, reasons[1], "result.reasons_and"))
            if leader and reasons[1]
            else "",
            texts.get("result.card_others", others=join_list(texts, others, "interview.list_or"))
            if leader and others
            else "",
            texts.get("result.card_tonight", tonight=" ".join(tonight + card_tonight)),
            texts.get("result.card_run", run=" ".join(parts["tomorrow"])),
            texts.get("result.card_recovery", recovery=" ".join(parts["recovery"]))
            if parts["recovery"]
            else "",
            texts.get("result.card_note", note=note) if note else "",
            texts.get("result.card_disclaimer", disclaimer=disclaimer(locale)),
        ]
        card_title = texts.get("result.card_title")
    return SpokenResult(
        level=assessment.level,
        speech=speech,
        parts=parts,
        card_title=card_title,
        card_text="\n".join(line for line in card if line),
        part_keys=part_keys,
    )
