"""The indexes the understanding builds once per model or trigger table (performance: a turn would
otherwise rescan every slot type) answer exactly what the scans they replace answered."""

from __future__ import annotations

import pytest

from hipcoach.understanding.context import triggers
from hipcoach.understanding.matcher import FINDING_TYPE, load_model


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_slot_type_indexes_match_a_full_scan(locale: str) -> None:
    model = load_model(locale)
    for slot_type, phrases in model.slot_types.items():
        scanned = {value.id: value for value, _ in phrases.values()}
        assert model.slot_type_values(slot_type) == scanned
        for value_id in scanned:
            assert slot_type in model.types_of_value[value_id]
    holders = {t for types in model.types_of_value.values() for t in types}
    assert holders == {t for t, phrases in model.slot_types.items() if phrases}
    finding_ids = model.slot_type_values(FINDING_TYPE)
    assert finding_ids, "the catalogue names its findings"
    for bare in {i.split("=", 1)[-1] for i in finding_ids} | {"no_such_value"}:
        scanned_ids = [i for i in finding_ids if i.split("=", 1)[-1] == bare]
        assert list(model.ids_named(FINDING_TYPE, bare)) == scanned_ids


def test_a_copy_of_the_values_leaves_the_index_alone() -> None:
    model = load_model("en-US")
    values = model.slot_type_values(FINDING_TYPE)
    values.clear()
    assert model.slot_type_values(FINDING_TYPE)


def test_trigger_lengths_cover_every_trigger() -> None:
    table = triggers()
    negation = table.terms[("negated", "forward")]
    assert set(table.negation_lengths) == {len(p) for p in negation}
    assert set(table.clause_start_lengths) == {len(p) for p in table.clause_starts}
    every = [*table.terminations, *(p for ps in table.terms.values() for p in ps)]
    assert table.longest == max(len(p) for p in every)


def test_negation_checks_by_length_agree_with_the_phrase_scan() -> None:
    table = triggers()
    negation = table.terms[("negated", "forward")]
    lengths = table.negation_lengths
    openings = {("my", "hip"), ("no",), ("hip",)}
    for phrase in sorted(negation)[:60]:
        openings |= {phrase, (*phrase, "swelling"), ("the", *phrase), ("a", *phrase, "b")}
    for opening in sorted(openings):
        scanned_negates = any(opening[: len(p)] == p and len(p) < len(opening) for p in negation)
        scanned_own = any(
            opening[k : k + len(p)] == p for p in negation for k in range(len(opening))
        )
        assert scanned_negates == any(opening[:n] in negation for n in lengths if n < len(opening))
        assert scanned_own == any(
            opening[k : k + n] in negation for n in lengths for k in range(len(opening) - n + 1)
        )
