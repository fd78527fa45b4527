"""The reading's general rules beyond the catalogue: corrections, requests the skill cannot carry
out, questions, ages and history, misheard words, and the pending question's kind of answer first.
Their terms are data (content/language/context/triggers.yaml, compiled into
catalogue/context.json).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from hipcoach.understanding.acts import FALLBACK_INTENT
from hipcoach.understanding.context import raw
from hipcoach.understanding.words import tokens

if TYPE_CHECKING:
    from hipcoach.intent_result import NluResult
    from hipcoach.understanding.matcher import Nlu

# Intents that record a finding or start a check: a question is never read as one of them.
RECORDING_INTENTS = frozenset(
    {
        "TellFindingsIntent",
        "AffirmFindingsIntent",
        "DenyFindingsIntent",
        "StartCheckIntent",
        "LocationIntent",
        "RadiationIntent",
        "TimingIntent",
        "OnsetIntent",
        "QualityIntent",
        "DurationIntent",
        "NumberIntent",
        "AbleIntent",
        "UnableIntent",
        "LogRunIntent",
        "NewShoesIntent",
        "ShoeMilesIntent",
    }
)
NUMBER_INTENT = "NumberIntent"
MIN_TOPIC_WORD = 4
_STATEMENT_AFTER_OPENING = frozenset({"a", "an"})
DURATION_INTENT = "DurationIntent"


def _phrases(items: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    found = {tokens(item) for item in items}
    return tuple(sorted((p for p in found if p), key=len, reverse=True))


@cache
def catch_all_intents() -> Mapping[str, str]:
    """The catch-all intents of Alexa's model -> the words their carrier stands for."""
    intents: Mapping[str, str] = raw()["catch_all"]["intents"]
    return intents


@cache
def _terms(section: str) -> tuple[tuple[str, ...], ...]:
    return _phrases(raw().get(section) or [])


def _find(words: tuple[str, ...], phrase: tuple[str, ...]) -> list[int]:
    n = len(phrase)
    return [i for i in range(len(words) - n + 1) if words[i : i + n] == phrase]


def cannot_do(text: str) -> bool:
    """A request the skill cannot carry out ("remind me to ice my hip tonight", "set a timer")."""
    words = tokens(text)
    return any(_find(words, phrase) for phrase in _terms("cannot_do"))


def is_question(text: str) -> bool:
    """Put as a question: it opens with a question word or phrase ("is", "should I", "tell me")."""
    words = tokens(text)
    if len(words) > 1 and (words[1].isdigit() or words[1] in _STATEMENT_AFTER_OPENING):
        return False  # "did a 5k on monday": an opening verb before an object is a statement
    return any(words[: len(p)] == p for p in _terms("questions"))


def after_correction(text: str, nlu: Nlu, today: date) -> tuple[bool, str]:
    """The words after the last correction marker, when they are understood on their own: "on the
    side of my hip, no wait, it's more at the front" -> "it's more at the front"."""
    words = tokens(text)
    cut: int | None = None
    for phrase in _terms("corrections"):
        for at in _find(words, phrase):
            end = at + len(phrase)
            if at > 0 and end < len(words) and (cut is None or end > cut):
                cut = end
    if cut is None:
        return False, text
    rest = " ".join(words[cut:])
    if nlu.resolve(rest, today).intent == FALLBACK_INTENT:
        return False, text
    return True, rest


def mend(text: str, nlu: Nlu) -> str:
    """Misheard words mended against the catalogue's vocabulary (hipcoach.understanding.fuzzy)."""
    from hipcoach.understanding.fuzzy import mend_words

    words = tokens(text)
    mended = mend_words(words, nlu.vocabulary)
    return text if mended == words else " ".join(mended)


def _age_or_history(words: tuple[str, ...], start: int, end: int, nlu: Nlu) -> bool:
    ages = raw().get("ages") or {}
    before = _phrases(ages.get("before") or [])
    after = _phrases(ages.get("after") or [])
    if any(words[max(0, start - len(p)) : start] == p for p in before):
        return True
    if any(words[end : end + len(p)] == p for p in after):
        return True
    history = any(_find(words, phrase) for phrase in _terms("history"))
    about_history = any(_find(words, phrase) for phrase in _terms("history_subjects"))
    return history and (about_history or unknown_topic(" ".join(words), nlu))


def bare_answer(result: NluResult, text: str, nlu: Nlu) -> NluResult:
    """Words the catalogue does not read, said with a yes or a no and no other answer word, are
    that yes or no ("I guess not? no, I don't think any of those"); a hedge keeps it."""
    if result.intent != FALLBACK_INTENT or is_question(text):
        return result
    words = tokens(text)
    said = _answer_words(words)
    if words and words[-1] == "not":  # "I guess not", "probably not"
        said.add("no")
    if len(said) != 1:
        return result
    intent = "AMAZON.YesIntent" if said == {"yes"} else "AMAZON.NoIntent"
    return replace(nlu.fallback(text), intent=intent, confidence=0.5)


def _answer_words(words: tuple[str, ...]) -> set[str]:
    """Which kinds of answer word ("yes", "no") the words hold."""
    answers: Mapping[str, list[str]] = raw().get("answer_words") or {}
    return {kind for kind, items in answers.items() for w in words if w in items}


def score(text: str) -> int | None:
    """A pain score said anywhere ("like a nine", "seven out of ten"): 0-10 beside a marker."""
    from hipcoach.understanding.words import parse_number

    words = tokens(text)
    markers = raw().get("scores") or {}
    found: int | None = None
    for phrase in _phrases(markers.get("before") or []):
        for at in _find(words, phrase):
            number = _number_at(words, at + len(phrase), parse_number)
            if number is not None:
                found = number
    for phrase in _phrases(markers.get("after") or []):
        for at in _find(words, phrase):
            for size in (2, 1):
                said = parse_number(words[max(0, at - size) : at]) if at >= size else None
                if said is not None and float(said).is_integer() and 0 <= said <= 10:
                    found = int(said)
                    break
    return found


def _number_at(words: tuple[str, ...], at: int, parse: Any) -> int | None:
    for size in (2, 1):
        number = parse(words[at : at + size]) if at + size <= len(words) else None
        if number is not None and float(number).is_integer() and 0 <= number <= 10:
            return int(number)
    return None


def out_of_scope(text: str) -> bool:
    """Words naming what the seeds say nothing about (supplements, alcohol, race pace, jokes)."""
    words = tokens(text)
    return any(_find(words, phrase) for phrase in _terms("out_of_scope"))


def unknown_topic(text: str, nlu: Nlu) -> bool:
    """A word of substance the catalogue has nowhere ("what pace should I run my marathon at"):
    read only for a question anchored on one topic word, the weakest reading the matcher has."""
    known = nlu.vocabulary
    return any(
        len(word) >= MIN_TOPIC_WORD and word.isalpha() and not _inflected(word, known)
        for word in tokens(text)
    )


def _inflected(word: str, known: frozenset[str]) -> bool:
    """The word or its singular or plain form is known ("inflammatories" -> "inflammatory")."""
    forms = {word, word.removesuffix("s"), word.removesuffix("es"), word.removesuffix("ing")}
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    return bool(forms & known)


def expected_first(result: NluResult, text: str, nlu: Nlu, context: Context) -> NluResult:
    """The pending question's kind of answer first: a number or a duration said anywhere in the
    words, when the question takes one and the whole reads as something else or nothing; ages,
    dates and history are none ("I'm 65", "I had cancer two years ago")."""
    words = tokens(text)
    if result.intent in (NUMBER_INTENT, DURATION_INTENT):
        spans = nlu.number_spans(words, context.today, result)
        if spans and all(_age_or_history(words, s, e, nlu) for s, e in spans):
            return nlu.fallback(text)
        return result
    if result.intent == FALLBACK_INTENT and score(text) is not None and not _answer_words(words):
        # a score said to a question that takes no number: the pain's severity, for the handlers
        scored = nlu.spot_value(NUMBER_INTENT, words, context.today)
        if scored is not None:
            return replace(scored[0], utterance=text)
    for wanted in context.expects:
        if wanted not in (NUMBER_INTENT, DURATION_INTENT) or result.intent in context.expects:
            continue
        if result.intent not in (FALLBACK_INTENT, "TellFindingsIntent", "AMAZON.YesIntent"):
            continue
        found = nlu.spot_value(wanted, words, context.today)
        if found is not None and not _age_or_history(words, found[1], found[2], nlu):
            return replace(found[0], utterance=text)
    return result


if TYPE_CHECKING:
    from hipcoach.understanding.acts import Context
