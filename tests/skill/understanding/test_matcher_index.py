"""The matcher's sample index (hipcoach.understanding.matcher._SampleIndex) only saves time: every
reading is the one a scan of the whole catalogue gives."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pytest

from hipcoach.understanding import matcher

TODAY = date(2026, 11, 20)
WORDS = (
    "the outside of my hip",
    "no fever or swelling, nothing like that",
    "on the side of my hip, no wait, it's more at the front",
    "can I take ibuprofen for my hip",
    "is running downhill bad for my hip",
    "what pace should I run my marathon at",
    "it's like a seven out of ten",
    "about two weeks",
    "since last tuesday",
    "i fell and i can't put weight on it",
    "yeah it clicks when I swing my leg",
    "um well I guess not",
    "should I wear a hip brace when I run",
    "start the stretch routine",
    "how many miles are on my trainers",
    "I have bursitus i think",
    "tell me a joke",
)


class _FullScan(matcher._SampleIndex):
    """The scan the index replaces: every sample, in catalogue order, with the tests the matcher
    made of each one (literals all said; slot types all spotted, or a term shared)."""

    def exact_candidates(self, present: set[str]) -> list[matcher.Sample]:
        return [s for s in self.samples if present.issuperset(s.literals)]

    def close_candidates(self, terms: set[str], spotted: Iterable[str]) -> list[matcher.Sample]:
        types = set(spotted)
        return [
            s
            for s in self.samples
            if not matcher._is_carrier(s)
            and all(slot.type in types for slot in s.slots)
            and (s.slots or terms.intersection(matcher.Nlu._terms(s.literals, s.slots)))
        ]


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_the_index_reads_as_the_full_scan(locale: str) -> None:
    indexed = matcher.Nlu(locale)
    scanned = matcher.Nlu(locale)
    scanned._index.__class__ = _FullScan
    for words in WORDS:
        assert indexed.resolve(words, TODAY) == scanned.resolve(words, TODAY), words
