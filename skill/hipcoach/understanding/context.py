"""ConText (Harkema et al. 2009), the generalisation of NegEx (Chapman et al. 2001), over the words
of one utterance and the findings spotted in them.

Each category (negated, uncertain, hypothetical, historical, other_experiencer) has forward
triggers, whose scope runs right ("no fever or swelling"), backward triggers, whose scope runs left
("swelling, nothing like that"), and pseudo-triggers, phrases that hold a trigger word but are none
("not only", "no wait"). Termination terms end every scope ("no fever but I fell"); so does the
window (a number of words, a finding counting as one, so a list stays in one scope). A trigger
inside a finding's own phrasing is its meaning ("I can't put weight on it") and never modifies it;
such a finding is never negated again from outside (spoken double negation agrees).
The terms are data: content/language/context/triggers.yaml, compiled by `make model` into
catalogue/context.json.

Spoken answers add one rule: a leading yes or no (`answer_words`) answers the question; as a
negation it reaches only up to a new clause ("no, it's swollen": the swelling stands; "no fever or
swelling": both are negated). Speech has no commas, so any forward scope that has reached a
finding also ends at a new clause ("it wasn't gradual, it came on all at once": the sudden start
stands), and a contrast ends a denial ("not sharp, more of a dull ache": terminations).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

TRIGGERS_FILE = Path(__file__).resolve().parent / "catalogue" / "context.json"
CATEGORIES = ("negated", "uncertain", "hypothetical", "historical", "other_experiencer")
_DIRECTIONS = ("forward", "backward", "pseudo")
_NEGATES = (("negated", "forward"),)

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Triggers:
    window: int
    terminations: frozenset[Phrase]
    answer_words: frozenset[str]
    clause_starts: frozenset[Phrase]
    # (category, direction) -> phrases
    terms: Mapping[tuple[str, str], frozenset[Phrase]]

    # Computed once per table (every target of every turn reads them).
    @cached_property
    def longest(self) -> int:
        every = [*self.terminations, *(p for ps in self.terms.values() for p in ps)]
        return max((len(p) for p in every), default=1)

    @cached_property
    def negation_lengths(self) -> tuple[int, ...]:
        """The lengths of the forward negation triggers, each once."""
        return tuple(sorted({len(p) for p in self.terms[("negated", "forward")]}))

    @cached_property
    def clause_start_lengths(self) -> tuple[int, ...]:
        return tuple(sorted({len(p) for p in self.clause_starts}))


def _phrases(items: Sequence[str]) -> frozenset[Phrase]:
    from hipcoach.understanding.words import tokens

    return frozenset(t for t in (tokens(item) for item in items) if t)


def parse(data: Mapping[str, Any]) -> Triggers:
    categories = data.get("categories") or {}
    terms = {
        (category, direction): _phrases((categories.get(category) or {}).get(direction) or [])
        for category in CATEGORIES
        for direction in _DIRECTIONS
    }
    return Triggers(
        window=int(data.get("window", 6)),
        terminations=_phrases(data.get("terminations") or []),
        answer_words=frozenset(w for ws in (data.get("answer_words") or {}).values() for w in ws),
        clause_starts=_phrases(data.get("clause_starts") or []),
        terms=terms,
    )


@cache
def raw() -> Mapping[str, Any]:
    """catalogue/context.json as loaded (the rules module reads its other sections)."""
    data: Mapping[str, Any] = json.loads(TRIGGERS_FILE.read_text(encoding="utf-8"))
    return data


@cache
def triggers() -> Triggers:
    return parse(raw())


@cache
def _question_tags() -> tuple[tuple[str, ...], ...]:
    from hipcoach.understanding.words import tokens

    return tuple({tokens(tag) for tag in raw().get("question_tags") or []} - {()})


def tagged_as_question(words: Sequence[str]) -> bool:
    """A statement closed by a question tag ("that's fine, isn't it"): asked, not told."""
    return any(
        len(words) > len(tag) and tuple(words[-len(tag) :]) == tag for tag in _question_tags()
    )


def with_variants(table: Triggers, variant: Callable[[Phrase], Phrase]) -> Triggers:
    """The same terms plus each one's variant (the matcher reads words without soft fillers:
    "nothing like that" is also "nothing that" there)."""

    def more(phrases: frozenset[Phrase]) -> frozenset[Phrase]:
        # only a filler inside a term goes: without its last or first word a term is another
        # ("no not really" is no "no not", which would swallow the negation of "no, not down
        # the leg")
        found = ((p, variant(p)) for p in phrases)
        return phrases | {v for p, v in found if v and v[0] == p[0] and v[-1] == p[-1]}

    return replace(
        table,
        terminations=more(table.terminations),
        clause_starts=more(table.clause_starts),
        terms={key: more(phrases) for key, phrases in table.terms.items()},
    )


@dataclass(frozen=True)
class _Unit:
    """One step of the walk: a finding, a trigger, a termination or a plain word."""

    start: int
    end: int
    target: int | None = None  # index of the finding
    triggers: tuple[tuple[str, str], ...] = ()  # (category, direction)
    terminates: bool = False
    clause_start: bool = False
    pseudo: bool = False
    own_negation: bool = False  # a finding whose own words negate ("can't move it")


def modifiers(
    words: Sequence[str], targets: Sequence[tuple[int, int]], found: Triggers | None = None
) -> list[frozenset[str]]:
    """The ConText categories that modify each target span (start, end) of `words`."""
    table = found or triggers()
    units = _units(tuple(words), targets, table)
    out: list[set[str]] = [set() for _ in targets]
    for at, unit in enumerate(units):
        for category, direction in unit.triggers:
            answer = unit.target is not None or (
                unit.end - unit.start == 1 and words[unit.start] in table.answer_words
            )
            step = 1 if direction == "forward" else -1
            reach = 0
            reached = False  # a finding in scope: a new clause after it ends the scope
            i = at + step
            while 0 <= i < len(units) and reach < table.window:
                other = units[i]
                clause = step == 1 and other.clause_start and (answer or reached)
                if other.terminates or clause:
                    break
                # a finding said with its own negation ("I can't move my leg") is never negated
                # again from outside: spoken double negation agrees ("no, I can't", "not better,
                # and I can't move it"), it does not cancel
                if other.target is not None and not (
                    other.own_negation and (category == "negated" or answer)
                ):
                    out[other.target].add(category)
                if other.target is not None:
                    # a finding passed over (its own negation agreeing) is reached all the same:
                    # "couldn't, I can't stand on it, I'm hopping" does not deny the hopping
                    reached = True
                reach += 1
                i += step
    return [frozenset(found_here) for found_here in out]


def _units(
    words: tuple[str, ...], targets: Sequence[tuple[int, int]], table: Triggers
) -> list[_Unit]:
    starts = {start: (index, end) for index, (start, end) in enumerate(targets)}
    units: list[_Unit] = []
    i = 0
    longest = table.longest
    while i < len(words):
        if i in starts:
            index, end = starts[i]
            # a finding said with its own negation ("no fever") negates the list after it
            # ("no fever or swelling"), up to a new clause
            opening = words[i:end]
            negation = table.terms[("negated", "forward")]
            lengths = table.negation_lengths
            negates = any(opening[:n] in negation for n in lengths if n < len(opening))
            clause = any(opening[:n] in table.clause_starts for n in table.clause_start_lengths)
            # "no, can't move it": a yes or no before a finding said with its own negation agrees
            own = any(
                opening[k : k + n] in negation for n in lengths for k in range(len(opening) - n + 1)
            )
            units.append(
                _Unit(
                    i,
                    end,
                    target=index,
                    triggers=_NEGATES if negates else (),
                    clause_start=clause,
                    own_negation=own,
                )
            )
            i = max(end, i + 1)
            continue
        unit = _longest_term(words, i, min(longest, _free_until(i, starts, len(words)) - i), table)
        units.append(unit)
        i = unit.end
    return units


def _free_until(i: int, starts: Mapping[int, tuple[int, int]], n: int) -> int:
    """The first target start after i (a trigger never runs into a finding)."""
    return min((s for s in starts if s > i), default=n)


def _longest_term(words: tuple[str, ...], i: int, limit: int, table: Triggers) -> _Unit:
    for size in range(max(1, limit), 0, -1):
        phrase = words[i : i + size]
        if len(phrase) < size:
            continue
        pseudo = any(phrase in table.terms[(c, "pseudo")] for c in CATEGORIES)
        if pseudo:
            return _Unit(i, i + size, pseudo=True)
        found = tuple(
            (category, direction)
            for category in CATEGORIES
            for direction in ("forward", "backward")
            if phrase in table.terms[(category, direction)]
        )
        terminates = phrase in table.terminations
        clause = phrase in table.clause_starts
        if found or terminates or (clause and size > 1):
            return _Unit(i, i + size, triggers=found, terminates=terminates, clause_start=clause)
    word = words[i : i + 1]
    return _Unit(i, i + 1, clause_start=word in table.clause_starts)
