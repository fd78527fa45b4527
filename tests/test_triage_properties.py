"""Properties of the hip rules: red flags only raise the level; arrival order never matters."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipcoach.medical.knowledge import LEVELS, knowledge
from hipcoach.medical.triage import rulebook, triage

KB = knowledge()

# Each red flag as the finding value that raises the level (rules/triage.yaml).
RED_FLAGS: list[tuple[str, object]] = [
    ("hip_deformed", True),
    ("after_fall_or_injury", True),
    ("cannot_bear_weight", True),
    ("cannot_move_leg", True),
    ("sudden_swelling", True),
    ("fever_or_chills", True),
    ("pain_on_weight_bearing", True),
    ("numbness_or_tingling", True),
    ("pain_severity", 8),
    ("pain_severity", 10),
    ("night_pain", True),
    ("worsening", True),
    ("recurrent", True),
    ("daily_activities_limited", True),
    ("pain_days", 8),
    ("pain_days", 60),
    ("eases_with_rest", False),
    ("pain_radiates", "thigh_or_knee"),
    ("pain_radiates", "lower_back"),
    ("locking_or_catching", True),
    ("giving_way", True),
    ("emergency_screen", True),
    ("urgent_screen", True),
    ("concern_screen", True),
]

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _value(name: str) -> st.SearchStrategy:
    spec = KB.facts[name]
    if spec.type == "boolean":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from(spec.values)
    if spec.type == "integer":
        return st.integers(int(spec.min or 0), int(spec.max if spec.max is not None else 120))
    return st.integers(0, 800) | st.floats(0, 800, allow_nan=False)


findings = st.sets(st.sampled_from(sorted(KB.facts))).flatmap(
    lambda names: st.fixed_dictionaries({name: _value(name) for name in sorted(names)})
)


def _level(facts: dict) -> int:
    return LEVELS.index(triage(facts)["triage"])


@SETTINGS
@given(findings, st.sampled_from(RED_FLAGS))
def test_adding_a_red_flag_never_lowers_the_level(facts, flag):
    name, value = flag
    before = _level(facts)
    after = _level({**facts, name: value})
    assert after >= before
    assert after >= 1  # every red flag means at least "see a professional"


@SETTINGS
@given(findings, st.sampled_from(RED_FLAGS), st.sampled_from(RED_FLAGS))
def test_red_flags_accumulate(facts, first, second):
    one = _level({**facts, first[0]: first[1]})
    both = _level({**facts, first[0]: first[1], second[0]: second[1]})
    assert both >= one or first[0] == second[0]


@SETTINGS
@given(findings, st.randoms(use_true_random=False), st.integers(1, 4))
def test_arrival_order_never_changes_the_result(facts, random, chunks):
    expected = triage(facts)
    items = list(facts.items())
    random.shuffle(items)
    with rulebook().session() as session:
        for index in range(chunks):
            part = dict(items[index::chunks])
            if part:
                session.add(part)
        result = session.result()
        assert result.value("triage") == expected["triage"]
        got = [(key, round(score, 2)) for key, score in result.ranking("condition_score")]
        assert got == [(c["id"], c["score"]) for c in expected["conditions"]]
        assert list(result.value("red_flag")) == expected["red_flags"]
