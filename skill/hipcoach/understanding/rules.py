"""The reading's general rules beyond the catalogue: corrections, requests the skill cannot carry
out, questions, ages and history, misheard words, and the pending question's kind of answer first.
Their terms are data (content/language/context/triggers.yaml, compiled into
catalogue/context.json).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from hipcoach.understanding.acts import FALLBACK_INTENT
from hipcoach.understanding.context import raw, tagged_as_question
from hipcoach.understanding.words import tokens

if TYPE_CHECKING:
    from hipcoach.intent_result import NluResult
    from hipcoach.understanding.matcher import Nlu, Said

# Intents that record a finding or start a check: a question is never read as one of them.
# What the runner's memory keeps when said (a run, a week's plan, new shoes, a shoe count): a
# question naming them asks, it keeps nothing.
MEMORY_RECORDS = frozenset({"LogRunIntent", "PlanWeekIntent", "NewShoesIntent", "ShoeMilesIntent"})
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
# ...but a copula or a modal before one still asks ("is a pint after a run alright?", "would a
# new pair of trainers help?", "can a 10k be too much?")
_ASKS_BEFORE_AN_OBJECT = frozenset(
    {"is", "are", "was", "would", "could", "will", "can", "should", "does"}  # "does a stress..."
)
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


@cache
def _cannot_do_kinds() -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    kinds: Mapping[str, list[str]] = raw().get("cannot_do") or {}
    return tuple((kind, _phrases(phrases)) for kind, phrases in kinds.items())


def cannot_do(text: str) -> str | None:
    """The kind of request the skill cannot carry out ("remind me to ice my hip tonight":
    reminders, "can you book me in with a physio": booking), or None. A runner's question about
    their own next step ("should I call my doctor?") is no request to the skill."""
    words = tokens(text)
    if any(words[: len(p)] == p for p in _terms("cannot_do_not_after")):
        return None
    found = [
        (at, kind)
        for kind, phrases in _cannot_do_kinds()
        for phrase in phrases
        for at in _find(words, phrase)
        if _said_to_the_skill(words[:at])
    ]
    return min(found)[1] if found else None


def _said_to_the_skill(before: tuple[str, ...]) -> bool:
    """Whether a request phrase is said to the skill: not right after a subject or a negation
    ("it doesn't wake me up at night", "it hurts when I turn on the spot" are the runner's own
    words; content `cannot_do_said_of`)."""
    said_of = {p[0] for p in _terms("cannot_do_said_of") if len(p) == 1}
    return not before or before[-1] not in said_of


def _said_alone(text: str, section: str, *fillers: str) -> bool:
    """Whether the words are terms of `section` with nothing but `fillers` terms around them
    (content sections; `closing_words` when none are named), at least one `section` term said."""
    words = tokens(text)
    around = tuple(p for name in fillers or ("closing_words",) for p in _terms(name))
    said = False
    at = 0
    while at < len(words):
        term = _longest_at(words, at, _terms(section))
        if term:
            said, at = True, at + term
            continue
        other = _longest_at(words, at, around)
        if not other:
            return False
        at += other
    return said


def after_thanks(text: str) -> str | None:
    """The words after thanks said first ("cheers, you're a star" -> "you're a star"), closing
    words before it allowed; None when the words do not open with thanks."""
    words = tokens(text)
    at = 0
    while at < len(words):
        thanks = _longest_at(words, at, _terms("closing_thanks"))
        if thanks:
            return " ".join(words[at + thanks :])
        other = _longest_at(words, at, _terms("closing_words"))
        if not other:
            return None
        at += other
    return None


def only_greeting(text: str) -> bool:
    """Only a greeting ("hello", "hi there, hip coach"; content `greetings`, `closing_words`)."""
    return _said_alone(text, "greetings")


def closing(text: str) -> bool:
    """Thanks said to close ("okay, thanks", "great, thank you, that's really helpful"): a
    closing_thanks term and nothing but closing_words around it."""
    return _said_alone(text, "closing_thanks")


def stops(text: str) -> bool:
    """A stop said with nothing else ("right, that'll do, stop", "okay I'm done now"): a
    stop_said term and nothing but closing words, thanks and other stop terms around it. Never
    a story: such words start no check in any mode."""
    return _said_alone(text, "stop_said", "closing_words", "closing_thanks")


def _longest_at(words: tuple[str, ...], at: int, phrases: Iterable[tuple[str, ...]]) -> int:
    """The length of the longest phrase starting at `at` (0 when none does)."""
    return max((len(p) for p in phrases if words[at : at + len(p)] == p), default=0)


# ConText categories under which words of pain say none now ("it doesn't hurt", "if it hurts",
# "my friend's hip hurts", "it hurt yesterday").
_NOT_NOW = frozenset({"negated", "hypothetical", "other_experiencer", "historical"})


def stretch_felt(text: str) -> bool:
    """Whether the words tell the feel of a stretch (content `stretch_felt`), as a fact and not
    denied ("I can't feel the stretch" is none), with no word of pain (`hurts_now` wins)."""
    from hipcoach.understanding.context import modifiers

    if is_question(text) or hurts_now(text):
        return False
    words = tokens(text)
    spans = [(i, i + len(p)) for p in _terms("stretch_felt") for i in _find(words, p)]
    return bool(spans) and any(not (found & _NOT_NOW) for found in modifiers(words, spans))


def hurts_now(text: str) -> bool:
    """Whether the words say something hurts now (content `pain_now`), as a fact: not asked, not
    denied, not someone else's. Uncertain words count ("I think that's hurting"): safety first."""
    from hipcoach.understanding.context import modifiers

    if is_question(text):
        return False
    words = tokens(text)
    spans = [(i, i + len(p)) for p in _terms("pain_now") for i in _find(words, p)]
    if not spans:
        return False
    return any(not (found & _NOT_NOW) for found in modifiers(words, spans))


def is_question(text: str) -> bool:
    """Put as a question: it opens with a question word or phrase ("is", "should I", "tell me")
    or closes with a question tag ("that's fine, isn't it")."""
    words = tokens(text)
    if (
        len(words) > 1
        and (words[1].isdigit() or words[1] in _STATEMENT_AFTER_OPENING)
        and words[0] not in _ASKS_BEFORE_AN_OBJECT
    ):
        return False  # "did a 5k on monday": an opening verb before an object is a statement
    if (
        len(words) > 2
        and words[1] == "not"
        and (words[2],) not in _terms("subjects_after_not")
        and (words[0],) in _terms("questions")
    ):
        return False  # "couldn't tell you", "can't say": the subject dropped, a statement
    return any(words[: len(p)] == p for p in _terms("questions")) or tagged_as_question(words)


def run_sizes(text: str, *, asked: bool = False) -> str | None:
    """The words with a run said by its size as a noun read as a run (content `run_sizes`): "is
    an easy three miler ok" -> "is an easy run ok", "can I still run a half" -> "can I still
    run"; `asked` (a question), by its kind too ("my track workout"). None when the words name
    no such run."""
    from hipcoach.understanding.words import parse_number

    spec: Mapping[str, Any] = raw().get("run_sizes") or {}
    if not spec:
        return None
    articles = set(spec.get("articles") or ())
    units, runs, nouns = (_phrases(spec.get(k) or ()) for k in ("units", "runs", "nouns"))
    if asked:  # a run named by its kind ("my track workout") is a run only in a question
        nouns = _phrases([*(spec.get("kinds") or ()), *(spec.get("nouns") or ())])
    not_after = _phrases(spec.get("not_after_nouns") or ())
    not_before = set(spec.get("not_before_nouns") or ())
    not_sizes = set(spec.get("not_sizes") or ())
    verbs = set(spec.get("verbs") or ())
    read_as = tokens(str(spec.get("read_as") or "run"))
    race = tokens(str(spec.get("nouns_read_as") or "race"))
    named = _phrases(spec.get("nouns") or ())
    words = tokens(text)
    out: list[str] = []
    at = 0
    while at < len(words):
        found = (
            None
            if words[at] in not_sizes
            else _run_size_at(words, at, units, nouns, not_after, parse_number)
        )
        article_at = _article_at(out, articles)
        if (
            found is not None
            and article_at is not None
            and article_at > 0
            and out[article_at - 1] in not_before
            and any(words[at : at + len(n)] == n for n in nouns)
        ):
            found = None  # "a week and a half"
        if found is None or article_at is None:
            out.append(words[at])
            at += 1
            continue
        end = found
        run = next((r for r in runs if words[end : end + len(r)] == r), None)
        a_race = any(words[at : at + len(n)] == n for n in named)
        said = run if run is not None else race if a_race else read_as
        end += len(run) if run is not None else 0
        if article_at > 0 and out[article_at - 1] in verbs and out[article_at] in ("a", "an"):
            del out[article_at:]  # "run a half": running
            if out[-1] not in verbs:
                out.extend(said)
        elif asked:
            out.extend(said)  # "is an easy run ok": the question's own words
        else:
            # an answer: the run itself, its adjectives apart ("after an easy three miler" ->
            # "after a run"; "an easy run" also asks a question of its own)
            del out[article_at + 1 :]
            out[article_at] = "a" if out[article_at] == "an" else out[article_at]
            out.extend(said)
        at = end
    again = tuple(out)
    return " ".join(again) if again != words else None


def _run_size_at(
    words: tuple[str, ...],
    at: int,
    units: tuple[tuple[str, ...], ...],
    nouns: tuple[tuple[str, ...], ...],
    not_after: tuple[tuple[str, ...], ...],
    parse: Any,
) -> int | None:
    """Where a run's size said from `at` ends ("three miler", "20 minute", "half"), or None."""
    for noun in nouns:
        end = at + len(noun)
        if words[at:end] == noun and not any(words[end : end + len(p)] == p for p in not_after):
            return end
    if words[at] in ("a", "an"):
        return None  # "a couple of miles" is an amount, not a run's size
    for size in (2, 1):
        number = parse(words[at : at + size]) if at + size <= len(words) else None
        if number is None:
            continue
        for unit in units:
            end = at + size + len(unit)
            if words[at + size : end] == unit:
                return end
    return None


def _article_at(said: list[str], articles: set[str]) -> int | None:
    """Where the word that makes the size a thing is, in the last three words said."""
    for back in range(1, min(3, len(said)) + 1):
        if said[-back] in articles:
            return len(said) - back
    return None


def improvement(text: str, nlu: Nlu, today: date, intent: str) -> NluResult | None:
    """`intent` (how the hip is since the last check) with its "better" value, when the words say
    something is easing (ConText's `improving` terms: "the swelling has gone down", "it's calmed
    down a lot") and name no finding as it is now; None otherwise. Never "gone": easing is not
    cleared."""
    spec: Mapping[str, Any] = raw().get("categories", {}).get("improving") or {}
    words = tokens(text)
    terms = _phrases([*(spec.get("forward") or ()), *(spec.get("backward") or ())])
    if not any(_find(words, phrase) for phrase in terms) or nlu.findings_said(text, today):
        return None
    easing: set[int] = set()
    for phrase in terms:
        for at in _find(words, phrase):
            easing.update(range(at, at + len(phrase)))
    rest = tuple(w for i, w in enumerate(words) if i not in easing)  # "gone down" is not gone
    for name, slot_type in nlu.model.intent_slots.get(intent, {}).items():
        said = nlu.values_of(slot_type, rest, today, in_context=True)
        if any(f.resolved is None or f.resolved.id != raw().get("improving_means") for f in said):
            return None  # "it's worse, though the swelling has gone down": as said
        for value in nlu.model.slot_type_values(slot_type).values():
            if value.id == raw().get("improving_means"):
                fill = nlu.fill_slot(slot_type, tokens(value.name), today)
                if fill is not None:
                    return nlu.filled(intent, {name: fill}, text)
    return None


def weakness_said(text: str) -> str | None:
    """The words with a part of the body said weak read as the weakness (content
    `weakness_said`): "my left glute is weaker" -> "one side is weaker", "the hip feels weak" ->
    "my leg feels weak", never a place it hurts. None when no part is said weak."""
    spec: Mapping[str, Any] = raw().get("weakness_said") or {}
    if not spec:
        return None
    parts = _phrases(spec.get("parts") or ())
    before, between = set(spec.get("before") or ()), set(spec.get("between") or ())
    than = _phrases(spec.get("than") or ())
    kinds = [
        (_phrases((spec.get(kind) or {}).get("words") or ()), (spec.get(kind) or {}).get("read_as"))
        for kind in ("weaker", "weak")
    ]
    words = tokens(text)
    for at in range(len(words)):
        for said, read_as in kinds:
            weakness = next((w for w in said if words[at : at + len(w)] == w), None)
            if weakness is None or not read_as:
                continue
            start = _part_before(words, at, parts, before, between)
            if start is None:
                continue
            end = at + len(weakness)
            end += next((len(t) for t in than if words[end : end + len(t)] == t), 0)
            again = (*words[:start], *tokens(str(read_as)), *words[end:])
            return " ".join(again)
    return None


def _part_before(
    words: tuple[str, ...],
    at: int,
    parts: tuple[tuple[str, ...], ...],
    before: set[str],
    between: set[str],
) -> int | None:
    """Where the part of the body said before the weakness word at `at` starts (with its "my
    left"), or None when no part comes before it, only `between` words apart."""
    j = at
    while j > 0 and words[j - 1] in between:
        j -= 1
    part = next((p for p in parts if j >= len(p) and words[j - len(p) : j] == p), None)
    if part is None:
        return None
    start = j - len(part)
    while start > 0 and words[start - 1] in before:
        start -= 1
    return start


def without_preface(text: str) -> str:
    """The question without the words said before it that ask nothing (content
    `question_prefaces`: "sorry, quick one, how much should I up my mileage by" -> "how much
    should I up my mileage by"); the words as they are when no question follows them."""
    words = tokens(text)
    at = 0
    while at < len(words):
        preface = next(
            (p for p in _terms("question_prefaces") if words[at : at + len(p)] == p), None
        )
        if preface is None:
            break
        at += len(preface)
    rest = " ".join(words[at:])
    return rest if 0 < at < len(words) and is_question(rest) else text


def without_hold(text: str) -> str | None:
    """The words besides a moment asked for (content `holds`: "sorry my dog is barking, one
    sec" -> "sorry my dog is barking"); None when no moment is asked for."""
    words = list(tokens(text))
    found = False
    for phrase in _terms("holds"):
        for at in _find(tuple(words), phrase):
            words[at : at + len(phrase)] = [""] * len(phrase)
            found = True
    return " ".join(w for w in words if w) if found else None


def after_hold(text: str) -> str | None:
    """The question after a moment asked for ("hold on, does running give you arthritis",
    "wait a sec, can running cause arthritis": content `holds`, `hold_openers`, with
    `question_prefaces` among them); None when the words do not open so or no question follows."""
    words = tokens(text)
    openers = (*_terms("holds"), *_terms("hold_openers"))
    at, held = 0, False
    while at < len(words):
        opener = next((p for p in openers if words[at : at + len(p)] == p), None)
        if opener is not None:
            at, held = at + len(opener), True
            continue
        preface = next(
            (p for p in _terms("question_prefaces") if words[at : at + len(p)] == p), None
        )
        if preface is None:
            break
        at += len(preface)
    rest = " ".join(words[at:])
    return rest if held and rest and is_question(rest) else None


def subject_as_it(text: str) -> str | None:
    """The question with the hip named as its subject said as "it" (content `question_subjects`:
    "is my hip pain something serious" -> "is it something serious"); None when none is named."""
    words = tokens(text)
    out: list[str] = []
    at = 0
    while at < len(words):
        subject = next(
            (p for p in _terms("question_subjects") if words[at : at + len(p)] == p), None
        )
        if subject is None:
            out.append(words[at])
            at += 1
        else:
            out.append("it")
            at += len(subject)
    return " ".join(out) if out != list(words) else None


def correction(text: str) -> tuple[str, str] | None:
    """(before, after) the last correction marker ("on the side of my hip, no wait, it's more at
    the front where my leg meets my hip"), or None when nothing is corrected."""
    words = tokens(text)
    cut: tuple[int, int] | None = None
    for phrase in _terms("corrections"):
        for at in _find(words, phrase):
            end = at + len(phrase)
            if at > 0 and end < len(words) and (cut is None or end > cut[1]):
                if _stresses_an_answer(words[:at], words[end:]):
                    continue  # "yeah actually, every time I land on it": the yes stands
                cut = (at, end)
    if cut is None:
        return None
    return " ".join(words[: cut[0]]), " ".join(words[cut[1] :])


def _stresses_an_answer(before: tuple[str, ...], after: tuple[str, ...]) -> bool:
    """Whether a correction marker only stresses the yes or no said before it: the words before
    are that answer alone and the words after it hold no answer word to take it back ("yeah
    actually, it's sharp"; "yes, actually no" still corrects)."""
    kinds = _answer_words(before)
    return len(kinds) == 1 and all(_answer_words((w,)) for w in before) and not _answer_words(after)


MAX_AMENDMENT_GAP = 5  # words between two amounts: "three hundred miles, no wait, more like four"
_DURATION, _NUMBER = "AMAZON.DURATION", "AMAZON.NUMBER"


def amended(text: str, nlu: Nlu, today: date) -> str | None:
    """The words with an amount taken back and said again ("they've done about five hundred, no,
    six hundred miles" -> "they've done about six hundred miles"; "since Saturday, sorry, Friday"
    -> "since Friday"): the later amount in the earlier one's place, a bare number taking the
    earlier duration's unit ("a couple of weeks, no actually three" -> "three weeks"). None when
    no two amounts of one kind have a taking-back word between them ("from twenty to thirty").
    """
    from hipcoach.understanding.words import parse_duration

    words = tokens(text)
    spans = nlu.amount_spans(words, today)
    markers = _terms("amendments")
    for (a_start, a_end, a_type), (b_start, b_end, b_type) in reversed(list(pairwise(spans))):
        between = words[a_end:b_start]
        if not between or len(between) > MAX_AMENDMENT_GAP:
            continue
        if not any(_find(between, marker) for marker in markers):
            continue
        later = words[b_start:b_end]
        if b_type != a_type:
            if (a_type, b_type) != (_DURATION, _NUMBER):
                continue
            later = (*later, words[a_end - 1])  # "three" after "a couple of weeks": three weeks
            if parse_duration(later) is None:
                continue
        return " ".join((*words[:a_start], *later, *words[b_end:]))
    return None


_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TENS_SAID = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def hundreds_said(text: str, asking: str | None) -> str | None:
    """The words with "hundred" put back where the question's answer runs to hundreds
    (`hundreds_said`): "about three fifty" -> "about three hundred fifty". None otherwise."""
    spec: Mapping[str, Any] = raw().get("hundreds_said") or {}
    if not asking or asking not in (spec.get("findings") or []):
        return None
    words = list(tokens(text))
    for at in range(len(words) - 1, 0, -1):
        if words[at] in _TENS_SAID and words[at - 1] in _UNITS:
            words.insert(at, "hundred")
    again = " ".join(words)
    return again if again != " ".join(tokens(text)) else None


def percent_rise(text: str, asking: str | None, nlu: Nlu, today: date) -> str | None:
    """The words as one percent ("fifty percent") when the question asks a percent rise
    (`percent_rises`): the last percent said, else a rise said as two amounts ("from twenty miles
    to thirty" -> fifty percent), else a word of its own ("I doubled it" -> a hundred percent).
    None when none is said, or the question asks no percent."""
    from hipcoach.understanding.words import parse_number

    spec: Mapping[str, Any] = raw().get("percent_rises") or {}
    if not asking or asking not in (spec.get("findings") or []):
        return None
    words = tokens(text)
    numbers = [
        (start, end, parse_number(words[start:end]))
        for start, end, kind in nlu.amount_spans(words, today)
        if kind == _NUMBER
    ]
    said = [value for _, end, value in numbers if words[end : end + 1] == ("percent",)]
    if said and said[-1] is not None:
        return f"{said[-1]:g} percent"
    starts, ends = _phrases(spec.get("from") or []), _phrases(spec.get("to") or [])
    for (a_start, a_end, low), (b_start, _, high) in pairwise(numbers):
        before, between = words[max(0, a_start - 1) : a_start], words[a_end:b_start]
        if before not in starts or not low or high is None or high <= low:
            continue
        if any(between[-len(p) :] == p for p in ends) and len(between) <= 3:
            return f"{round(100 * (high - low) / low)} percent"
    for phrase, value in (spec.get("words") or {}).items():
        if _find(words, tokens(phrase)):
            return f"{value} percent"
    return None


def rise_in_passing(text: str, nlu: Nlu, today: date) -> tuple[str, int] | None:
    """A percent rise said in passing of the training (`percent_rises` `subjects` within
    `subject_reach` words of "N percent": "I upped my miles by forty percent"): the finding it
    tells and the percent; None when no percent is said of the training."""
    from hipcoach.understanding.words import parse_number

    spec: Mapping[str, Any] = raw().get("percent_rises") or {}
    findings, reach = spec.get("findings") or [], int(spec.get("subject_reach") or 0)
    subjects = _phrases(spec.get("subjects") or [])
    if not findings or not subjects:
        return None
    words = tokens(text)
    for start, end, kind in nlu.amount_spans(words, today):
        if kind != _NUMBER or words[end : end + 1] != ("percent",):
            continue
        value = parse_number(words[start:end])
        near = words[max(0, start - reach) : end + 1 + reach]
        if value is not None and any(_find(near, subject) for subject in subjects):
            return str(findings[0]), round(value)
    return None


DATING_REACH = 3  # words between a when-it-hurts value and the event it is the time of
DATE_REACH = 1  # ...and the date right after it ("after my long run yesterday", "on saturday")


def dated(spotted: Sequence[Said], text: str, nlu: Nlu, today: date) -> set[str]:
    """The "finding=value" ids of the when-it-hurts values said as the moment something happened
    (content `dating`): right before a date or a time ago, or beside an event ("I tripped during
    my run"); they date the story, they tell no pattern of the pain."""
    spec: Mapping[str, Any] = raw().get("dating") or {}
    findings, events = set(spec.get("findings") or []), set(spec.get("events") or [])
    words = tokens(text)
    marks = [start for start, _, kind in nlu.amount_spans(words, today) if kind != _NUMBER]
    marks += [at for phrase in _phrases(spec.get("words") or []) for at in _find(words, phrase)]
    happened = [(f.start, f.end) for f in spotted if f.finding in events and f.value == "true"]
    out: set[str] = set()
    for f in spotted:
        if f.finding not in findings:
            continue
        dates = any(0 <= at - f.end <= DATE_REACH for at in marks)
        beside = any(
            0 <= f.start - end <= DATING_REACH or 0 <= start - f.end <= DATING_REACH
            for start, end in happened
        )
        if dates or beside:
            out.add(f"{f.finding}={f.value}")
    return out


USUAL_REACH = 3  # words between a usual marker and its amount ("I normally do thirty")


def usual_rise(text: str, nlu: Nlu, today: date) -> int | None:
    """This week's amount against the usual one, as a percent rise (content
    `percent_rises.usual`): "ran fifty miles last week, I normally do thirty" -> 67; a drop is no
    rise (0). None unless exactly two amounts are said and one of them is marked as the usual."""
    from hipcoach.understanding.words import parse_number

    spec: Mapping[str, Any] = raw().get("percent_rises") or {}
    markers = _phrases(spec.get("usual") or [])
    words = tokens(text)
    numbers = [
        (start, end, parse_number(words[start:end]))
        for start, end, kind in nlu.amount_spans(words, today)
        if kind == _NUMBER
    ]
    if len(numbers) != 2 or any(value is None or value <= 0 for _, _, value in numbers):
        return None

    def usual(start: int, end: int) -> bool:
        near = (*words[max(0, start - USUAL_REACH) : start], "|", *words[end : end + 2])
        return any(_find(near, marker) for marker in markers)

    marked = [usual(start, end) for start, end, _ in numbers]
    if marked.count(True) != 1:
        return None
    base = numbers[marked.index(True)][2]
    now = numbers[marked.index(False)][2]
    assert base is not None and now is not None  # both checked above
    return max(0, round(100 * (now - base) / base))


def says_pain(text: str) -> bool:
    """Whether the words say something hurts (content `pain_said`), not asked as a question."""
    words = tokens(text)
    return not is_question(text) and any(_find(words, p) for p in _terms("pain_said"))


def after_correction(text: str, nlu: Nlu, today: date) -> tuple[bool, str]:
    """The words after the last correction marker, when they are understood on their own: "on the
    side of my hip, no wait, it's more at the front" -> "it's more at the front"."""
    parts = correction(text)
    if parts is None:
        return False, text
    rest = parts[1]
    if nlu.resolve(rest, today).intent == FALLBACK_INTENT:
        return False, text
    return True, rest


def denies_all(text: str) -> bool:
    """Words that deny the whole of a list ("none of those", "nothing like that")."""
    words = tokens(text)
    return any(_find(words, phrase) for phrase in _terms("whole_denials"))


def question_after(text: str) -> tuple[str, str] | None:
    """(answer, question): a question started inside an answer ("no, none of them, can I still
    take ibuprofen though?"); None when the words open as a question or hold none later."""
    words = tokens(text)
    if is_question(text):
        return None
    for at in range(1, len(words) - 2):
        if any(words[at : at + len(p)] == p for p in _terms("questions_midway")):
            return " ".join(words[:at]), " ".join(words[at:])
    return None


def answer_word(text: str) -> str | None:
    """The yes or no the words open with ("no, I feel fine" -> "no")."""
    words = _without_pseudo(tokens(text))  # the "no" of "no idea" answers nothing
    found = _answer_words(words[:1])
    return next(iter(found)) if len(found) == 1 else None


def how_long(text: str, nlu: Nlu, today: date) -> int | None:
    """How many days the pain has lasted, when one duration is said anywhere in the words and it
    is no age, date of history or frequency ("for about three weeks", "like two days later")."""
    from hipcoach.understanding.words import duration_days

    words = tokens(text)
    spans = [span for span in nlu.duration_spans(words, today) if not _of_another(words, span[0])]
    if len(spans) != 1:
        return None
    start, end, value = spans[0]
    before = {p[0] for p in _terms("not_how_long") if len(p) == 1}
    if start > 0 and words[start - 1] in before:
        return None
    if any(words[end : end + len(p)] == p for p in _terms("not_how_long_after")):
        return None  # "fine after three days off": a rest, not the pain
    if _age_or_history(words, start, end, nlu):
        return None
    return duration_days(value)


def _of_another(words: tuple[str, ...], start: int) -> bool:
    """Whether the duration said at `start` is of something else than the pain (content
    `durations_of`): the nearest word before it in its clause that says what lasted is a rest, a
    treatment or running itself ("I rested it nearly two weeks"), not the pain ("it started")."""
    spec: Mapping[str, Any] = raw().get("durations_of") or {}
    other, pain = _phrases(spec.get("other") or ()), _terms("how_long_said")
    ends = set(spec.get("ends") or ())
    for j in range(start, max(0, start - int(spec.get("reach") or 6)), -1):
        if words[j - 1] in ends:
            return False
        said = words[:j]
        if any(said[-len(p) :] == p for p in pain):
            return False
        if any(said[-len(p) :] == p for p in other):
            return True
    return False


def about_the_pain(text: str) -> bool:
    """Whether the words say the pain has lasted ("it's been hurting", content `how_long_said`):
    a duration said with them is how long it has hurt, whatever question is pending."""
    words = tokens(text)
    return any(_find(words, phrase) for phrase in _terms("how_long_said"))


def tells_of_pain(text: str) -> bool:
    """Whether the words say something hurts or name the hip (content `pain_said`, `hip_said`),
    not asked as a question: at the menu such words open a check."""
    words = tokens(text)
    return not is_question(text) and any(
        _find(words, phrase) for phrase in (*_terms("pain_said"), *_terms("hip_said"))
    )


def puts_to_the_question(words: tuple[str, ...], first_finding: int) -> bool:
    """Whether a leading yes or no is put to the pending question rather than to the finding said
    after it: echoed ("yeah it is", "no I don't") or followed by a new fact ("no, but stairs are
    a struggle", "yes, and it's sore when I press"; content `answer_echoes`, `answer_breaks`)."""
    after = words[1:]
    if any(after[: len(p)] == p for p in _terms("answer_echoes")):
        return True
    between = words[1:first_finding]
    return any(_find(between, phrase) for phrase in _terms("answer_breaks"))


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
    words = _without_pseudo(tokens(text))
    said = _answer_words(words)
    if words and words[-1] == "not":  # "I guess not", "probably not"
        said.add("no")
    if len(said) != 1:
        return result
    intent = "AMAZON.YesIntent" if said == {"yes"} else "AMAZON.NoIntent"
    return replace(nlu.fallback(text), intent=intent, confidence=0.5)


def _without_pseudo(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words without corrections and pseudo-triggers: the "no" of "no wait" or "no doubt"
    answers nothing."""
    pseudo = raw().get("categories") or {}
    phrases = _phrases(
        [*(raw().get("corrections") or [])]
        + [t for c in pseudo.values() for t in (c.get("pseudo") or [])]
    )
    corrections = set(_phrases(raw().get("corrections") or []))
    out = list(words)
    for phrase in phrases:
        for at in _find(words, phrase):
            end = at + len(phrase)
            if at == 0 and phrase in corrections and _answer_words(phrase[-1:]):
                # said first, a correction corrects nothing: the answer it ends with stands
                # ("actually no, keep it", "sorry no"), unlike the hesitating "no wait"
                end -= 1
            for i in range(at, end):
                out[i] = ""
    return tuple(w for w in out if w)


def unable_echo(text: str) -> tuple[str, str] | None:
    """An inability echoed as its own clause, after a yes or no or alone ("no, I can't, I have
    to hop": content `unable_echoes`), and the words after it: (the echo, the rest). The echo
    answers a question put negatively ("can you not put weight on it?") by its meaning, whatever
    the yes or no before it; the rest is read alone, never under the echo's "not". None when the
    words open with no such clause (the "not" of "no, I can't walk on it" governs the walking)."""
    words = tokens(text)
    at = 0
    fillers = {p[0] for p in _terms("question_prefaces") if len(p) == 1}
    while at < len(words) and words[at] in fillers:  # "um no, I can't"
        at += 1
    at += 1 if _answer_words(words[at : at + 1]) else 0
    for echo in _terms("unable_echoes"):
        end = at + len(echo)
        if words[at:end] != echo:
            continue
        rest = words[end:]
        if not rest or any(rest[: len(p)] == p for p in _terms("clause_starts")):
            return " ".join(echo), " ".join(rest)  # the echo alone: "yeah I can't" is unable
    return None


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
    units = _phrases((raw().get("scores") or {}).get("not_before") or [])
    for size in (2, 1):
        number = parse(words[at : at + size]) if at + size <= len(words) else None
        if number is not None and float(number).is_integer() and 0 <= number <= 10:
            after = words[at + size :]
            if any(after[: len(unit)] == unit for unit in units):
                return None  # "a couple of months", "a few miles": an amount, no score
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


_YES_NO = ("AMAZON.YesIntent", "AMAZON.NoIntent")
_READ_AS_ANOTHER = (FALLBACK_INTENT, "TellFindingsIntent", "AMAZON.YesIntent", "AMAZON.NoIntent")


def value_intent(intent: str, words: tuple[str, ...], nlu: Nlu, today: date) -> NluResult | None:
    """An intent of one custom slot filled from the one value of its type said anywhere in the
    words ("gradually, over like two weeks since I upped my mileage" -> OnsetIntent gradual);
    None when the type has no value there, or two different ones."""
    slots = nlu.model.intent_slots.get(intent, {})
    if len(slots) != 1:
        return None
    name, slot_type = next(iter(slots.items()))
    if slot_type not in nlu.model.slot_types:
        return None
    found = nlu.values_of(slot_type, words, today, in_context=True)  # never a negated one
    if len({fill.id for fill in found}) != 1:
        return None
    return nlu.filled(intent, {name: found[0]}, " ".join(words))


def _valued(
    wanted: str, result: NluResult, words: tuple[str, ...], nlu: Nlu, context: Context
) -> NluResult | None:
    """The pending question's kind of answer said inside words read as something else."""
    if result.intent not in _READ_AS_ANOTHER:
        return None
    return value_intent(wanted, words, nlu, context.today)


MAX_OPENING_ANSWER = 4


def _opens_with_answer(words: tuple[str, ...], nlu: Nlu, context: Context) -> NluResult | None:
    """Words not understood as a whole that open with an answer the question takes, said whole
    ("not sure if it's worse or the same": not sure), the longest such opening first."""
    for size in range(min(MAX_OPENING_ANSWER, len(words) - 1), 1, -1):
        found = nlu.exact(words[:size], context.today)
        if found is not None and found.intent in context.expects:
            return found
    return None


MAX_INSIDE_ANSWER = 3


def _answer_inside(words: tuple[str, ...], nlu: Nlu, context: Context) -> NluResult | None:
    """Words not understood as a whole that hold one answer the conversation takes, said whole
    and not negated ("wait, pause", "stop the routine" in a routine): that answer. None when they
    hold none, or answers of more than one kind."""
    from hipcoach.understanding.context import modifiers

    found: list[tuple[NluResult, tuple[int, int]]] = []
    for size in range(min(MAX_INSIDE_ANSWER, len(words) - 1), 0, -1):
        for start in range(len(words) - size + 1):
            heard = nlu.exact(words[start : start + size], context.today)
            if heard is not None and heard.intent in context.expects:
                found.append((heard, (start, start + size)))
    if not found or len({heard.intent for heard, _ in found}) > 1:
        return None
    spans = [span for _, span in found]
    if any("negated" in categories for categories in modifiers(words, spans)):
        return None
    return found[0][0]


# What a number said at a question that takes one may be read as: nothing, a story told beside
# it ("about four hundred and I do a lot of downhill"), or a bare yes.
_NUMBER_BESIDE = (FALLBACK_INTENT, "TellFindingsIntent", "AffirmFindingsIntent", "AMAZON.YesIntent")


def expected_first(result: NluResult, text: str, nlu: Nlu, context: Context) -> NluResult:
    """The pending question's kind of answer first: a number or a duration said anywhere in the
    words, when the question takes one and the whole reads as something else or nothing; ages,
    dates and history are none ("I'm 65", "I had cancer two years ago")."""
    words = tokens(text)
    if result.intent in (NUMBER_INTENT, DURATION_INTENT) and not {
        NUMBER_INTENT,
        DURATION_INTENT,
    }.intersection(context.expects):
        # "came on gradual like last night" to how it started: the date says when, the value
        # the question takes is the answer
        for wanted in context.expects:
            if wanted not in _YES_NO:
                valued = value_intent(wanted, words, nlu, context.today)
                if valued is not None:
                    return replace(valued, utterance=text)
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
        if result.intent in context.expects and result.intent not in _YES_NO:
            break  # a yes or no said with a value the question takes is that value
        if wanted not in (NUMBER_INTENT, DURATION_INTENT):
            valued = _valued(wanted, result, words, nlu, context)
            if valued is not None:
                return replace(valued, utterance=text)
            continue
        if result.intent not in _NUMBER_BESIDE:
            continue
        found = nlu.spot_value(wanted, words, context.today)
        if found is not None and not _age_or_history(words, found[1], found[2], nlu):
            return replace(found[0], utterance=text)
    if result.intent == FALLBACK_INTENT:  # after any value the question takes said inside
        opened = _opens_with_answer(words, nlu, context) or _answer_inside(words, nlu, context)
        if opened is not None:
            return replace(opened, utterance=text)
    return result


if TYPE_CHECKING:
    from hipcoach.understanding.acts import Context
