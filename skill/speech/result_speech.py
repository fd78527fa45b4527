"""The triage result in words: urgent action first, then the likely cause and why, tonight,
tomorrow's run, recovery, and the card for the Alexa app. Every sentence comes from content/."""

from __future__ import annotations

from dataclasses import dataclass

from hipcoach.dialog.interview import Assessment
from hipcoach.medical.knowledge import Knowledge, knowledge
from hipcoach.medical.triage import driving_red_flags, red_flag_because, run_tomorrow
from hipcoach.speech.locales import pick, policy
from hipcoach.speech.texts import Texts

SELF_CARE = "self_care"


@dataclass(frozen=True)
class SpokenResult:
    speech: list[str]  # plain-text sentences, escaped when rendered
    card_title: str
    card_text: str


def join_list(texts: Texts, items: list[str], key: str = "interview.list_and") -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return texts.get(key, first=", ".join(items[:-1]), last=items[-1])


def _strip_prefix(reason: str, name: str) -> str:
    """Reasons arrive as 'Name fits: why'; the spoken form wants just 'why'."""
    head, _, tail = reason.partition(": ")
    return tail if tail and head.lower() == name.lower() + " fits" else reason


def level_action(kb: Knowledge, level: str, locale: str) -> str:
    info = kb.levels[level]
    text = pick(info.action, locale)
    return text.format(emergency_number=policy(locale).emergency_number)


def tonight_advice(kb: Knowledge, assessment: Assessment) -> list[str]:
    tonight = kb.advice.get("tonight", {})
    lines = [
        item["text"] for item in tonight.get("all_levels", []) if assessment.level != "emergency"
    ]
    lines += [item["text"] for item in tonight.get(assessment.level, [])]
    leader = assessment.leader
    if leader and assessment.level in (SELF_CARE, "see_professional"):
        lines.append(kb.conditions[leader].tonight.text)
    return lines


def compose(assessment: Assessment, locale: str) -> SpokenResult:
    kb, texts = knowledge(), Texts(locale)
    level_info = kb.levels[assessment.level]
    speech = [texts.get("interview.result_intro")]
    action = level_action(kb, assessment.level, locale)
    if assessment.level != SELF_CARE:
        speech += [texts.get("interview.result_action_intro"), action]
        because = red_flag_because(
            kb, driving_red_flags(kb, assessment.fired, assessment.level), locale
        )
        if because:  # which answers made it this urgent (content/triage_levels.yaml)
            reason = kb.red_flag_reason.get(locale, kb.red_flag_reason["en-US"])
            speech.append(reason.format(because=join_list(texts, because)))
    leader = assessment.leader
    _, condition_reasons = assessment.reasons(locale)
    if leader:
        condition = kb.conditions[leader]
        speech.append(
            texts.get(
                "interview.most_likely",
                condition=condition.name,
                description=condition.description.text,
            )
        )
        reasons = [_strip_prefix(r, condition.name) for r in condition_reasons]
        if reasons:
            speech.append(texts.get("interview.because", reasons=join_list(texts, reasons)))
        others = [kb.conditions[c].short_name for c in assessment.likely()[1:]]
        if others:
            speech.append(
                texts.get(
                    "interview.also_possible", others=join_list(texts, others, "interview.list_or")
                )
            )
    else:
        speech.append(texts.get("interview.no_leader"))
    if assessment.level == SELF_CARE:
        speech.append(action)
    tonight = tonight_advice(kb, assessment)
    speech += [texts.get("interview.tonight_intro"), *tonight]
    run = run_tomorrow(kb, assessment.level, leader, locale)
    speech += [texts.get("interview.run_tomorrow_intro"), run]
    if leader and assessment.level in (SELF_CARE, "see_professional"):
        speech += [texts.get("interview.recovery_intro"), kb.conditions[leader].recovery.text]
    speech.append(texts.get("interview.see_professional_anyway"))
    disclaimer = pick(kb.disclaimer, locale)
    card = [
        texts.get("interview.card_action", level=level_info.label) + ". " + action,
        texts.get("interview.card_likely", condition=kb.conditions[leader].name) if leader else "",
        texts.get("interview.card_tonight", tonight=" ".join(tonight)),
        texts.get("interview.card_run", run=run),
        texts.get("interview.card_recovery", recovery=kb.conditions[leader].recovery.text)
        if leader
        else "",
        texts.get("interview.card_disclaimer", disclaimer=disclaimer),
    ]
    return SpokenResult(
        speech=speech,
        card_title=texts.get("interview.card_title"),
        card_text="\n".join(line for line in card if line),
    )
