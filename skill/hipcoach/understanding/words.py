"""Spoken values as Alexa's built-in slot types carry them: AMAZON.NUMBER, AMAZON.DURATION and
AMAZON.DATE, parsed from words (the local NLU, and simulators that pass a duration through as the
spoken words) and read back as numbers of days. Runs on a device's request; needs no model."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache

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
# Contractions typed without their apostrophe ("cant", "doesnt", "im", "its"), as runners type
# them into the console or a chat, read as the contraction. Left out: words of their own that the
# bare form would hide ("ill", "id", "well", "were", "shell", "hell", "wed").
_BARE_NOT: tuple[str, ...] = ("don", "doesn", "didn", "isn", "wasn", "aren", "weren", "haven")
_BARE_NOT += ("hasn", "hadn", "wouldn", "couldn", "shouldn", "mustn", "needn", "ain")
_CONTRACTIONS.update({f"{stem}t": (stem[:-1], "not") for stem in _BARE_NOT})  # as "n't" reads
_CONTRACTIONS.update({"cant": ("can", "not"), "wont": ("will", "not"), "shant": ("shall", "not")})
_CONTRACTIONS.update(
    {
        "im": ("i", "am"),
        "ive": ("i", "have"),
        "youre": ("you", "are"),
        "youve": ("you", "have"),
        "theyre": ("they", "are"),
        "theyve": ("they", "have"),
        "weve": ("we", "have"),
        "its": ("it", "is"),
        "itll": ("it", "will"),
        "thats": ("that", "is"),
        "whats": ("what", "is"),
        "wheres": ("where", "is"),
        "hows": ("how", "is"),
        "theres": ("there", "is"),
        "heres": ("here", "is"),
        "shes": ("she", "is"),
        "hes": ("he", "is"),
        "lets": ("let", "us"),
    }
)
_SUFFIXES: tuple[tuple[str, str], ...] = (("n't", "not"), ("'re", "are"), ("'ve", "have"))
_SUFFIXES += (("'ll", "will"), ("'d", "would"), ("'m", "am"), ("'s", "is"))


def _expand(token: str) -> tuple[str, ...]:
    if token in _CONTRACTIONS:
        return _CONTRACTIONS[token]
    for suffix, word in _SUFFIXES:
        if token.endswith(suffix) and len(token) > len(suffix):
            return (token[: -len(suffix)], word)
    return (token,)


@lru_cache(maxsize=4096)  # a turn tokenises the same words, and the same content phrases, often
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


# "a good fortnight", "a full month", "a solid two weeks": the span as long as said, stressed
_SPAN_STRESS = frozenset(("a", w) for w in ("good", "full", "solid", "whole"))


def parse_duration(words: str | Sequence[str]) -> str | None:
    """An ISO-8601 duration as AMAZON.DURATION gives it: "two weeks" -> P2W."""
    seq = tokens(words) if isinstance(words, str) else tuple(words)
    if seq[:1] == ("the",):
        seq = seq[1:]
    if seq[:1] in (("last",), ("past",)) and len(seq) > 2:  # "the past two weeks"
        seq = seq[1:]
    if seq[:2] in _SPAN_STRESS:  # "a good fortnight", "a full two weeks"
        rest = seq[2:]
        seq = ("a", *rest) if len(rest) == 1 else rest
    half = 0.0
    if len(seq) > 3 and seq[-3:] in (("and", "a", "half"), ("and", "a", "bit")):
        # "a week and a half"; "a week and a bit" is a little more: a quarter of the unit
        seq, half = seq[:-3], 0.5 if seq[-1] == "half" else 0.25
        if len(seq) == 1:  # "week and a half"
            seq = ("a", *seq)
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
    total = (amount + half) * factor
    if unit == "W" and not float(total).is_integer():
        return _iso_duration(total * 7, "D")
    return _iso_duration(total, unit)


def duration_days(value: str | None) -> int | None:
    """An AMAZON.DURATION value in whole days, rounded (P2W -> 14, PT16H -> 1), else None."""
    total = duration_in_days(value)
    return None if total is None else round(total)


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


def _day_of_month(seq: Sequence[str], today: date) -> date | None:
    """ "the 20th", "the twentieth": the latest such day up to today (this month or the last)."""
    words = [w for w in seq if w not in ("on", "of")]
    if not words or (words[0] != "the" and not re.fullmatch(r"\d{1,2}(st|nd|rd|th)", words[0])):
        return None  # a bare "20" is a number, not a date
    day = _ordinal([w for w in words if w != "the"])
    if day is None:
        return None
    year, month = today.year, today.month
    for _ in range(2):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate <= today:
            return candidate
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


# "the start of November", "early November", "the end of October": a part of a month as its day
_MONTH_PARTS = {"start": 1, "beginning": 1, "early": 1, "middle": 15, "mid": 15, "end": 31}
_MONTH_PARTS.update({"late": 31})


def _part_of_month(words: Sequence[str], today: date) -> date | None:
    if len(words) != 2 or words[0] not in _MONTH_PARTS or words[1] not in _MONTHS:
        return None
    month = _MONTHS[words[1]]
    for year in (today.year, today.year - 1):
        last = calendar.monthrange(year, month)[1]
        candidate = date(year, month, min(_MONTH_PARTS[words[0]], last))
        if candidate <= today:
            return candidate
    return None


def _calendar_date(seq: Sequence[str], today: date) -> date | None:
    words = [w for w in seq if w not in ("the", "of", "on")]
    if len(words) == 1 or (words and words[0] in _TENS and not _MONTHS.keys() & set(words)):
        return _day_of_month(seq, today)  # "the twentieth", "the twenty fifth"
    if len(words) < 2:
        return None
    if (part := _part_of_month(words, today)) is not None:
        return part
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
    elif (weekday := _weekday(seq, today)) is not None:
        found = weekday
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


# Words around a weekday that mean the most recent one ("last Friday", "this past Sunday", "like
# Tuesday"), and after it a week earlier still ("the Friday before last", "the Sunday before that",
# "Monday last week", "a week last Saturday").
_RECENT = frozenset(("last", "this", "past", "like", "the"))
_WEEK_EARLIER = (("before", "last"), ("before", "that"), ("before",), ("last", "week"))


def _weekday(seq: Sequence[str], today: date) -> date | None:
    """The weekday said, in the past: a bare weekday is the most recent one (today's weekday is a
    week ago), "the Friday before last" a week before that."""
    at = next((i for i, w in enumerate(seq) if w in _WEEKDAYS), None)
    if at is None or not set(seq[:at]) <= _RECENT:
        return None
    weeks = 0
    rest = tuple(seq[at + 1 :])
    if rest:
        if rest not in _WEEK_EARLIER:
            return None
        weeks = 1
    back = (today.weekday() - _WEEKDAYS[seq[at]]) % 7 or 7
    return today - timedelta(days=back + 7 * weeks)


def days_since(value: str | None, today: date) -> int | None:
    """Days from an AMAZON.DATE value (a day, a week, a weekend, a month or a year) to today.

    A start in the future is the past occurrence: Alexa resolves "since Saturday" to the coming
    Saturday and "since November twentieth" to the next one. A day within the coming week is the
    same weekday a week earlier; any other future start is a year earlier."""
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
    if start is None:
        return None
    if start > today:
        start = start - timedelta(days=7) if (start - today).days < 7 else _year_before(start)
    return max(0, (today - start).days)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def known_words() -> frozenset[str]:
    """Every word the value parsers read (numbers, units, weekdays, months, ordinals): words the
    fuzzy mending must leave as heard."""
    words: set[str] = set()
    for table in (_SMALL, _TENS, _DURATION_UNITS, _WEEKDAYS, _MONTHS, _ORDINALS, _CONTRACTIONS):
        for key in table:
            words.update(key if isinstance(key, tuple) else str(key).split())
    return frozenset(words)
