"""The care plan: everything the skill acts on, concluded by the rules (issue 22).

`care_plan(findings, history, today)` runs one rulebook, the triage rules (content/rules/) and
the care-plan rules (content/care_plan_rules/) together, and returns a `CarePlan`: the level in
force, the causes best first, the red flags, whether and how to run, the routines and exercises
allowed now, what a follow-up says, any escalation and the reasons, each with its seed.

This module decides nothing medical. It only turns the runner's stored history into the inputs
the rules read, one contact at a time: each earlier contact (a finished check, a follow-up answer)
is one rules run whose level in force becomes the next contact's `prior_level`, so whether a
level still holds, and what lowers it (only the right professional having seen the hip), is the
rules' call. Today's contact is the last run, with today's findings.

Handlers read the plan:
- `plan.level`: the level in force (a `content/triage_levels.yaml` id) to speak;
- `plan.running`: a key; its words are `care_plan.running_<running>` (content/speech/);
- `plan.allows(routine_id)` before starting a routine; `routines.offers.with_exercises(plan)`
  fills `plan.exercises` (routine id -> exercise ids allowed now);
- `plan.stop_routine`: stop the routine now (the runner said it hurts);
- `plan.followup`: a key; its words are `care_plan.followup_<followup>`;
- `plan.escalation`: the level a follow-up raised it to, or None;
- `plan.reasons`: plain words, each with its seed file and the sentence quoted from it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from typing import Any

from forwardrules import Result, Rulebook, load_rulebook
from hipcoach.content_location import CONTENT_DIR

CARE_PLAN_RULES_DIR = CONTENT_DIR / "care_plan_rules"
# The derived facts of content/care_plan_rules/vocabulary.yaml (names, not medical values).
LEVEL_FACT = "level_in_force"
TRIAGE_FACT = "triage"
SCORE_FACT = "condition_score"
RED_FLAG_FACT = "red_flag"
RUNNING_FACT = "running"
ROUTINES_FACT = "routine_allowed"
STOP_FACT = "stop_routine"
FOLLOWUP_FACT = "followup_says"
ESCALATION_FACT = "escalation"
SETTLED_FACT = "pain_settled"
LIMIT_FACT = "routine_limit"
REPORTED_FACT = "pain_reported"
HELD_FACT = "self_care_held"
# The conclusions a "why?" explains: the level and the leading cause's score.
WHY_FACTS = ("triage", "red_flag", "level_in_force", "escalation")
# routine_limit values (content/care_plan_rules/vocabulary.yaml): no routine at all, or
# `no_<routine id>` for one routine.
NO_ROUTINE, NO_PREFIX = "no_routine", "no_"
# The inputs the history supplies (content/care_plan_rules/vocabulary.yaml `facts`).
PRIOR_LEVEL, DAYS_SINCE_CHECK, CHECK_LEVEL = "prior_level", "days_since_check", "check_level"
LEADER, FOLLOWUP = "leading_condition", "followup"
SETTLED_SAID, MILEAGE = "sharp_pain_settled", "mileage_increase_pct"
LOCATION = "pain_location"
DAYS_SINCE_START = "days_since_pain_start"  # when the runner said at the check how long it had hurt
LAST_CHECK_LEVEL = "last_check_level"  # the latest stored check's own level, on every later contact
CHECK_QUALITY = "check_pain_quality"  # what the pain felt like at the latest check


@cache
def plan_rulebook() -> Rulebook:
    """The triage and care-plan rules as one validated rulebook (loaded once per process)."""
    from hipcoach.medical.knowledge import knowledge
    from hipcoach.medical.triage import RULEBOOK_CACHE_ENV

    cache_dir = os.environ.get(RULEBOOK_CACHE_ENV) or None
    return load_rulebook([knowledge().rules_dir, CARE_PLAN_RULES_DIR], cache_dir=cache_dir)


@dataclass(frozen=True)
class Contact:
    """One earlier (or today's stored) contact with the runner, as the skill stored it.

    A finished check keeps its level and leading cause (not its findings); a follow-up keeps the
    runner's answer. Any contact may carry what the runner said about who has seen the hip (`seen`:
    the findings said, such as `seen_doctor`; what each can end is the rules' call) and about the
    sharp pain having settled.
    """

    day: date
    check_level: str | None = None  # a finished check's level (content/triage_levels.yaml id)
    condition: str | None = None  # that check's leading cause
    followup: str | None = None  # gone / better / same / worse (the runner's words, as an id)
    seen: frozenset[str] = frozenset()  # findings of content/rules/vocabulary.yaml, said true
    sharp_pain_settled: bool = False
    location: str | None = None  # where it hurts, as the runner said at the check
    quality: str | None = None  # what the pain felt like at a finished check (pain_quality)
    pain_started: date | None = None  # a finished check: when the pain began, if the runner said
    reasons: tuple[str, ...] = ()  # a finished check's reasons (rule ids): "why?" later


@dataclass(frozen=True)
class History:
    """What is stored about a runner, oldest contact first."""

    contacts: tuple[Contact, ...] = ()
    mileage_increase_pct: float | None = None  # from the training log, this week vs last


@dataclass(frozen=True)
class Reason:
    """Why the plan says something: the rule's plain words and the seed behind it."""

    rule: str
    text: str
    source: str
    quote: str = ""  # the seed sentence (tests check it is in the seed)
    judgement: str = ""  # set when the statement is clinical judgement beyond the seeds
    value: object = None  # what the rule concluded (for the fact the reasons were asked for)
    instead: str = ""  # what to do instead, when the rule refuses something (plain words)


@dataclass(frozen=True)
class CarePlan:
    """The rules' conclusions for one runner on one day (see the module docstring)."""

    level: str
    check_level: str | None
    conditions: tuple[tuple[str, float], ...]
    red_flags: tuple[str, ...]
    running: str
    routines: tuple[str, ...]
    exercises: Mapping[str, tuple[str, ...]]
    stop_routine: bool
    pain_settled: bool
    followup: str | None
    escalation: str | None
    reasons: tuple[Reason, ...]
    facts: Mapping[str, Any] = field(default_factory=dict)  # the inputs of today's run
    limits: tuple[Reason, ...] = ()  # why routines are limited now (the routine_limit rules)
    pain_reported: bool = False  # a check or follow-up has reported hip pain
    self_care_held: bool = False  # home-care advice does not apply: the level's action leads
    # What "why?" says, only from what the runner said: the reasons for the level in force, and
    # those for the leading cause (`leader`).
    why: tuple[Reason, ...] = ()
    why_cause: tuple[Reason, ...] = ()
    # Why the level in force stands where it does beyond what today's check alone found (an
    # earlier contact's level kept, the likeliest cause): the level rules that set it without
    # reading the check's own level. Empty when the check's own level is the level in force.
    raised: tuple[Reason, ...] = ()
    running_reasons: tuple[Reason, ...] = ()  # why running is as it is (the running rules)
    # The latest finished check this plan rests on: its day and leading cause (`check_level` is
    # its level); None before any check.
    check_day: date | None = None
    check_cause: str | None = None

    def words(self, part: str, texts: Any, **numbers: str) -> str:
        """The words of a conclusion ("running", "followup") in the texts' locale:
        content/speech/care_plan.yaml `<part>_<conclusion id>`."""
        value = getattr(self, part)
        return str(texts.get(f"care_plan.{part}_{value}", **numbers))

    @property
    def leader(self) -> str | None:
        """The leading cause, when one scores above nothing."""
        if self.conditions and self.conditions[0][1] > 0:
            return self.conditions[0][0]
        return None

    @property
    def cause(self) -> str | None:
        """The leading cause: today's check's, else the latest stored check's."""
        stored = self.facts.get(LEADER)
        return self.leader or (str(stored) if stored is not None else None)

    def allows(self, routine_id: str) -> bool:
        """Whether the rules allow this routine now."""
        return routine_id in self.routines

    def why_not(self, routine_id: str) -> Reason | None:
        """Why this routine is not allowed now: the limit that stops it (content/care_plan_rules/
        routines.yaml: `no_routine` first, then `no_<routine>`), else what the plan says of
        running (a warm-up is for an easy run), else its first reason."""
        # The limit on every routine first: it says why none is allowed (a doctor first, while
        # urgent), which a limit on this one routine alone would not.
        for stopping in (NO_ROUTINE, f"{NO_PREFIX}{routine_id}"):
            for reason in self.limits:
                if reason.value == stopping:
                    return reason
        return next(iter(self.running_reasons or self.reasons), None)

    def to_json(self) -> dict[str, Any]:
        """The plan as the `plan` object of `hipcoach triage` / `hipcoach plan` JSON."""
        return {
            "level_in_force": self.level,
            "check_level": self.check_level,
            "check_date": self.check_day.isoformat() if self.check_day else None,
            "check_cause": self.check_cause,
            "conditions": [{"id": key, "score": round(score, 2)} for key, score in self.conditions],
            "red_flags": list(self.red_flags),
            "running": self.running,
            "routines_allowed": list(self.routines),
            "exercises_allowed": {key: list(ids) for key, ids in self.exercises.items()},
            "stop_routine": self.stop_routine,
            "pain_settled": self.pain_settled,
            "followup": self.followup,
            "escalation": self.escalation,
            "pain_reported": self.pain_reported,
            "self_care_held": self.self_care_held,
            "reasons": [
                {
                    "rule": r.rule,
                    "why": r.text,
                    "source": r.source,
                    "quote": r.quote,
                    **({"judgement": r.judgement} if r.judgement else {}),
                }
                for r in self.reasons
            ],
        }


def _reasons(book: Rulebook, result: Result, fact: str | None = None) -> tuple[Reason, ...]:
    """The plain-words reasons of the rules that fired (those asserting `fact`, when given)."""
    reasons: list[Reason] = []
    seen: set[str] = set()
    for firing in result.firings:
        if firing.rule in seen:
            continue
        seen.add(firing.rule)
        rule = book.rule(firing.rule)
        if fact is not None and all(a.fact != fact for a in rule.then):
            continue
        meta = rule.meta
        value = next((a.constant for a in rule.then if a.fact == fact), None) if fact else None
        why = meta.get("why")
        if not isinstance(why, str):
            continue
        reasons.append(
            Reason(
                rule=firing.rule,
                text=why,
                source=str(meta.get("source", "")),
                quote=str(meta.get("quote", "")),
                judgement=str(meta.get("judgement", "")),
                value=value,
                instead=str(meta.get("instead", "")),
            )
        )
    return tuple(reasons)


def _raised(book: Rulebook, result: Result, level: str) -> tuple[Reason, ...]:
    """The reasons of the rules that set the level in force to `level` without reading the
    check's own level, when no rule reading it reached that level."""
    by_check = False
    setters: set[str] = set()
    for firing in result.firings:
        rule = book.rule(firing.rule)
        if not any(a.fact == LEVEL_FACT and a.constant == level for a in rule.then):
            continue
        if rule.facts_tested & {TRIAGE_FACT, CHECK_LEVEL}:
            by_check = True
        else:
            setters.add(firing.rule)
    if by_check:
        return ()
    return tuple(r for r in _reasons(book, result, LEVEL_FACT) if r.rule in setters)


def _run(facts: Mapping[str, Any]) -> CarePlan:
    """The care plan the rules conclude from `facts`. A plan depends only on its facts, and one
    turn asks for the same facts several times (the level in force, the routine to offer, the
    reasons): the rules run once per set of facts (a small cache, plans copied out)."""
    try:
        key = frozenset(facts.items())
    except TypeError:  # a value that cannot be hashed: no cache
        return _run_rules(facts)
    with _PLANS_LOCK:
        plan = _PLANS.get(key)
    if plan is None:
        plan = _run_rules(facts)
        with _PLANS_LOCK:
            _PLANS[key] = plan
            while len(_PLANS) > _PLANS_KEPT:
                del _PLANS[next(iter(_PLANS))]  # the oldest
    return replace(plan, exercises=dict(plan.exercises), facts=dict(plan.facts))


_PLANS: dict[frozenset[tuple[str, Any]], CarePlan] = {}
_PLANS_KEPT = 64
_PLANS_LOCK = threading.Lock()  # the web service answers on several threads


def _run_rules(facts: Mapping[str, Any]) -> CarePlan:
    book = plan_rulebook()
    with book.session() as session:
        session.add(dict(facts))
        result = session.result()
    conclusions = result.conclusions()
    ranking = tuple((str(k), float(v)) for k, v in result.ranking(SCORE_FACT))
    routines = tuple(str(r) for r in conclusions.get(ROUTINES_FACT) or ())
    check = facts.get(CHECK_LEVEL)
    why = _why(book, result, facts, ranking[0][0] if ranking and ranking[0][1] > 0 else None)
    return CarePlan(
        level=str(conclusions[LEVEL_FACT]),
        check_level=str(conclusions[TRIAGE_FACT]) if check is None else str(check),
        conditions=ranking,
        red_flags=tuple(str(f) for f in conclusions.get(RED_FLAG_FACT) or ()),
        running=str(conclusions[RUNNING_FACT]),
        routines=routines,
        exercises={},  # filled by the routines layer (hipcoach.routines.offers.with_exercises)
        stop_routine=bool(conclusions.get(STOP_FACT)),
        pain_settled=bool(conclusions.get(SETTLED_FACT)),
        followup=_optional(conclusions.get(FOLLOWUP_FACT)),
        escalation=_optional(conclusions.get(ESCALATION_FACT)),
        reasons=_reasons(book, result),
        facts=dict(facts),
        limits=_reasons(book, result, LIMIT_FACT),
        pain_reported=bool(conclusions.get(REPORTED_FACT)),
        self_care_held=bool(conclusions.get(HELD_FACT)),
        why=why["why"],
        why_cause=why["why_cause"],
        raised=_raised(book, result, str(conclusions[LEVEL_FACT])),
        running_reasons=tuple(
            r for r in _reasons(book, result, RUNNING_FACT) if r.value == conclusions[RUNNING_FACT]
        ),
    )


def _rests_on_what_was_said(book: Rulebook, rule_id: str, known: set[str]) -> bool:
    """A rule explains only when one of its ways to fire rests on facts the run was given (or
    derived): a rule that fired because a finding was never given ("without a fall" when nobody
    asked) explains nothing."""
    from hipcoach.medical.triage import rulebook

    # Only what the check could have asked can go unsaid; history and notes are known.
    findings = rulebook().vocabulary.askable
    rule = book.rule(rule_id)
    return any(
        all(lit.positive or lit.atom.fact in known or lit.atom.fact not in findings for lit in alt)
        for alt in rule.alternatives
    )


def _why(
    book: Rulebook, result: Result, facts: Mapping[str, Any], leader: str | None
) -> dict[str, tuple[Reason, ...]]:
    """The reasons for the level in force (`why`) and the leading cause (`why_cause`), each with
    its seed."""
    known = set(facts)
    said = [r for r in _reasons(book, result) if _rests_on_what_was_said(book, r.rule, known)]
    level = [r for r in said if any(a.fact in WHY_FACTS for a in book.rule(r.rule).then)]
    cause = [
        r
        for r in said
        if leader is not None
        and any(
            a.fact == SCORE_FACT and a.key == leader and _positive(a.constant)
            for a in book.rule(r.rule).then
        )
    ]
    return {"why": _distinct(level), "why_cause": _distinct(cause)}


def _distinct(reasons: Iterable[Reason]) -> tuple[Reason, ...]:
    """Each reason once (two rules may say the same words)."""
    out: dict[str, Reason] = {}
    for reason in reasons:
        out.setdefault(reason.text, reason)
    return tuple(out.values())


def _stored_reasons(rule_ids: Iterable[str]) -> tuple[Reason, ...]:
    """A stored check's reasons, by rule id, with the rules' words and seeds as they are now (a
    rule since removed is left out)."""
    book = plan_rulebook()
    known = {rule.id for rule in book.rules}
    reasons = []
    for rule_id in rule_ids:
        if rule_id not in known:
            continue
        meta = book.rule(rule_id).meta
        why = meta.get("why")
        if isinstance(why, str):
            reasons.append(
                Reason(
                    rule=rule_id,
                    text=why,
                    source=str(meta.get("source", "")),
                    quote=str(meta.get("quote", "")),
                    judgement=str(meta.get("judgement", "")),
                )
            )
    return tuple(reasons)


def _with_stored(plan: CarePlan, rule_ids: tuple[str, ...]) -> CarePlan:
    """A stored check's own reasons (what the runner said then) first in "why?"."""
    book = plan_rulebook()
    stored = _stored_reasons(rule_ids)
    scored = [r for r in stored if any(a.fact == SCORE_FACT for a in book.rule(r.rule).then)]
    level = [r for r in stored if r not in scored]
    return replace(
        plan,
        why=_distinct([*level, *plan.why]),
        why_cause=_distinct([*scored, *plan.why_cause]),
    )


def _positive(value: object) -> bool:
    return isinstance(value, (int, float)) and value > 0


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def _valid(facts: dict[str, Any]) -> dict[str, Any]:
    """The stored facts the rules accept: a record written by an older version (a cause or a
    place since renamed) loses that fact rather than failing the runner's turn."""
    vocabulary = plan_rulebook().vocabulary.facts
    kept = {}
    for name, value in facts.items():
        spec = vocabulary.get(name)
        if spec is not None and (spec.type != "enum" or value in spec.values):
            kept[name] = value
    return kept


def _contact_facts(
    contact: Contact,
    prior: CarePlan | None,
    last_check: date | None,
    condition: str | None,
    settled: bool,
    seen: frozenset[str],
    quality: str | None = None,
    started: date | None = None,
    last_level: str | None = None,
) -> dict[str, Any]:
    """The rules' inputs for one contact: what it stored, plus what earlier contacts left."""
    facts: dict[str, Any] = {}
    if last_level is not None:
        facts[LAST_CHECK_LEVEL] = last_level
    if started is not None:
        facts[DAYS_SINCE_START] = max((contact.day - started).days, 0)
    if quality is not None:
        facts[CHECK_QUALITY] = quality
    if prior is not None:
        facts[PRIOR_LEVEL] = prior.level
    if last_check is not None:
        facts[DAYS_SINCE_CHECK] = max((contact.day - last_check).days, 0)
    if contact.check_level is not None:
        facts[CHECK_LEVEL] = contact.check_level
    if condition is not None:
        facts[LEADER] = condition
    if contact.followup is not None:
        facts[FOLLOWUP] = contact.followup
        if contact.location is not None:
            facts[LOCATION] = contact.location  # what a follow-up answer is about
    for finding in sorted(seen):
        facts[finding] = True
    if settled:
        facts[SETTLED_SAID] = True
    return _valid(facts)


def _seen(contact: Contact, seen: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(who has seen the hip, as of this contact; as of the contacts after it).

    Said at a follow-up, it holds from then until the next check, and a later day adds to it (a
    physio, then a doctor). Said with a check, it was before that check: it ends the levels of
    earlier contacts but not the check's own, so it is not carried past the check."""
    if contact.check_level is not None:
        return contact.seen, frozenset()
    seen = seen | contact.seen
    return seen, seen


def care_plan(
    findings: Mapping[str, Any] | None = None,
    history: History | None = None,
    today: date | None = None,
    leader: str | None = None,
) -> CarePlan:
    """The care plan for today.

    `findings`: today's check so far (contract names and values; empty on a day without a check).
    `history`: the stored contacts, oldest first; a contact dated today is today's (its follow-up
    answer is part of today's run). `leader`: today's leading cause when the caller already ran
    the triage (else it is taken from a run of the findings). Raises `forwardrules.FactError`
    naming an unknown finding or an invalid value.
    """
    findings = dict(findings or {})
    history = history or History()
    today = today or date.today()
    # Stable sort: the stored order within a day is kept.
    contacts = sorted((c for c in history.contacts if c.day <= today), key=lambda c: c.day)
    todays = contacts[-1] if contacts and contacts[-1].day == today else None
    earlier = contacts[:-1] if todays is not None else contacts

    prior: CarePlan | None = None
    last_check: date | None = None
    condition: str | None = None
    quality: str | None = None
    started: date | None = None  # when the pain of the latest check began, if said
    check_reasons: tuple[str, ...] = ()
    check_level: str | None = None  # the latest stored check's level
    settled, seen = False, frozenset[str]()
    for contact in earlier:
        if contact.check_level is not None:
            last_check, settled, seen = contact.day, False, frozenset()
            condition, quality = contact.condition, contact.quality
            check_reasons, check_level = contact.reasons, contact.check_level
            started = contact.pain_started
        settled = settled or contact.sharp_pain_settled
        seen_now, seen = _seen(contact, seen)
        prior = _run(
            _contact_facts(
                contact,
                prior,
                last_check,
                condition,
                settled,
                seen_now,
                quality,
                started,
                check_level,
            )
        )

    contact = todays or Contact(day=today)
    if contact.check_level is not None:
        last_check, settled, seen, condition = contact.day, False, frozenset(), contact.condition
        quality, check_reasons, check_level = contact.quality, contact.reasons, contact.check_level
        started = contact.pain_started
    if findings:
        # Today's check: its findings replace what a stored check concluded (and say whether a
        # professional has seen the hip, before it).
        contact = replace(contact, check_level=None, seen=frozenset())
        last_check, settled, seen, quality, check_reasons = today, False, frozenset(), None, ()
        started = None  # today's check says how long it has hurt in its own findings
        condition = leader if leader is not None else _run(findings).leader
    settled = settled or contact.sharp_pain_settled
    seen_now, seen = _seen(contact, seen)
    stored_level = None if findings else check_level  # today's check has its own triage
    facts = _contact_facts(
        contact, prior, last_check, condition, settled, seen_now, quality, started, stored_level
    )
    if history.mileage_increase_pct is not None and MILEAGE not in findings:
        facts[MILEAGE] = history.mileage_increase_pct
    facts.update(findings)
    plan = _run(facts)
    # The check the plan rests on: today's findings, else the latest stored check (a day
    # without a check has no check level of its own: the rules' level of no findings is not one).
    if not findings:
        plan = replace(plan, check_level=check_level)
    plan = replace(
        plan, check_day=last_check, check_cause=condition if last_check is not None else None
    )
    return _with_stored(plan, check_reasons) if check_reasons else plan
