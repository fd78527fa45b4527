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
from hipcoach.medical.knowledge import Knowledge, knowledge

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


def explain(
    kb: Knowledge, fired: Iterable[str], level: str, leader: str | None, locale: str = "en-US"
) -> list[str]:
    """Plain-language reasons: what set the triage level, then what points to the leader."""
    fired = list(dict.fromkeys(fired))
    label = kb.levels[level].label
    reasons = [
        kb.why_templates["triage"].format(level_label=label.capitalize(), why=kb.rules[rid].why)
        for rid in fired
        if kb.rules[rid].triage == level
    ]
    if not reasons:
        reasons.append(
            kb.why_templates["triage"].format(
                level_label=label.capitalize(), why=kb.no_red_flags[locale]
            )
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
    leader = ranking[0][0] if ranking and ranking[0][1] > 0 else None
    next_question = None
    if question is not None:
        finding = question.fact
        next_question = {"finding": finding, "prompt": kb.questions[finding].text(locale)}
    return {
        "triage": level,
        "conditions": [{"id": key, "score": round(score, 2)} for key, score in ranking],
        "red_flags": red_flags,
        "why": explain(kb, fired, level, leader, locale),
        "next_question": next_question,
    }
