"""The skill's catalogue matcher: the runner's words against every phrasing the skill knows.

The catalogue is built by `make model` from content/language/ in the shape of an interaction model
(the internal intents the handlers dispatch on, their samples and slot types) and shipped in the
package (understanding/catalogue/<locale>.json). Alexa sees none of it: it hands the words over
whole (docs/understanding.md), and `Nlu(locale).resolve(words, today)` reads them here:

1. exact: every sample is compiled to a token matcher whose `{slot}` parts accept the slot type's
   values and synonyms (custom types, with entity resolution to the value id), number words for
   AMAZON.NUMBER ("seven", "twenty five", "a couple of"), durations for AMAZON.DURATION ("about ten
   days" -> P10D, "a fortnight" -> P2W) and relative dates for AMAZON.DATE ("since last Tuesday");
2. the same with filler words ("um", "well", "please") dropped;
3. close phrasings: slot values are spotted anywhere in the utterance and the rest is compared with
   each sample by weighted token overlap (light stemming, yes/no variants folded); the best sample
   wins when it scores at least the threshold;
4. anchored questions (`_anchored`): when no sample reaches the threshold, an utterance put as a
   question that names exactly one topic anchor resolves to the anchor's intent (see below);
5. otherwise AMAZON.FallbackIntent.

Anchored questions. A runner's question can be long or oddly put ("ought I to make an appointment
with my GP", "is it harmful to train through discomfort") and still hang on one key term. The
interaction model names those terms as values of an anchor slot type (ANCHOR_SLOT_TYPE,
QuestionTopicType: value id = answer id) carried by one intent with short carrier samples
("{anchor}", "what about {anchor}", ...), which Alexa generalises from. Locally,
step 4 resolves to that intent, with the anchor as its slot, only when all of these hold:
- the words read as a question: an interrogative opening (`_asks`, "ought", "any", "tell me") or
  "what"/"how"/"which" later on ("my hips are tight what can I do"); a statement, the shape of an
  answer to a pending interview question ("it hurts when I ice it"), never is, except a plan
  said about a topic a plan asks about (`_PLANNED_TOPICS`: "thinking of a gentle jog", "I'm
  doing my long run anyway" ask whether to run);
- anchor values are spotted (longest first, not overlapping) and all resolve to one value id;
- no value of any other slot type (a finding, a number, a date) is spotted outside the anchors,
  except words saying when or which the topic is (`_when_or_which`: "parkrun on Saturday"),
  so an answer that happens to be phrased as a question is never read as a topic;
- no negation ("not", "never", "no", "without") comes just before an anchor.
Carrier samples take no part in step 3: their few words would out-score a longer sample of the
right intent ("how are my trainers doing" is shoe wear, not "how about {anchor}").
Its confidence is the best carrier sample's close-match score, capped just below the threshold:
always lower than any sample match, so logs tell an anchored guess from a matched phrasing.

Nothing here speaks: the module only reads the catalogue.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from itertools import pairwise, product
from pathlib import Path
from typing import Any, Literal

from hipcoach.intent_result import NluResult, SlotFill, SlotValue
from hipcoach.speech.locales import model_locale as normalise_locale
from hipcoach.understanding.context import modifiers, tagged_as_question, triggers, with_variants
from hipcoach.understanding.words import (
    _number_text,
    known_words,
    parse_date,
    parse_duration,
    parse_number,
    tokens,
)

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
FALLBACK_INTENT = "AMAZON.FallbackIntent"
DEFAULT_THRESHOLD = 0.68

NUMBER = "AMAZON.NUMBER"
DURATION = "AMAZON.DURATION"
DATE = "AMAZON.DATE"
BUILT_IN_SLOT_TYPES = (NUMBER, DURATION, DATE)
FINDING_TYPE = "FindingType"
# ConText categories that make a finding no current fact of the runner's
_NOT_CURRENT = frozenset({"hypothetical", "historical", "other_experiencer"})


# ---------------------------------------------------------------------------------------------
# The interaction model


@dataclass(frozen=True)
class SlotRef:
    name: str
    type: str


Part = str | SlotRef


@dataclass(frozen=True)
class Sample:
    intent: str
    text: str
    parts: tuple[Part, ...]
    index: int

    # computed once: every turn reads them for each of the catalogue's samples
    @cached_property
    def literals(self) -> tuple[str, ...]:
        return tuple(p for p in self.parts if isinstance(p, str))

    @cached_property
    def slots(self) -> tuple[SlotRef, ...]:
        return tuple(p for p in self.parts if isinstance(p, SlotRef))


@dataclass(frozen=True)
class InteractionModel:
    """The parts of an interaction model the NLU needs, with the raw JSON kept for inspection."""

    locale: str
    invocation_name: str
    intent_slots: Mapping[str, Mapping[str, str]]  # intent -> slot name -> slot type
    slot_types: Mapping[str, Mapping[tuple[str, ...], tuple[SlotValue, str]]]  # phrase -> value
    samples: tuple[Sample, ...]
    raw: Mapping[str, Any] = field(repr=False)

    def slot_type_values(self, slot_type: str) -> dict[str, SlotValue]:
        return dict(self._values_by_type.get(slot_type, {}))

    # Indexes of the slot types, built once per model (a model lives as long as its process):
    # every turn would otherwise scan every slot type's phrases again.
    @cached_property
    def _values_by_type(self) -> dict[str, dict[str, SlotValue]]:
        return {
            slot_type: {value.id: value for value, _ in phrases.values()}
            for slot_type, phrases in self.slot_types.items()
        }

    @cached_property
    def types_of_value(self) -> dict[str, tuple[str, ...]]:
        """Value id -> the slot types that hold it (in the model's order)."""
        found: dict[str, list[str]] = {}
        for slot_type, values in self._values_by_type.items():
            for value_id in values:
                found.setdefault(value_id, []).append(slot_type)
        return {value_id: tuple(types) for value_id, types in found.items()}

    def ids_named(self, slot_type: str, bare: str) -> tuple[str, ...]:
        """The value ids of `slot_type` that are `bare` or end in "=bare" ("finding=value")."""
        return self._ids_by_bare.get(slot_type, {}).get(bare, ())

    @cached_property
    def _ids_by_bare(self) -> dict[str, dict[str, tuple[str, ...]]]:
        every: dict[str, dict[str, tuple[str, ...]]] = {}
        for slot_type, values in self._values_by_type.items():
            found: dict[str, list[str]] = {}
            for value_id in values:
                found.setdefault(value_id.split("=", 1)[-1], []).append(value_id)
            every[slot_type] = {bare: tuple(ids) for bare, ids in found.items()}
        return every


def model_path(locale: str) -> Path:
    """The catalogue of one locale: every phrasing the skill knows, as an interaction model."""
    return CATALOGUE_DIR / f"{normalise_locale(locale)}.json"


def _parts(sample: str, slots: Mapping[str, str], intent: str) -> tuple[Part, ...]:
    parts: list[Part] = []
    for piece in re.split(r"(\{[^}]+\})", sample):
        if piece.startswith("{") and piece.endswith("}"):
            name = piece[1:-1]
            if name not in slots:
                raise ValueError(f"{intent}: sample {sample!r} uses undefined slot {name!r}")
            parts.append(SlotRef(name, slots[name]))
        else:
            parts.extend(tokens(piece))
    return tuple(parts)


def parse_model(data: Mapping[str, Any], locale: str) -> InteractionModel:
    """Compile an interaction-model JSON document (the ASK CLI file's content)."""
    language = data["interactionModel"]["languageModel"]
    slot_types: dict[str, dict[tuple[str, ...], tuple[SlotValue, str]]] = {}
    for slot_type in language.get("types", []):
        phrases: dict[tuple[str, ...], tuple[SlotValue, str]] = {}
        for entry in slot_type.get("values", []):
            name = entry["name"]["value"]
            value = SlotValue(entry.get("id") or name, name)
            for phrase in [name, *entry["name"].get("synonyms", [])]:
                phrases.setdefault(tokens(phrase), (value, phrase))
        slot_types[slot_type["name"]] = phrases
    intent_slots: dict[str, dict[str, str]] = {}
    samples: list[Sample] = []
    for intent in language.get("intents", []):
        slots = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        intent_slots[intent["name"]] = slots
        for text in intent.get("samples", []):
            samples.append(
                Sample(intent["name"], text, _parts(text, slots, intent["name"]), len(samples))
            )
    return InteractionModel(
        locale=locale,
        invocation_name=language.get("invocationName", ""),
        intent_slots=intent_slots,
        slot_types=slot_types,
        samples=tuple(samples),
        raw=data,
    )


@cache
def load_model(locale: str = "en-US") -> InteractionModel:
    """The skill's own interaction model for a locale (en-GB for other English locales)."""
    path = model_path(locale)
    return parse_model(json.loads(path.read_text(encoding="utf-8")), normalise_locale(locale))


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Said:
    """A finding said, with ConText's polarity and certainty (hipcoach.understanding.acts)."""

    finding: str
    value: str
    polarity: Literal["affirmed", "negated"]
    certainty: Literal["certain", "uncertain"]
    words: str
    start: int = 0  # where in the words (tokens) it was said
    end: int = 0


# ---------------------------------------------------------------------------------------------
# Matching

_FILLERS = frozenset(
    {
        "um",
        "umm",
        "uh",
        "uhh",
        "er",
        "erm",
        "hmm",
        "mm",
        "well",
        "oh",
        "so",
        "alexa",
        "please",
        "thanks",
        "cheers",
        "ta",
        "alright",
    }
)
# Anchored questions (step 4): the anchor slot type, what else opens a question, which question
# words still ask later in a sentence, and what negates an anchor ("no ibuprofen", "not ice").
ANCHOR_SLOT_TYPE = "QuestionTopicType"
_UNIT_TYPE_SUFFIX = "UnitType"  # the model's units of amounts (TimeUnitType, DistanceUnitType)
_AHEAD = frozenset({"in", "within"})
_THIS_OR_NEXT = frozenset(
    {"this", "next", "coming"}
)  # "in two weeks": a time ahead, not how long it has hurt
_ANCHOR_OPENINGS = frozenset({"ought", "any", "advice", "thoughts", "tips", "how's", "what's"})
_LATER_QUESTION_WORDS = frozenset({"what", "how", "which"})
_DISTANCE_UNIT_TYPE = "DistanceUnitType"
_PERIOD_TYPE = "PeriodType"  # today, tonight, this week: when a topic is (content memory.yaml)
# A question put after a statement in one breath ("I've got a parkrun on Saturday, can I still do
# it", "I can sort of hobble now, is that ok"): an interrogative clause later on.
_LATER_QUESTIONS = (
    ("can", "i"),
    ("should", "i"),
    ("could", "i"),
    ("will", "i", "be"),
    ("am", "i", "ok"),
    ("am", "i", "okay"),
    ("is", "that", "ok"),
    ("is", "that", "okay"),
    ("is", "that", "alright"),
    ("is", "that", "bad"),
)
# Words a statement takes before such a clause: "hang on, should I..." is a question with a breath
# before it (a pause in a routine), not a statement and a question.
_STATEMENT_BEFORE_A_QUESTION = 3
_ANCHOR_NEGATIONS = frozenset({"not", "never", "no", "without", "nor"})
# A plan said ("thinking of a gentle jog", "I'm doing my long run anyway", "might do parkrun"):
# about these topics (anchor value ids) it asks whether to, as "can I ...?" does. The words after
# contractions are expanded ("I'm" -> i am). Past plans ("I was doing my run") are none.
_PLANNED_TOPICS = frozenset({"running"})
_PLANS_SAID = (
    *(("thinking", "of"), ("thinking", "about"), ("planning",), ("plan", "to"), ("plan", "is")),
    *(("going", "to"), ("gonna",), ("i", "will"), ("i", "might"), ("might", "do"), ("want", "to")),
    *(("wanna",), ("fancy",), ("tempted",), ("hoping", "to"), ("hope", "to"), ("about", "to")),
    *(("am", "doing"), ("am", "off"), ("am", "heading"), ("heading", "out"), ("anyway",)),
    *(("anyways",), ("like", "to", "do"), ("like", "to", "go")),
)
_PAST_PLAN = frozenset({"was", "were", "did", "had", "yesterday"})
_STOPWORDS = frozenset(
    (
        *("a", "an", "the", "i", "my", "me", "it", "is", "am", "are", "was", "be", "been", "to"),
        *("of", "in", "on", "at", "for", "and", "or", "but", "this", "that", "do", "does", "did"),
        *("would", "will", "have", "has", "can", "you", "your", "with", "about", "just", "really"),
        *("so", "then"),
    )
)
_FOLD = {
    "yeah": "yes",
    "yep": "yes",
    "yup": "yes",
    "aye": "yes",
    "nope": "no",
    "nah": "no",
    "ran": "run",
    "trainers": "shoe",
    "sneakers": "shoe",
}
# Words people drop into any answer ("it's, like, really swollen", "the outside, I guess"): left out
# when matching close phrasings, from the utterance and from slot values alike.
_SOFT_FILLERS = frozenset(
    {
        *("like", "really", "actually", "basically", "literally", "honestly", "kinda", "left"),
        *("right", "slightly", "somewhat", "perhaps", "apparently", "lately", "recently"),
    }
)
# Stress said inside a phrasing as heard ("it just catches", "stairs are a real struggle"): left
# out of the words heard, never of the catalogue's phrasings ("just the hip" says no spread).
_STRESS = frozenset(
    {
        *("just", "real", "pretty", "quite", "very", "super", "totally", "definitely", "still"),
        *("any", "all"),
    }
)
_INSIDE = _SOFT_FILLERS | _STRESS
_SOFT_PHRASES = (
    ("you", "know"),
    ("i", "mean"),
    ("kind", "of"),
    ("sort", "of"),
    ("i", "guess"),
    ("on", "both", "sides"),
    ("both", "sides"),
    ("on", "one", "side"),
    ("i", "would", "say"),
    ("to", "be", "honest"),
    ("if", "i", "am", "honest"),
    ("to", "be", "fair"),
    ("at", "all"),
    ("seems", "to", "be"),
    ("seem", "to", "be"),
    ("seems", "to"),
    ("seem", "to"),
)
# Said in passing, dropped only when the words as heard are not understood ("it's like sharp").
_SPOKEN_FILLERS = frozenset({"like", "basically", "honestly", "actually", "literally"})
_QUESTION_WORDS = frozenset({"what", "how", "when", "why", "where", "who", "which", "should"})
_QUESTION_STARTS = frozenset(
    {
        *("what", "how", "when", "why", "where", "who", "which", "should", "can", "could", "is"),
        *("are", "do", "does", "will", "would", "am", "may", "shall"),
    }
)
# Leave asked: "ok if I go for a jog tonight", "alright if I do parkrun" (the word before "if").
_LEAVE_ASKED = frozenset({"ok", "alright", "fine", "cool"})
_SAMPLE_NEGATIONS = frozenset({"not", "never"})
_SAMPLE_NEGATION_REACH = 3  # "not better", "not really any better": a negation this close governs
_UNKNOWN_WEIGHT = 0.35  # a word the model has nowhere weighs as a stopword
_DANGLING = frozenset({"or", "and", "so", "but", "then", "though"})
_QUESTION_BREAKS = frozenset({"and", "also", "plus", "or"})
_MAX_CARRIED = 4
_MIN_COVERAGE = 0.2  # share of a story's (weighted) words its findings must account for
_MIN_SPAN_WEIGHT = 1.3  # and each one more than a lone word ("after")
# a value said in passing mid-check ("at the front"): more than a word with its "my" ("lift my
# knee" names no spread)
_MIN_STORY_WEIGHT = 1.5
_MAX_SPAN = {NUMBER: 7, DURATION: 9, DATE: 6}
_DEFAULT_MAX_SPAN = 8


def _stem(word: str) -> str:
    word = _FOLD.get(word, word)
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # running -> runn -> run
    return word


def soften(words: Sequence[str]) -> tuple[str, ...]:
    """The words without soft fillers ("like", "really", "kind of", "I guess")."""
    out: list[str] = []
    i = 0
    while i < len(words):
        pair = next((p for p in _SOFT_PHRASES if tuple(words[i : i + len(p)]) == p), None)
        if pair is not None:
            i += len(pair)
            continue
        if words[i] not in _SOFT_FILLERS:
            out.append(words[i])
        i += 1
    return tuple(out)


def _keeps_its_subject(phrase: Sequence[str], soft: Sequence[str]) -> bool:
    """Whether a value's phrasing without soft fillers still says what it is about: at least half
    of its words of substance stay ("kind of sharp" -> "sharp"), never a bare remainder ("both
    sides are the same" -> "are the same", which any "it's about the same" would match)."""

    def substance(words: Sequence[str]) -> int:
        return sum(1 for w in words if w not in _STOPWORDS and w not in _SOFT_FILLERS)

    return 2 * substance(soft) >= substance(phrase)


def _weight(term: str) -> float:
    if term.startswith("<"):
        return 2.0
    return 0.35 if term in _STOPWORDS else 1.0


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    fill: SlotFill


class Nlu:
    """Resolves typed utterances against one locale's interaction model."""

    def __init__(
        self,
        locale: str = "en-US",
        *,
        model: InteractionModel | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.model = model or load_model(locale)
        self.locale = self.model.locale
        self.threshold = threshold
        self._max_span = {
            name: max((len(p) for p in phrases), default=1)
            for name, phrases in self.model.slot_types.items()
        }
        self._sample_terms = {s.index: self._terms(s.literals, s.slots) for s in self.model.samples}
        # Every stem the model knows: a word no sample or slot value has ("doorbell", "afraid")
        # tells nothing about the intent, so it weighs as little as a stopword in a close match.
        self._known = {t for terms in self._sample_terms.values() for t in terms} | {
            _stem(word) for phrases in self.model.slot_types.values() for p in phrases for word in p
        }
        self._triggers = with_variants(triggers(), soften)
        self._soft_phrases: dict[str, dict[tuple[str, ...], tuple[SlotValue, str]]] = {}
        for name, phrases in self.model.slot_types.items():
            soft: dict[tuple[str, ...], tuple[SlotValue, str]] = {}
            for phrase, entry in phrases.items():
                key = soften(phrase)
                if key and key not in phrases and _keeps_its_subject(phrase, key):
                    soft.setdefault(key, entry)
            self._soft_phrases[name] = soft
        # A type an intent uses for several slots carries several values in one utterance
        # ("I fell and I can't put weight on it"): every value of it in the utterance is taken.
        self._carriers = frozenset(
            slot_type
            for slots in self.model.intent_slots.values()
            for slot_type, count in Counter(slots.values()).items()
            if count > 1 and slot_type in self.model.slot_types
        )
        # for a story no sample matches: the intent whose slots all carry one type, most first
        self._carrier_intents = sorted(
            (
                (intent, slots)
                for intent, slots in self.model.intent_slots.items()
                if slots and len(set(slots.values())) == 1 and set(slots.values()) <= self._carriers
            ),
            key=lambda item: -len(item[1]),
        )[:1]
        self._index = _SampleIndex(self.model.samples, self._sample_terms)

    # -- public -------------------------------------------------------------------------------

    def resolve(self, utterance: str, today: date | None = None) -> NluResult:
        """The intent and slots Alexa would most likely send for this utterance."""
        day = today or date.today()
        words = tokens(utterance)
        if words:
            found = self._exact(words, day)
            if found is None:
                trimmed = tuple(w for w in words if w not in _FILLERS)
                if trimmed and trimmed != words:
                    found = self._exact(trimmed, day)
            if found is not None:
                sample, fills = found
                return self._result(sample.intent, fills, 1.0, utterance, sample.text)
            plain = soften(tuple(w for w in words if w not in _FILLERS)) or words
            close = self._closest(plain, day)
            if close is not None and close[2] >= self.threshold:
                sample, fills, score = close
                return self._result(sample.intent, fills, round(score, 3), utterance, sample.text)
            carried = self._carried(plain, day)
            if carried is not None:
                intent, fills, coverage = carried
                return self._result(intent, fills, round(coverage, 3), utterance, None)
            best = close[2] if close else 0.0
            # Not understood as said: without spoken fillers and stammered repeats ("wait wait"),
            # then, for two questions in one breath, the first clause that is understood.
            for attempt in list(_attempts(plain))[1:]:
                found = self._exact(attempt, day)
                if found is not None:
                    sample, fills = found
                    return self._result(sample.intent, fills, 1.0, utterance, sample.text)
                close = self._closest(attempt, day)
                if close is not None and close[2] >= self.threshold:
                    sample, fills, score = close
                    return self._result(
                        sample.intent, fills, round(score, 3), utterance, sample.text
                    )
                best = max(best, close[2] if close else 0.0)
            # (asked as said: "ok if I ..." asks, though "ok" is a filler)
            anchored = self._anchored(_plain(words) or words, day, _reads_as_question(words))
            if anchored is not None:
                return anchored
        else:
            best = 0.0
        return self._result(FALLBACK_INTENT, {}, round(best, 3), utterance, None)

    def fill_slot(
        self, slot_type: str, words: Sequence[str], today: date, *, loose: bool = False
    ) -> SlotFill | None:
        """The slot fill for exactly these words, or None when they are not a value of the type;
        `loose` (spotting values in a story, not matching a sample): also said with stress or a
        filler inside ("it just catches")."""
        if not words:
            return None
        if slot_type == NUMBER:
            number = parse_number(words)
            return None if number is None else SlotFill(_number_text(number), slot_type)
        if slot_type == DURATION:
            duration = parse_duration(words)
            return None if duration is None else SlotFill(duration, slot_type)
        if slot_type == DATE:
            when = parse_date(words, today)
            return None if when is None else SlotFill(when, slot_type)
        key = tuple(words)
        entry = self.model.slot_types.get(slot_type, {}).get(key)
        if entry is None:
            entry = self._soft_phrases.get(slot_type, {}).get(key)
        inside = key[1:-1]
        if (
            entry is None
            and loose
            and inside
            and (not _INSIDE.isdisjoint(inside) or soften(inside) != inside)
        ):
            # a phrasing said with a filler inside it ("it just catches", "my leg looks kind of
            # twisted"): the same value
            soft = soften(tuple(w for w in key if w not in _STRESS))
            if soft != key and soft and _keeps_its_subject(key, soft):
                phrases = self.model.slot_types.get(slot_type, {})
                entry = phrases.get(soft) or self._soft_phrases.get(slot_type, {}).get(soft)
        if entry is None:
            return None
        value, phrase = entry
        return SlotFill(phrase, slot_type, value)

    # -- exact matching -----------------------------------------------------------------------

    def _exact(
        self, words: tuple[str, ...], today: date
    ) -> tuple[Sample, dict[str, SlotFill]] | None:
        present = set(words)
        best: tuple[tuple[int, int, bool, int], Sample, dict[str, SlotFill]] | None = None
        for sample in self._index.exact_candidates(present):
            if not present.issuperset(sample.literals):
                continue
            general = any(slot.type in self._carriers for slot in sample.slots)
            for fills in self._match(sample.parts, 0, words, 0, today):
                if general and not self._agrees(sample, fills, words, today):
                    break  # "no {finding}" must not split "no fever" into "no" + "fever"
                if self._splits_a_value(sample, fills, today):
                    break
                # on a tie, an intent of its own ("outside" -> LocationIntent) before the catalogue
                key = (len(sample.literals), -len(fills), not general, -sample.index)
                if best is None or key > best[0]:
                    best = (key, sample, fills)
                break
        return None if best is None else (best[1], best[2])

    def _splits_a_value(self, sample: Sample, fills: Mapping[str, SlotFill], today: date) -> bool:
        """Whether the sample's words just before a slot and the value heard are together another
        value of that type: "no {progress}" must not hear "no better" as better."""
        for i, part in enumerate(sample.parts):
            fill = fills.get(part.name) if isinstance(part, SlotRef) else None
            if fill is None or fill.resolved is None:
                continue
            for reach in (1, 2):
                before = sample.parts[max(0, i - reach) : i]
                if len(before) < reach or not all(isinstance(w, str) for w in before):
                    break
                value = tokens(fill.value)
                for end in range(1, len(value) + 1):  # "no" + "better" of "better thanks"
                    words = [*map(str, before), *value[:end]]
                    whole = self.fill_slot(fill.slot_type, words, today)
                    if whole and whole.resolved and whole.resolved.id != fill.resolved.id:
                        return True
        return False

    def _match(
        self, parts: Sequence[Part], p: int, words: tuple[str, ...], w: int, today: date
    ) -> Iterator[dict[str, SlotFill]]:
        if p == len(parts):
            if w == len(words):
                yield {}
            return
        part = parts[p]
        if isinstance(part, str):
            if w < len(words) and words[w] == part:
                yield from self._match(parts, p + 1, words, w + 1, today)
            return
        limit = min(len(words) - w, self._span_limit(part.type))
        remaining = sum(1 for q in parts[p + 1 :] if isinstance(q, str))
        for end in range(w + limit, w, -1):
            if len(words) - end < remaining:
                continue
            fill = self.fill_slot(part.type, words[w:end], today)
            if fill is None:
                continue
            for rest in self._match(parts, p + 1, words, end, today):
                if part.name in rest:  # the same slot twice ("{number} or {number}"): keep the last
                    yield rest
                else:
                    yield {part.name: fill, **rest}

    def _carried(
        self, words: tuple[str, ...], today: date
    ) -> tuple[str, dict[str, SlotFill], float] | None:
        """A story that matches no sample but names findings ("it clicks when I swing my leg"):
        the values are taken when they make up enough of what was said."""
        for intent, slots in self._carrier_intents:
            slot_type = next(iter(slots.values()))
            spans = self._spots(words, today, (slot_type,)).get(slot_type, [])
            chain, repeated = self._chain(spans, words)
            chain = [  # a lone word ("after") in a story says too little on its own
                span
                for span in chain
                if sum(_weight(w) for w in words[span.start : span.end]) >= _MIN_SPAN_WEIGHT
            ]
            if not chain or len(chain) > len(slots):
                continue
            covered = repeated | {i for span in chain for i in range(span.start, span.end)}
            total = sum(_weight(w) for w in words)
            coverage = sum(_weight(words[i]) for i in covered) / total if total else 0.0
            if coverage >= _MIN_COVERAGE:
                names = list(slots)
                return intent, {names[i]: span.fill for i, span in enumerate(chain)}, coverage
        return None

    def _agrees(
        self, sample: Sample, fills: Mapping[str, SlotFill], words: tuple[str, ...], today: date
    ) -> bool:
        """An exact match takes the same carrier values as the longest-match reading does."""
        kinds = {slot.name: slot.type for slot in sample.slots}
        for slot_type in {t for t in kinds.values() if t in self._carriers}:
            taken = sorted(f.id for name, f in fills.items() if kinds.get(name) == slot_type)
            spans = self._spots(words, today, (slot_type,)).get(slot_type, [])
            chain, _ = self._chain(spans, words)
            if taken != sorted(span.fill.id for span in chain):
                return False
        return True

    def _span_limit(self, slot_type: str) -> int:
        return _MAX_SPAN.get(slot_type) or self._max_span.get(slot_type, _DEFAULT_MAX_SPAN)

    # -- close phrasings ----------------------------------------------------------------------

    @staticmethod
    def _terms(literals: Sequence[str], slots: Sequence[SlotRef]) -> Counter[str]:
        terms = Counter(_stem(w) for w in literals)
        terms.update(f"<{slot.type}>" for slot in slots)
        return terms

    def _spots(
        self,
        words: tuple[str, ...],
        today: date,
        only: Sequence[str] | None = None,
        *,
        loose: bool = False,
    ) -> dict[str, list[_Span]]:
        spots: dict[str, list[_Span]] = {}
        types = only or [*BUILT_IN_SLOT_TYPES, *self.model.slot_types]
        for slot_type in types:
            limit = self._span_limit(slot_type)
            found: list[_Span] = []
            for start in range(len(words)):
                for end in range(min(len(words), start + limit), start, -1):
                    fill = self.fill_slot(slot_type, words[start:end], today, loose=loose)
                    if fill is not None:
                        found.append(_Span(start, end, fill))
            if found:
                found.sort(key=lambda s: s.start - s.end)
                spots[slot_type] = found if slot_type in self._carriers else found[:6]
        return spots

    def _chain(
        self, spans: Sequence[_Span], words: tuple[str, ...]
    ) -> tuple[list[_Span], set[int]]:
        """Every value of a carrier type in the utterance: the longest non-overlapping matches,
        without those said under a negation and without a finding said two ways at once."""
        chosen: list[_Span] = []
        for span in sorted(spans, key=lambda s: (s.start - s.end, s.start)):
            if not any(span.start < c.end and c.start < span.end for c in chosen):
                chosen.append(span)
        kept = self._in_context(chosen, words)
        values: dict[str, set[str]] = {}
        for c in kept:
            values.setdefault(c.fill.id.split("=")[0], set()).add(c.fill.id)
        unique: list[_Span] = []
        seen: set[str] = set()
        repeated: set[int] = set()  # words of a value said twice: explained, not left over
        for c in sorted(kept, key=lambda s: s.start):
            topic = c.fill.id.split("=")[0]
            if len(values[topic]) > 1:
                continue  # two values for one finding: neither is taken
            if c.fill.id in seen:
                repeated.update(range(c.start, c.end))
                continue
            seen.add(c.fill.id)
            unique.append(c)
        if len(unique) > _MAX_CARRIED:
            longest = sorted(unique, key=lambda s: s.start - s.end)[:_MAX_CARRIED]
            unique = sorted(longest, key=lambda s: s.start)
        return unique, repeated

    def _in_context(self, spans: Sequence[_Span], words: tuple[str, ...]) -> list[_Span]:
        """ConText over the findings said (hipcoach.understanding.context): a negated finding is
        its opposite when it has one ("no swelling" -> sudden_swelling=false) and dropped when it
        has none ("not in the groin"); one said as hypothetical (a question), historical or of
        someone else is dropped; an uncertain one ("I guess") keeps its value."""
        found = modifiers(words, [(span.start, span.end) for span in spans], self._triggers)
        kept: list[_Span] = []
        for span, categories in zip(spans, found, strict=True):
            if categories & _NOT_CURRENT:
                continue
            if "negated" in categories and _affirmative(span.fill):
                opposite = self._opposite(span.fill)
                if opposite is not None:
                    kept.append(_Span(span.start, span.end, opposite))
                continue
            kept.append(span)
        return kept

    def _opposite(self, fill: SlotFill) -> SlotFill | None:
        """finding=true <-> finding=false, as a value of the same type; None for other values."""
        if fill.resolved is None or "=" not in fill.resolved.id:
            return None
        finding, value = fill.resolved.id.split("=", 1)
        other = {"true": "false", "false": "true"}.get(value)
        wanted = f"{finding}={other}"
        for slot_value, said in self.model.slot_types.get(fill.slot_type, {}).values():
            if slot_value.id == wanted:
                return SlotFill(said, fill.slot_type, slot_value)
        return None

    # -- for the reading's rules (hipcoach.understanding.rules) --------------------------------

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word of the catalogue's samples and slot values (computed once: every turn
        reads it)."""
        words = {w for sample in self.model.samples for w in sample.literals}
        words.update(w for phrases in self.model.slot_types.values() for p in phrases for w in p)
        return frozenset(words) | known_words()

    def findings_said(self, text: str, today: date) -> list[Said]:
        """Every finding in the words, with its ConText polarity and certainty (none dropped)."""
        words = tokens(text)
        spots = self._spots(words, today, (FINDING_TYPE,), loose=True)
        spans = _disjoint(spots.get(FINDING_TYPE, []))
        spans.sort(key=lambda span: span.start)
        out: list[Said] = []
        targets = [(s.start, s.end) for s in spans]
        for span, categories in zip(spans, modifiers(words, targets, self._triggers), strict=True):
            if span.fill.resolved is None or categories & _NOT_CURRENT:
                continue
            finding, value = span.fill.resolved.id.split("=", 1)
            negated = "negated" in categories and _affirmative(span.fill)
            out.append(
                Said(
                    finding,
                    value,
                    "negated" if negated else "affirmed",
                    "uncertain" if "uncertain" in categories else "certain",
                    " ".join(words[span.start : span.end]),
                    span.start,
                    span.end,
                )
            )
        return out

    def number_spans(
        self, words: tuple[str, ...], today: date, result: NluResult
    ) -> list[tuple[int, int]]:
        """Where the numbers and durations of a result were said."""
        wanted = {f.value for f in result.slots.values() if f and f.slot_type in (NUMBER, DURATION)}
        spots = self._spots(words, today, (NUMBER, DURATION))
        return [
            (span.start, span.end)
            for spans in spots.values()
            for span in spans
            if span.fill.value in wanted
        ]

    def first_value_at(self, slot_type: str, words: tuple[str, ...], today: date) -> int | None:
        """Where the first value of one slot type is said in the words, or None."""
        spans = self._spots(words, today, (slot_type,)).get(slot_type, [])
        return min((span.start for span in spans), default=None)

    def values_of(
        self, slot_type: str, words: tuple[str, ...], today: date, *, in_context: bool = False
    ) -> list[SlotFill]:
        """Every value of one slot type said in the words, the longest where they overlap, in
        the order said; with `in_context`, without those ConText negates or sets aside."""
        spans = _disjoint(self._spots(words, today, (slot_type,)).get(slot_type, []))
        spans.sort(key=lambda span: span.start)
        if in_context:
            spans = self._in_context(spans, words)
        return [span.fill for span in spans]

    def story_values(
        self, slot_type: str, words: tuple[str, ...], today: date
    ) -> list[tuple[int, int, str]]:
        """The values of a one-finding slot type said in the words (start, end, the finding=value
        id the catalogue's FindingType gives it), as ConText leaves them, each said with more
        than a lone word ("at the front", never a bare "after" nor "my knee")."""
        spans = _disjoint(self._spots(words, today, (slot_type,), loose=True).get(slot_type, []))
        kept = self._in_context(sorted(spans, key=lambda span: span.start), words)
        out: list[tuple[int, int, str]] = []
        for span in kept:
            if span.fill.resolved is None:
                continue
            if sum(_weight(w) for w in words[span.start : span.end]) < _MIN_STORY_WEIGHT:
                continue
            named = self.model.ids_named(FINDING_TYPE, span.fill.resolved.id)
            if len(named) == 1:
                out.append((span.start, span.end, named[0]))
        return out

    def exact(self, words: tuple[str, ...], today: date) -> NluResult | None:
        """The intent of the sample these words are exactly, or None (the reading's rules)."""
        found = self._exact(words, today)
        if found is None:
            return None
        sample, fills = found
        return self._result(sample.intent, fills, 1.0, " ".join(words), sample.text)

    def filled(self, intent: str, fills: Mapping[str, SlotFill], utterance: str) -> NluResult:
        """The intent with these slots, as if a sample had matched (the reading's rules)."""
        return self._result(intent, fills, 1.0, utterance, None)

    def amount_spans(self, words: tuple[str, ...], today: date) -> list[tuple[int, int, str]]:
        """Every number, duration and date said (start, end, slot type), the longest where they
        overlap, in the order said."""
        spots = self._spots(words, today, BUILT_IN_SLOT_TYPES)
        spans = _disjoint([span for found in spots.values() for span in found])
        return sorted((span.start, span.end, span.fill.slot_type) for span in spans)

    def duration_spans(self, words: tuple[str, ...], today: date) -> list[tuple[int, int, str]]:
        """Every duration said (start, end, ISO value), the longest where they overlap."""
        spans = _disjoint(self._spots(words, today, (DURATION,)).get(DURATION, []))
        return sorted((span.start, span.end, span.fill.value) for span in spans)

    def spot_value(
        self, intent: str, words: tuple[str, ...], today: date
    ) -> tuple[NluResult, int, int] | None:
        """The intent filled from one value of its first built-in slot type said anywhere in the
        words (the longest, the last said when several): "yes it's really bad like a nine"."""
        slots = self.model.intent_slots.get(intent, {})
        for name, slot_type in slots.items():
            if slot_type not in BUILT_IN_SLOT_TYPES:
                continue
            spans = _disjoint(self._spots(words, today, (slot_type,)).get(slot_type, []))
            if not spans:
                continue
            span = max(spans, key=lambda s: (s.end - s.start, s.start))
            fills = {name: span.fill}
            return self._result(intent, fills, 1.0, " ".join(words), None), span.start, span.end
        return None

    def fallback(self, utterance: str) -> NluResult:
        return self._result(FALLBACK_INTENT, {}, 0.0, utterance, None)

    def _closest(
        self, words: tuple[str, ...], today: date
    ) -> tuple[Sample, dict[str, SlotFill], float] | None:
        spots = self._spots(words, today)
        chained = {t: self._chain(spots[t], words) for t in self._carriers if t in spots}
        chains = {t: found for t, (found, _) in chained.items()}
        explained = {i for _, repeated in chained.values() for i in repeated}
        stems = [_stem(w) for w in words]
        word_terms = set(stems)
        asks = _asks(words)
        best: tuple[tuple[float, int, int], Sample, dict[str, SlotFill]] | None = None
        # a sample without slots reads the same words left over whatever it is: computed once
        plain_terms = Counter(s for i, s in enumerate(stems) if i not in explained)
        unknown = {t: _UNKNOWN_WEIGHT for t in plain_terms if t not in self._known}
        plain_totals = {False: _total(plain_terms, {}), True: _total(plain_terms, unknown)}
        for sample in self._index.close_candidates(word_terms, spots.keys()):
            slots = sample.slots
            sample_terms = self._sample_terms[sample.index]
            if not slots:
                shares = asks == self._index.asks[sample.index]
                lighter = shares and _shares_content(plain_terms, sample_terms)
                # as _similarity, with both bags' totals known: the unknown words' lighter weights
                # never touch a sample's terms (every sample term is known)
                shared = sum(
                    min(plain_terms[t], sample_terms[t]) * _weight(t)
                    for t in plain_terms.keys() & sample_terms.keys()
                )
                total = plain_totals[lighter] + self._index.totals[sample.index]
                score = 2 * shared / total if total else 0.0
                key = (round(score, 3), 0, -sample.index)
                if best is None or key > best[0]:
                    best = (key, sample, {})
                continue
            options: list[Sequence[_Span]] = []
            carried = Counter(slot.type for slot in slots if slot.type in self._carriers)
            if any(len(chains.get(t, ())) != n for t, n in carried.items()):
                continue  # a carrier sample takes every value said, or none
            position = Counter[str]()
            for slot in slots:
                if slot.type in self._carriers:
                    options.append([chains[slot.type][position[slot.type]]])
                    position[slot.type] += 1
                else:
                    options.append(spots[slot.type])
            for spans in product(*options):
                if _overlapping(spans) or _negated_unlike_sample(sample, spans, words):
                    continue
                covered = explained | {i for span in spans for i in range(span.start, span.end)}
                terms = Counter(s for i, s in enumerate(stems) if i not in covered)
                terms.update(f"<{slot.type}>" for slot in slots)
                # a slot stands for the words it covers: longer values explain more of the utterance
                covered_weight: dict[str, list[float]] = {}
                for slot, sp in zip(slots, spans, strict=True):
                    covered_weight.setdefault(f"<{slot.type}>", []).append(
                        max(1.0, sum(_weight(stems[i]) for i in range(sp.start, sp.end)))
                    )
                weights = {term: sum(ws) / len(ws) for term, ws in covered_weight.items()}
                if asks == self._index.asks[sample.index] and _shares_content(terms, sample_terms):
                    # never on "what is the" alone, nor a question ("is yoga ok?") as an answer
                    weights.update((t, _UNKNOWN_WEIGHT) for t in terms if t not in self._known)
                score = _similarity(terms, sample_terms, weights)
                key = (round(score, 3), -len(slots), -sample.index)
                if best is None or key > best[0]:
                    fills = {slot.name: span.fill for slot, span in zip(slots, spans, strict=True)}
                    best = (key, sample, fills)
        return None if best is None else (best[1], best[2], best[0][0])

    # -- anchored questions ---------------------------------------------------------------

    def question_topic(self, utterance: str, today: date) -> NluResult | None:
        """A question read only by the one topic it names ("would new trainers help?": the
        shoes), or None: for a question whole readings take as a record to keep."""
        return self._anchored(tokens(utterance), today)

    def _anchored(
        self, words: tuple[str, ...], today: date, asked: bool = False
    ) -> NluResult | None:
        """Step 4 of the module docstring: the anchor intent when a question names exactly one
        anchor value and nothing else the model knows as a value; None otherwise. `asked`: the
        words as said read as a question (before their fillers were dropped)."""
        intent = self._anchor_intent
        asked = asked or _reads_as_question(words)
        if intent is None or not (asked or _says_a_plan(words)):
            return None
        spots = self._spots(words, today)
        anchors = _disjoint(spots.get(ANCHOR_SLOT_TYPE, []))
        if not anchors or len({span.fill.id for span in anchors}) != 1:
            return None
        if not asked and anchors[0].fill.id not in _PLANNED_TOPICS:
            return None  # a plan said about another topic tells, it does not ask
        covered = {i for span in anchors for i in range(span.start, span.end)}
        covered |= _when_or_which(spots, anchors, words)
        for slot_type, spans in spots.items():
            if slot_type == ANCHOR_SLOT_TYPE:
                continue
            if any(not covered.issuperset(range(s.start, s.end)) for s in spans):
                return None  # a finding, a number or a date besides the topic
        for span in anchors:
            if _ANCHOR_NEGATIONS.intersection(
                words[max(0, span.start - _SAMPLE_NEGATION_REACH) : span.start]
            ):
                return None
        slot_name, anchor = intent[1], anchors[0]
        stems = [_stem(w) for i, w in enumerate(words) if i not in covered]
        terms = Counter(stems)
        terms[f"<{ANCHOR_SLOT_TYPE}>"] += 1
        carriers = [s for s in self.model.samples if s.intent == intent[0] and s.slots]
        best = max(
            carriers,
            key=lambda s: (_similarity(terms, self._sample_terms[s.index], {}), -s.index),
        )
        score = _similarity(terms, self._sample_terms[best.index], {})
        confidence = round(min(score, self.threshold - 0.01), 3)
        utterance = " ".join(words)
        return self._result(intent[0], {slot_name: anchor.fill}, confidence, utterance, best.text)

    @property
    def _anchor_intent(self) -> tuple[str, str] | None:
        """The intent carrying the anchor slot type, with its slot name (None without one)."""
        for intent, slots in self.model.intent_slots.items():
            for name, slot_type in slots.items():
                if slot_type == ANCHOR_SLOT_TYPE and len(slots) == 1:
                    return intent, name
        return None

    def _result(
        self,
        intent: str,
        fills: Mapping[str, SlotFill],
        confidence: float,
        utterance: str,
        sample: str | None,
    ) -> NluResult:
        slot_types = dict(self.model.intent_slots.get(intent, {}))
        slots = {name: fills.get(name) for name in slot_types}
        return NluResult(intent, slots, slot_types, confidence, utterance, sample)


class _SampleIndex:
    """Which samples can match at all, found without scanning the catalogue's thousands.

    exact: a sample matches only when every one of its literal words was said, so each sample is
    filed under its rarest literal (samples of slots alone always qualify). close: a sample with
    slots qualifies only when every slot type was spotted, one without slots only when it shares
    a term with the words. Candidates come back in catalogue order, as the full scan met them.
    """

    def __init__(self, samples: Sequence[Sample], terms: Mapping[int, Counter[str]]) -> None:
        self.samples = samples
        self.asks = [_asks(sample.text.split()) for sample in samples]
        self.totals = [_total(terms[sample.index], {}) for sample in samples]
        frequency = Counter(w for sample in samples for w in set(sample.literals))
        self.by_literal: dict[str, list[int]] = {}
        self.no_literals: list[int] = []
        self.by_term: dict[str, list[int]] = {}  # close phrasings of samples without slots
        self.by_slot_types: dict[frozenset[str], list[int]] = {}
        for sample in samples:
            if sample.literals:
                rarest = min(sample.literals, key=lambda w: (frequency[w], w))
                self.by_literal.setdefault(rarest, []).append(sample.index)
            else:
                self.no_literals.append(sample.index)
            if _is_carrier(sample):
                continue  # never a close phrasing (_is_carrier)
            if sample.slots:
                types = frozenset(slot.type for slot in sample.slots)
                self.by_slot_types.setdefault(types, []).append(sample.index)
            else:
                for term in terms[sample.index]:
                    self.by_term.setdefault(term, []).append(sample.index)

    def exact_candidates(self, present: set[str]) -> list[Sample]:
        found = list(self.no_literals)
        for word in present:
            found.extend(self.by_literal.get(word, ()))
        return [self.samples[i] for i in sorted(found)]

    def close_candidates(self, terms: set[str], spotted: Iterable[str]) -> list[Sample]:
        found: set[int] = set()
        for term in terms:
            found.update(self.by_term.get(term, ()))
        types = set(spotted)
        for needed, indices in self.by_slot_types.items():
            if needed <= types:
                found.update(indices)
        return [self.samples[i] for i in sorted(found)]


def _affirmative(fill: SlotFill) -> bool:
    """A value that says something is so; one that already says it is not ("no fever",
    finding=false) stays what it says under a second negation ("no fever, nothing like that")."""
    return fill.resolved is None or not fill.resolved.id.endswith("=false")


def _overlapping(spans: Sequence[_Span]) -> bool:
    ordered = sorted(spans, key=lambda s: s.start)
    return any(a.end > b.start for a, b in pairwise(ordered))


def _similarity(a: Counter[str], b: Counter[str], weights: Mapping[str, float]) -> float:
    def weight(term: str) -> float:
        return weights.get(term) or _weight(term)

    shared = sum(min(a[t], b[t]) * weight(t) for t in a.keys() & b.keys())
    total = sum(n * weight(t) for t, n in a.items()) + sum(n * weight(t) for t, n in b.items())
    return 2 * shared / total if total else 0.0


def _total(terms: Counter[str], weights: Mapping[str, float]) -> float:
    """One bag's weighted size, summed as _similarity sums it."""
    return sum(n * (weights.get(t) or _weight(t)) for t, n in terms.items())


@cache
def _nlu(locale: str) -> Nlu:
    # built at build time (hipcoach.tools.build_content_cache): a cold container's first words
    # unpickle the compiled catalogue rather than parse its JSON and index it
    from hipcoach import content_cache

    return content_cache.cached(*_cache_inputs(locale), Nlu, lambda: Nlu(locale))


def _cache_inputs(locale: str) -> tuple[str, Path, list[Path], list[Path]]:
    """The content cache section of a locale's matcher: its name, files and code."""
    from hipcoach.understanding import context, words

    name = "nlu_" + locale.replace("-", "_")
    files = [model_path(locale), context.TRIGGERS_FILE]
    code = [Path(__file__), Path(context.__file__), Path(words.__file__)]
    return name, CATALOGUE_DIR, files, code


def catalogue_locales() -> list[str]:
    """Every locale with a catalogue of its own."""
    return sorted(p.stem for p in CATALOGUE_DIR.glob("*.json") if p.stem != "context")


def cache_specs() -> list[tuple[str, Path, list[Path], list[Path], Nlu]]:
    """What `hipcoach.tools.build_content_cache` pickles: each locale's matcher, built."""
    specs = []
    for locale in catalogue_locales():
        built = Nlu(locale)
        built.vocabulary  # noqa: B018  (computed now, shipped in the pickle)
        specs.append((*_cache_inputs(locale), built))
    return specs


_BUILDING = threading.Lock()


def nlu(locale: str) -> Nlu:
    """The cached matcher of a locale's catalogue (the nearest locale that has one). Built by one
    thread while the others wait: a threaded server's first requests must not each build it."""
    with _BUILDING:
        return _nlu(normalise_locale(locale))


def resolve(utterance: str, locale: str = "en-US", today: date | None = None) -> NluResult:
    """Module-level shortcut: `Nlu(locale).resolve(utterance, today)` with a cached Nlu."""
    return nlu(locale).resolve(utterance, today)


def _plain(words: tuple[str, ...]) -> tuple[str, ...]:
    """Without fillers, a "you know", a dangling "or", and with stammered repeats said once."""
    kept: list[str] = []
    for i, word in enumerate(words):
        if word in _FILLERS or word in _SPOKEN_FILLERS:
            continue
        if word == "you" and i + 1 < len(words) and words[i + 1] == "know":
            continue
        if word == "know" and i > 0 and words[i - 1] == "you":
            continue
        if kept and kept[-1] == word:
            continue
        kept.append(word)
        for size in (2, 3):  # "hold on hold on" -> "hold on"
            if len(kept) >= 2 * size and kept[-size:] == kept[-2 * size : -size]:
                del kept[-size:]
    while kept and kept[-1] in _DANGLING:
        kept.pop()
    return tuple(kept)


def _attempts(words: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The words to try, in order: as heard; plain; then, for two questions in one ("can I X and
    should I Y"), each clause (only reached when the whole was not understood: the first question
    asked is answered)."""
    if not words:
        return
    yield words
    plain = _plain(words)
    if plain and plain != words:
        yield plain
    if not plain or plain[0] not in _QUESTION_STARTS:
        return  # a statement ("no and it's gone numb") is never cut: the rest could matter
    clause: list[str] = []
    for word in (*plain, "and"):
        if word in _QUESTION_BREAKS:
            if len(clause) >= 3 and len(clause) < len(plain):
                yield tuple(clause)
            clause = []
        else:
            clause.append(word)


def _negated_unlike_sample(sample: Sample, spans: Sequence[_Span], words: tuple[str, ...]) -> bool:
    """Whether a value is negated in the words ("it has NOT gone away", "not loads better") but
    not so in the sample: "not really {progress}" must never hear "not gone" as gone."""
    slots = [part for part in sample.parts if isinstance(part, SlotRef)]
    for slot, span in zip(slots, spans, strict=True):
        at = sample.parts.index(slot)
        for j in range(max(0, span.start - _SAMPLE_NEGATION_REACH), span.start):
            if words[j] not in _SAMPLE_NEGATIONS:
                continue
            said = words[j : span.start]
            written = sample.parts[max(0, at - len(said)) : at]
            if tuple(written) != said:
                return True
    return False


def _reads_as_question(words: Sequence[str]) -> bool:
    """Put as a question: an interrogative opening, or "what"/"how"/"which" later on. "when",
    "where" and "if" are left out mid-sentence: "it hurts when I ice it" is a statement."""
    if not words:
        return False
    if _asks(words) or words[0] in _ANCHOR_OPENINGS or tuple(words[:2]) == ("tell", "me"):
        return True
    if tagged_as_question(words):  # "an easy 5k today is fine, isn't it"
        return True
    if any(word in _LATER_QUESTION_WORDS for word in words[1:]):
        return True
    return any(
        tuple(words[i : i + len(p)]) == p
        for p in _LATER_QUESTIONS
        for i in range(_STATEMENT_BEFORE_A_QUESTION, len(words))
    )


def _says_a_plan(words: Sequence[str]) -> bool:
    """Whether the words say a plan ahead (`_PLANS_SAID`), not one in the past."""
    if _PAST_PLAN.intersection(words):
        return False
    return any(tuple(words[i : i + len(p)]) == p for p in _PLANS_SAID for i in range(len(words)))


def _is_carrier(sample: Sample) -> bool:
    """A carrier sample of the anchor intent: matched exactly, or by step 4, never as a close
    phrasing, where its few words would out-score a longer sample of the right intent."""
    return any(slot.type == ANCHOR_SLOT_TYPE for slot in sample.slots)


def _when_or_which(
    spots: Mapping[str, list[_Span]], anchors: Sequence[_Span], words: Sequence[str]
) -> set[int]:
    """The words of an anchored question that say when or which the topic is, never a finding:
    a date ("parkrun on Saturday"), a time ahead ("in two weeks", "the marathon next month"),
    and a number with its unit just before the topic ("my 10k race"). A duration of the past
    ("the treadmill for three days") is none: it may answer how long the pain has lasted."""
    firsts = {span.start for span in anchors}
    kept: set[int] = set()
    for span in [*spots.get(DATE, []), *spots.get(_PERIOD_TYPE, [])]:  # "parkrun on Saturday",
        kept.update(range(span.start, span.end))  # "a jog tonight", "my runs this week"
    for span in spots.get(DURATION, []):
        if span.start > 0 and words[span.start - 1] in _AHEAD:
            kept.update(range(span.start - 1, span.end))
    units = [s for t, ss in spots.items() if t.endswith(_UNIT_TYPE_SUFFIX) for s in ss]
    distances = spots.get(_DISTANCE_UNIT_TYPE, [])  # not time: "for three days" may be the pain's
    for span in units:  # "next month", "this week"
        if span.start > 0 and words[span.start - 1] in _THIS_OR_NEXT:
            kept.update(range(span.start - 1, span.end))
    for span in spots.get(NUMBER, []):
        unit = next((u for u in units if u.start == span.end), None)
        end = unit.end if unit is not None else span.end
        if end in firsts:
            kept.update(range(span.start, end))
        elif unit in distances and any(s.end <= span.start for s in anchors):
            # a distance said after the topic says which it is ("an easy jog today, like two
            # miles"): never a finding
            kept.update(range(span.start, end))
    return kept


def _disjoint(spans: Sequence[_Span]) -> list[_Span]:
    """The longest spans first, each kept when it overlaps none kept before."""
    kept: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.start - s.end, s.start)):
        if not _overlapping([*kept, span]):
            kept.append(span)
    return kept


def _asks(words: Sequence[str]) -> bool:
    """Whether the words are put as a question ("is yoga ok", "can i ...", "ok if i ..."), not a
    statement."""
    if len(words) > 1 and words[1] == "if" and words[0] in _LEAVE_ASKED:
        return True
    return bool(words) and words[0] in _QUESTION_STARTS


def _shares_content(a: Counter[str], b: Counter[str]) -> bool:
    """Whether two bags share a slot or a word that says something (not a stopword, not a bare
    question word)."""
    return any(
        t.startswith("<") or (t not in _STOPWORDS and t not in _QUESTION_WORDS)
        for t in a.keys() & b.keys()
    )
