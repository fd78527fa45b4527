"""A local stand-in for Alexa's NLU, driven only by the skill's own interaction model.

`Nlu(locale).resolve(utterance, today)` matches a typed utterance against the model's sample
utterances and slot values the way Alexa does for phrasings close to them:

1. exact: every sample is compiled to a token matcher whose `{slot}` parts accept the slot type's
   values and synonyms (custom types, with entity resolution to the value id), number words for
   AMAZON.NUMBER ("seven", "twenty five", "a couple of"), durations for AMAZON.DURATION ("about ten
   days" -> P10D, "a fortnight" -> P2W) and relative dates for AMAZON.DATE ("since last Tuesday");
2. the same with filler words ("um", "well", "please") dropped;
3. close phrasings: slot values are spotted anywhere in the utterance and the rest is compared with
   each sample by weighted token overlap (light stemming, yes/no variants folded); the best sample
   wins when it scores at least the threshold;
4. otherwise AMAZON.FallbackIntent.

`parse_invocation()` tells a launch phrase ("open hip coach") from a one-shot ("ask hip coach to
start my stretches") so the chat console can send a LaunchRequest or an IntentRequest, as a device
does. Nothing here speaks: the module only reads the interaction model.
"""

from __future__ import annotations

import calendar
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import pairwise, product
from pathlib import Path
from typing import Any, Literal

from hipcoach.texts import normalise_locale

SKILL_PACKAGE_DIR = Path(__file__).resolve().parent / "skill-package"
FALLBACK_INTENT = "AMAZON.FallbackIntent"
DEFAULT_THRESHOLD = 0.68

NUMBER = "AMAZON.NUMBER"
DURATION = "AMAZON.DURATION"
DATE = "AMAZON.DATE"
BUILT_IN_SLOT_TYPES = (NUMBER, DURATION, DATE)

# ---------------------------------------------------------------------------------------------
# Text normalisation (applied identically to utterances, samples and slot values)

_CONTRACTIONS = {
    "can't": ("can", "not"),
    "cannot": ("can", "not"),
    "won't": ("will", "not"),
    "shan't": ("shall", "not"),
    "let's": ("let", "us"),
    "okay": ("ok",),
    "o.k.": ("ok",),
    "nevermind": ("never", "mind"),
}
_SUFFIXES = (("n't", "not"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'d", "would"))
_SUFFIXES += (("'m", "am"), ("'s", "is"))


def _expand(token: str) -> tuple[str, ...]:
    if token in _CONTRACTIONS:
        return _CONTRACTIONS[token]
    for suffix, word in _SUFFIXES:
        if token.endswith(suffix) and len(token) > len(suffix):
            return (token[: -len(suffix)], word)
    return (token,)


def tokens(text: str) -> tuple[str, ...]:
    """Lower-case words with punctuation dropped and contractions expanded ("it's" -> it is)."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text)
    text = text.replace("%", " percent ").replace("&", " and ")
    text = re.sub(r"\bper cent\b", "percent", text)
    text = re.sub(r"(\d)(k|km|kms|mi)\b", r"\1 \2", text)
    text = re.sub(r"[^a-z0-9'. ]+", " ", text.replace("-", " "))
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)
    words: list[str] = []
    for raw in text.split():
        word = raw.strip("'")
        if word:
            words.extend(_expand(word))
    return tuple(words)


# ---------------------------------------------------------------------------------------------
# AMAZON.NUMBER

_SMALL = {
    "zero": 0,
    "nought": 0,
    "nil": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_PHRASE_NUMBERS: dict[tuple[str, ...], int] = {
    ("a", "couple"): 2,
    ("a", "couple", "of"): 2,
    ("couple", "of"): 2,
    ("a", "pair", "of"): 2,
    ("a", "few"): 3,
    ("a", "dozen"): 12,
    ("dozen",): 12,
    ("half", "a", "dozen"): 6,
    ("a", "hundred"): 100,
    ("a", "thousand"): 1000,
}
_DIGITS = re.compile(r"^\d+(\.\d+)?$")


def _integer_words(words: Sequence[str]) -> int | None:
    total, current, last = 0, 0, ""
    for index, word in enumerate(words):
        if (
            word in ("a", "an")
            and index == 0
            and len(words) > 1
            and words[1] in ("hundred", "thousand")
        ):
            current, last = 1, "unit"
        elif word == "and":
            if last not in ("hundred", "thousand"):
                return None
            last = "and"
        elif word.isdigit():
            if last not in ("", "hundred", "thousand", "and"):
                return None
            current += int(word)
            last = "digits"
        elif word in _SMALL:
            value = _SMALL[word]
            if last in ("unit", "teen", "digits") or (last == "tens" and not 0 < value < 10):
                return None
            current += value
            last = "unit" if value < 10 else "teen"
        elif word in _TENS:
            if last in ("unit", "teen", "tens", "digits"):
                return None
            current += _TENS[word]
            last = "tens"
        elif word == "hundred":
            if last in ("hundred", "thousand", "and") or current >= 100:
                return None
            current = (current or 1) * 100
            last = "hundred"
        elif word == "thousand":
            if last in ("thousand", "and"):
                return None
            total += (current or 1) * 1000
            current, last = 0, "thousand"
        else:
            return None
    if last in ("", "and"):
        return None
    return total + current


def parse_number(words: str | Sequence[str]) -> int | float | None:
    """A spoken or written number: "seven", "twenty five", "a couple of", "7.5"."""
    seq = tokens(words) if isinstance(words, str) else tuple(words)
    if not seq:
        return None
    if len(seq) == 1 and _DIGITS.match(seq[0]):
        value = float(seq[0])
        return int(value) if value.is_integer() else value
    if seq in _PHRASE_NUMBERS:
        return _PHRASE_NUMBERS[seq]
    if "point" in seq:
        cut = seq.index("point")
        whole = _integer_words(seq[:cut]) if cut else 0
        decimals = [_SMALL.get(w) for w in seq[cut + 1 :]]
        if whole is None or not decimals or any(d is None or d > 9 for d in decimals):
            return None
        return float(f"{whole}." + "".join(str(d) for d in decimals))
    if len(seq) > 2 and seq[-3:] == ("and", "a", "half"):
        whole = _integer_words(seq[:-3])
        return None if whole is None else whole + 0.5
    return _integer_words(seq)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# ---------------------------------------------------------------------------------------------
# AMAZON.DURATION

_DURATION_UNITS: dict[str, tuple[str, int]] = {
    "minute": ("TM", 1),
    "minutes": ("TM", 1),
    "hour": ("TH", 1),
    "hours": ("TH", 1),
    "day": ("D", 1),
    "days": ("D", 1),
    "night": ("D", 1),
    "nights": ("D", 1),
    "week": ("W", 1),
    "weeks": ("W", 1),
    "fortnight": ("W", 2),
    "fortnights": ("W", 2),
    "month": ("M", 1),
    "months": ("M", 1),
    "year": ("Y", 1),
    "years": ("Y", 1),
}


def _iso_duration(amount: float, unit: str) -> str:
    text = _number_text(amount)
    if unit.startswith("T"):
        return f"PT{text}{unit[1]}"
    return f"P{text}{unit}"


def parse_duration(words: str | Sequence[str]) -> str | None:
    """An ISO-8601 duration as AMAZON.DURATION gives it: "two weeks" -> P2W."""
    seq = tokens(words) if isinstance(words, str) else tuple(words)
    if seq[:1] == ("the",):
        seq = seq[1:]
    half = False
    if len(seq) > 3 and seq[-3:] == ("and", "a", "half"):
        seq, half = seq[:-3], True
    if seq in (("half", "an", "hour"), ("half", "a", "hour")):
        return "PT30M"
    if seq in (("half", "a", "day"),):
        return "PT12H"
    if len(seq) < 2 or seq[-1] not in _DURATION_UNITS:
        return None
    unit, factor = _DURATION_UNITS[seq[-1]]
    head = seq[:-1]
    amount = 1 if head in (("a",), ("an",), ("one",)) else parse_number(head)
    if amount is None or amount < 0:
        return None
    total = (amount + (0.5 if half else 0)) * factor
    if unit == "W" and not float(total).is_integer():
        return _iso_duration(total * 7, "D")
    return _iso_duration(total, unit)


def duration_days(value: str | None) -> int | None:
    """Whole days in an AMAZON.DURATION value (P2W -> 14, P1M -> 30, PT5H -> 0), else None."""
    total = duration_in_days(value)
    return None if total is None else int(total + 1e-9)


def duration_in_days(value: str | None) -> float | None:
    """An AMAZON.DURATION value (ISO-8601: P2W, P10D, PT5H) in days, fractions kept."""
    if not value:
        return None
    match = re.fullmatch(
        r"P(?:(?P<Y>[\d.]+)Y)?(?:(?P<M>[\d.]+)M)?(?:(?P<W>[\d.]+)W)?(?:(?P<D>[\d.]+)D)?"
        r"(?:T(?:(?P<h>[\d.]+)H)?(?:(?P<m>[\d.]+)M)?(?:(?P<s>[\d.]+)S)?)?",
        value.strip().upper(),
    )
    if not match or value.strip().upper() in ("P", "PT"):
        return None
    days_per = {
        "Y": 365.0,
        "M": 30.0,
        "W": 7.0,
        "D": 1.0,
        "h": 1 / 24,
        "m": 1 / 1440,
        "s": 1 / 86400,
    }
    try:
        total = sum(float(v) * days_per[k] for k, v in match.groupdict().items() if v)
    except ValueError:
        return None
    if total != total or total == float("inf"):  # "P999...9D" overflows to inf
        return None
    return total


# ---------------------------------------------------------------------------------------------
# AMAZON.DATE (relative to a given today; a bare weekday means the most recent one, as runners
# answering "since when?" mean the past)

_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}


def _ordinal(words: Sequence[str]) -> int | None:
    if len(words) == 1:
        match = re.fullmatch(r"(\d{1,2})(st|nd|rd|th)?", words[0])
        if match:
            return int(match.group(1))
        return _ORDINALS.get(words[0])
    if len(words) == 2 and words[0] in ("twenty", "thirty") and words[1] in _ORDINALS:
        return _TENS[words[0]] + _ORDINALS[words[1]]
    return None


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _calendar_date(seq: Sequence[str], today: date) -> date | None:
    words = [w for w in seq if w not in ("the", "of", "on")]
    if len(words) < 2:
        return None
    if words[0] in _MONTHS:
        month, day = _MONTHS[words[0]], _ordinal(words[1:])
    elif words[-1] in _MONTHS:
        month, day = _MONTHS[words[-1]], _ordinal(words[:-1])
    else:
        return None
    if day is None:
        return None
    for year in (today.year, today.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate <= today:
            return candidate
    return None


def parse_date(words: str | Sequence[str], today: date) -> str | None:
    """An AMAZON.DATE value: "yesterday" -> 2025-11-22, "last week" -> 2025-W46."""
    seq = tokens(words) if isinstance(words, str) else tuple(words)
    if seq[:1] == ("on",):
        seq = seq[1:]
    found: date | None = None
    if seq in (("today",), ("this", "morning"), ("this", "afternoon"), ("this", "evening")):
        found = today
    elif seq in (
        ("yesterday",),
        ("last", "night"),
        ("yesterday", "morning"),
        ("yesterday", "evening"),
    ):
        found = today - timedelta(days=1)
    elif seq in (("the", "day", "before", "yesterday"), ("day", "before", "yesterday")):
        found = today - timedelta(days=2)
    elif seq in (("last", "week"), ("the", "last", "week")):
        return _iso_week(today - timedelta(days=7))
    elif seq == ("this", "week"):
        return _iso_week(today)
    elif seq in (
        ("the", "weekend"),
        ("last", "weekend"),
        ("at", "the", "weekend"),
        ("this", "weekend"),
    ):
        back = 7 if seq[0] == "last" and today.weekday() >= 5 else 0
        anchor = today - timedelta(days=back)
        if anchor.weekday() < 5:
            anchor -= timedelta(days=anchor.weekday() + 1)
        return _iso_week(anchor) + "-WE"
    elif seq == ("last", "month"):
        return _months_back(today, 1).strftime("%Y-%m")
    elif seq == ("this", "month"):
        return today.strftime("%Y-%m")
    elif seq == ("last", "year"):
        return str(today.year - 1)
    elif (
        len(seq) in (1, 2)
        and seq[-1] in _WEEKDAYS
        and (len(seq) == 1 or seq[0] in ("last", "this"))
    ):
        back = (today.weekday() - _WEEKDAYS[seq[-1]]) % 7 or 7
        found = today - timedelta(days=back)
    elif len(seq) >= 3 and seq[-1] == "ago":
        span = parse_duration(seq[:-1])
        if span and span.startswith("P") and not span.startswith("PT"):
            amount, unit = float(span[1:-1]), span[-1]
            if unit == "D":
                found = today - timedelta(days=int(amount))
            elif unit == "W":
                found = today - timedelta(days=int(amount * 7))
            elif unit == "M":
                found = _months_back(today, int(amount))
            elif unit == "Y":
                found = _months_back(today, int(amount) * 12)
    else:
        found = _calendar_date(seq, today)
    return found.isoformat() if found else None


def days_since(value: str | None, today: date) -> int | None:
    """Days from an AMAZON.DATE value (a day, a week, a weekend, a month or a year) to today."""
    if not value:
        return None
    start: date | None = None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            start = date.fromisoformat(value)
        elif match := re.fullmatch(r"(\d{4})-W(\d{2})(-WE)?", value):
            start = date.fromisocalendar(int(match[1]), int(match[2]), 6 if match[3] else 1)
        elif re.fullmatch(r"\d{4}-\d{2}", value):
            start = date.fromisoformat(value + "-01")
        elif re.fullmatch(r"\d{4}", value):
            start = date(int(value), 1, 1)
    except ValueError:
        return None
    return None if start is None else max(0, (today - start).days)


# ---------------------------------------------------------------------------------------------
# The interaction model


@dataclass(frozen=True)
class SlotValue:
    """One custom slot-type value: its id (a findings value) and canonical name."""

    id: str
    name: str


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

    @property
    def literals(self) -> tuple[str, ...]:
        return tuple(p for p in self.parts if isinstance(p, str))

    @property
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
        return {value.id: value for value, _ in self.slot_types.get(slot_type, {}).values()}


def model_path(locale: str) -> Path:
    return SKILL_PACKAGE_DIR / "interactionModels" / "custom" / f"{normalise_locale(locale)}.json"


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
class SlotFill:
    """A filled slot as Alexa reports it: the heard value and, for custom types, its resolution."""

    value: str
    slot_type: str
    resolved: SlotValue | None = None

    @property
    def id(self) -> str:
        """The resolved id for custom types, the normalised value (7, P2W, 2025-11-18) otherwise."""
        return self.resolved.id if self.resolved else self.value


@dataclass(frozen=True)
class NluResult:
    """The intent with every slot it defines (None when unfilled), as an IntentRequest has it."""

    intent: str
    slots: Mapping[str, SlotFill | None]
    slot_types: Mapping[str, str]
    confidence: float
    utterance: str
    sample: str | None = None

    def slot(self, name: str) -> SlotFill | None:
        return self.slots.get(name)

    def slot_ids(self) -> dict[str, str]:
        """Filled slots only: name -> resolved id or value (for logs and the chat console)."""
        return {name: fill.id for name, fill in self.slots.items() if fill is not None}


@dataclass(frozen=True)
class Invocation:
    """An utterance that addresses the skill by name: a launch, or a one-shot with its request."""

    kind: Literal["launch", "one_shot"]
    request: str = ""


_NAME = r"(?:the\s+)?hip\s*coach"
_LAUNCH_VERBS = (
    r"(?:please\s+)?(?:open(?:\s+up)?|launch|start(?:\s+up)?|begin|load|run|play|use|fire\s+up|"
    r"talk\s+to|speak\s+to|go\s+to)"
)


def parse_invocation(utterance: str, invocation_name: str = "hip coach") -> Invocation | None:
    """Whether an utterance opens the skill ("open hip coach" -> launch) or asks it something
    in one go ("ask hip coach to start my stretches" -> one_shot "start my stretches")."""
    name = (
        _NAME
        if invocation_name == "hip coach"
        else r"(?:the\s+)?"
        + r"\s*".join(re.escape(word) for word in invocation_name.lower().split())
    )
    text = " ".join(re.sub(r"[^a-z0-9' ]+", " ", utterance.lower().replace("’", "'")).split())
    text = re.sub(r"^(?:hey\s+|ok\s+)?alexa\s+", "", text)
    if re.fullmatch(rf"(?:{_LAUNCH_VERBS}\s+)?{name}(?:\s+(?:skill|please|now))*", text):
        return Invocation("launch")
    connective = r"(?:(?:to|for|about|that|if|whether|and)\s+)?"
    patterns = (
        rf"(?:please\s+)?(?:ask|tell|have)\s+{name}\s+{connective}(?P<rest>.+)",
        rf"{_LAUNCH_VERBS}\s+{name}\s+(?:and|to|for|about)\s+(?P<rest>.+)",
        rf"(?P<rest>.+?)\s+(?:using|with|on|from|in|via)\s+{name}",
    )
    for pattern in patterns:
        match = re.fullmatch(pattern, text)
        if match:
            rest = match.group("rest").strip()
            if re.fullmatch(r"(?:please|now)?", rest):
                return Invocation("launch")
            return Invocation("one_shot", rest)
    if re.fullmatch(rf"(?:please\s+)?(?:ask|tell)\s+{name}", text):
        return Invocation("launch")
    return None


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
    }
)
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
            close = self._closest(words, day)
            if close is not None and close[2] >= self.threshold:
                sample, fills, score = close
                return self._result(sample.intent, fills, round(score, 3), utterance, sample.text)
            best = close[2] if close else 0.0
        else:
            best = 0.0
        return self._result(FALLBACK_INTENT, {}, round(best, 3), utterance, None)

    def fill_slot(self, slot_type: str, words: Sequence[str], today: date) -> SlotFill | None:
        """The slot fill for exactly these words, or None when they are not a value of the type."""
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
        entry = self.model.slot_types.get(slot_type, {}).get(tuple(words))
        if entry is None:
            return None
        value, phrase = entry
        return SlotFill(phrase, slot_type, value)

    # -- exact matching -----------------------------------------------------------------------

    def _exact(
        self, words: tuple[str, ...], today: date
    ) -> tuple[Sample, dict[str, SlotFill]] | None:
        present = set(words)
        best: tuple[tuple[int, int, int], Sample, dict[str, SlotFill]] | None = None
        for sample in self.model.samples:
            if not present.issuperset(sample.literals):
                continue
            for fills in self._match(sample.parts, 0, words, 0, today):
                key = (len(sample.literals), -len(fills), -sample.index)
                if best is None or key > best[0]:
                    best = (key, sample, fills)
                break
        return None if best is None else (best[1], best[2])

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

    def _span_limit(self, slot_type: str) -> int:
        return _MAX_SPAN.get(slot_type) or self._max_span.get(slot_type, _DEFAULT_MAX_SPAN)

    # -- close phrasings ----------------------------------------------------------------------

    @staticmethod
    def _terms(literals: Sequence[str], slots: Sequence[SlotRef]) -> Counter[str]:
        terms = Counter(_stem(w) for w in literals)
        terms.update(f"<{slot.type}>" for slot in slots)
        return terms

    def _spots(self, words: tuple[str, ...], today: date) -> dict[str, list[_Span]]:
        spots: dict[str, list[_Span]] = {}
        types = [*BUILT_IN_SLOT_TYPES, *self.model.slot_types]
        for slot_type in types:
            limit = self._span_limit(slot_type)
            found: list[_Span] = []
            for start in range(len(words)):
                for end in range(min(len(words), start + limit), start, -1):
                    fill = self.fill_slot(slot_type, words[start:end], today)
                    if fill is not None:
                        found.append(_Span(start, end, fill))
            if found:
                found.sort(key=lambda s: s.start - s.end)
                spots[slot_type] = found[:6]
        return spots

    def _closest(
        self, words: tuple[str, ...], today: date
    ) -> tuple[Sample, dict[str, SlotFill], float] | None:
        spots = self._spots(words, today)
        stems = [_stem(w) for w in words]
        word_terms = set(stems)
        best: tuple[tuple[float, int, int], Sample, dict[str, SlotFill]] | None = None
        for sample in self.model.samples:
            slots = sample.slots
            if any(slot.type not in spots for slot in slots):
                continue
            sample_terms = self._sample_terms[sample.index]
            if not slots and not word_terms.intersection(sample_terms):
                continue
            for spans in product(*(spots[slot.type] for slot in slots)):
                if _overlapping(spans):
                    continue
                covered = {i for span in spans for i in range(span.start, span.end)}
                terms = Counter(s for i, s in enumerate(stems) if i not in covered)
                terms.update(f"<{slot.type}>" for slot in slots)
                # a slot stands for the words it covers: longer values explain more of the utterance
                weights = {
                    f"<{slot.type}>": max(
                        1.0, sum(_weight(stems[i]) for i in range(sp.start, sp.end))
                    )
                    for slot, sp in zip(slots, spans, strict=True)
                }
                score = _similarity(terms, sample_terms, weights)
                key = (round(score, 3), -len(slots), -sample.index)
                if best is None or key > best[0]:
                    fills = {slot.name: span.fill for slot, span in zip(slots, spans, strict=True)}
                    best = (key, sample, fills)
        return None if best is None else (best[1], best[2], best[0][0])

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


def _overlapping(spans: Sequence[_Span]) -> bool:
    ordered = sorted(spans, key=lambda s: s.start)
    return any(a.end > b.start for a, b in pairwise(ordered))


def _similarity(a: Counter[str], b: Counter[str], weights: Mapping[str, float]) -> float:
    def weight(term: str) -> float:
        return weights.get(term) or _weight(term)

    shared = sum(min(a[t], b[t]) * weight(t) for t in a.keys() & b.keys())
    total = sum(n * weight(t) for t, n in a.items()) + sum(n * weight(t) for t, n in b.items())
    return 2 * shared / total if total else 0.0


@cache
def _nlu(locale: str) -> Nlu:
    return Nlu(locale)


def resolve(utterance: str, locale: str = "en-US", today: date | None = None) -> NluResult:
    """Module-level shortcut: `Nlu(locale).resolve(utterance, today)` with a cached Nlu."""
    return _nlu(normalise_locale(locale)).resolve(utterance, today)
