"""`triage(findings)`: the hip rules run on a set of findings, as the DESIGN.md JSON object.

The rules (content/rules/) decide everything; this module only runs them through the
`forwardrules` engine and phrases the result: the triage level, the conditions best first, the red
flags, plain-language reasons taken from the rules' `meta.why`, and the next question to ask.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from forwardrules import Result, Rulebook, load_rulebook
from hipcoach.medical.knowledge import RUN_ANSWERS, TRIAGE_FACT, Knowledge, knowledge
from hipcoach.speech.locales import pick

MAX_CONDITION_REASONS = 3
# A folder of validated rulebooks (forwardrules' pickle cache, keyed by the rules' content hash).
# The Lambda zip ships one, so a cold container skips parsing and validating the YAML rules.
RULEBOOK_CACHE_ENV = "HIPCOACH_RULEBOOK_CACHE"


@cache
def rulebook() -> Rulebook:
    """The validated hip rulebook (loaded once per process; from $HIPCOACH_RULEBOOK_CACHE when
    that folder holds the rulebook of these very rules)."""
    cache_dir = os.environ.get(RULEBOOK_CACHE_ENV) or None
    return load_rulebook(knowledge().rules_dir, cache_dir=cache_dir)


def _fired_ids(result: Result) -> list[str]:
    return [firing.rule for firing in result.firings]


def driving_red_flags(kb: Knowledge, fired: Iterable[str], level: str) -> list[str]:
    """The red flags that set the level: those of the fired rules that assert this very level, in
    the vocabulary's order whatever the order of answers. (Red flags of lower rules are still in
    the result's `red_flags`.)"""
    flags = {
        flag for rid in fired if kb.rules[rid].triage == level for flag in kb.rules[rid].red_flags
    }
    return [flag for flag in kb.red_flags if flag in flags]


def red_flag_because(kb: Knowledge, flags: Iterable[str], locale: str = "en-US") -> list[str]:
    """What each red flag says about the runner's answer ("you can't put weight on the leg"),
    without repeats (two flags may say the same thing)."""
    texts = (kb.red_flags[flag].because for flag in flags)
    return list(dict.fromkeys(pick(text, locale) for text in texts))


def run_tomorrow(kb: Knowledge, level: str, leader: str | None, locale: str = "en-US") -> str:
    """The answer to "can I run tomorrow?": the triage level's, unless the leading condition's
    own answer is stricter (a strain: no running at all), when its `ok_to_run` is said."""
    info = kb.levels[level]
    level_text = pick(info.run_tomorrow, locale)
    if leader is None:
        return level_text
    level_answer = kb.advice["run_tomorrow"][level]["answer"]
    condition = kb.conditions[leader]
    if RUN_ANSWERS.index(condition.run_tomorrow) > RUN_ANSWERS.index(level_answer):
        return condition.ok_to_run.text
    return level_text


def _said(rule_id: str, known: Iterable[str] | None) -> bool:
    """Whether a rule's reason rests only on what the runner said: a rule that fired because a
    finding was never given (a negated condition on an unknown finding, "without a fall" when
    nobody asked) explains nothing."""
    if known is None:
        return True
    known = set(known)
    rule = rulebook().rule(rule_id)
    return any(
        all(lit.positive or lit.atom.fact in known for lit in alt) for alt in rule.alternatives
    )


def explain(
    kb: Knowledge,
    fired: Iterable[str],
    level: str,
    leader: str | None,
    locale: str = "en-US",
    known: Iterable[str] | None = None,
) -> list[str]:
    """Plain-language reasons: which answers set the triage level, then what points to the
    leader. `known`: the findings the runner gave (a reason resting on an unknown one is left
    out)."""
    known = None if known is None else set(known)
    fired = [rid for rid in dict.fromkeys(fired) if _said(rid, known)]
    label = kb.levels[level].label.capitalize()
    reasons = [
        kb.why_templates["red_flag"].format(level_label=label, because=because)
        for because in red_flag_because(kb, driving_red_flags(kb, fired, level), locale)
    ]
    reasons += [  # a rule that sets the level without naming a red flag explains itself
        kb.why_templates["triage"].format(level_label=label, why=kb.rules[rid].why)
        for rid in fired
        if kb.rules[rid].triage == level and not kb.rules[rid].red_flags
    ]
    if not reasons:
        reasons.append(
            kb.why_templates["triage"].format(level_label=label, why=kb.no_red_flags[locale])
        )
    if leader is not None:
        # Most specific reasons first (rules matching more findings), then by weight; a reason
        # whose findings are all covered by one already given is left out as redundant.
        support = sorted(
            (
                (-len(kb.rules[rid].findings), -kb.rules[rid].scores[leader], index, rid)
                for index, rid in enumerate(fired)
                if kb.rules[rid].scores.get(leader, 0) > 0
            ),
        )
        name = kb.conditions[leader].name
        name = name[0].upper() + name[1:]
        chosen: list[str] = []
        for *_, rid in support:
            covered = set(kb.rules[rid].findings)
            if any(covered <= set(kb.rules[other].findings) for other in chosen):
                continue
            chosen.append(rid)
            if len(chosen) == MAX_CONDITION_REASONS:
                break
        reasons.extend(
            kb.why_templates["condition"].format(condition_name=name, why=kb.rules[rid].why)
            for rid in chosen
        )
    return reasons


def triage(
    findings: Mapping[str, Any], exhausted: Iterable[str] = (), locale: str = "en-US"
) -> dict[str, Any]:
    """Run the hip rules on `findings`; return the `hipcoach triage` JSON object.

    `exhausted` names findings that should not be asked next (already asked, not known).
    Raises `forwardrules.FactError` naming an unknown finding or an invalid value.
    """
    kb = knowledge()
    book = rulebook()
    with book.session() as session:
        session.add(dict(findings))
        result = session.result()
        level = str(result.value("triage"))
        ranking = [(str(key), float(score)) for key, score in result.ranking("condition_score")]
        red_flags = [str(flag) for flag in result.value("red_flag") or ()]
        question = session.next_question(exhausted=set(exhausted))
        fired = _fired_ids(result)
        known = set(session.facts)
    leader = ranking[0][0] if ranking and ranking[0][1] > 0 else None
    next_question = None
    if question is not None:
        finding = question.fact
        next_question = {"finding": finding, "prompt": kb.questions[finding].text(locale)}
    return {
        "triage": level,
        "conditions": [{"id": key, "score": round(score, 2)} for key, score in ranking],
        "red_flags": red_flags,
        "why": explain(kb, fired, level, leader, locale, known),
        "next_question": next_question,
    }


def level_of(findings: Mapping[str, Any]) -> str:
    """The level the rules give these findings alone (what was just said, before any check)."""
    with rulebook().session() as session:
        session.add(dict(findings))
        return str(session.result().value(TRIAGE_FACT))


@cache
def level_if_present(finding: str) -> str:
    """The level the rules give when this one warning sign is there and nothing else is known
    (what to say when its question could not be understood: the rules decide, not the skill)."""
    kb = knowledge()
    level = level_of({finding: True})
    return level if level in kb.levels else next(iter(kb.levels))


def signs_for(level: str, locale: str = "en-US") -> list[str]:
    """What the runner would notice that, alone, sets this level: the red flags of the rules
    that assert `level` from one finding (for "should I see a doctor?"), in the vocabulary's
    order, each as its `because` text."""
    kb = knowledge()
    flags = {
        flag
        for rule in kb.rules.values()
        if rule.triage == level and len(rule.findings) == 1
        for flag in rule.red_flags
        if flag in kb.facts and kb.facts[flag].type == "boolean" and level_if_present(flag) == level
    }
    single = red_flag_because(kb, [flag for flag in kb.red_flags if flag in flags], locale)
    # A sign that needs several findings (numbness with a weak leg) is named by its rule's
    # meta.sign, when the rule sets this level.
    several = [
        rule.sign if isinstance(rule.sign, str) else pick(rule.sign, locale)
        for rule in kb.rules.values()
        if rule.triage == level and len(rule.findings) > 1 and rule.sign
    ]
    return list(dict.fromkeys([*single, *several]))


def see_doctor_signs(locale: str, or_join: str) -> dict[str, str]:
    """{emergency_signs} and {urgent_signs} for the "should I see a doctor?" answer: the warning
    signs that alone set each level in the triage rules, joined with `or_join` ("{first}, or
    {last}"), so the answer can never drift from the rules."""
    levels = list(knowledge().levels)

    def joined(level: str) -> str:
        signs = signs_for(level, locale)
        if len(signs) < 2:
            return "".join(signs)
        return or_join.format(first=", ".join(signs[:-1]), last=signs[-1])

    return {"emergency_signs": joined(levels[-1]), "urgent_signs": joined(levels[-2])}
