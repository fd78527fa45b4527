"""The clinical review decisions of helper clinic26 (docs/clinical-review.md), each as the care
plan's behaviour and as the words runners use:

(a) an ambulance crew's check ends an emergency level (it becomes urgent) but never an urgent one
    nor a suspected fracture: only an assessment that can image it (a doctor, emergency or urgent
    care) does;
(b) "about the same" raises a self-care level only once self care has had its week (or the pain
    has lasted more than a week), never the day after;
(c) the NHS's urgent treatment centres, minor injuries units and walk-in centres are urgent care
    (they end an urgent level), and locales without an urgent care number never hear their
    emergency number as one;
(d) numbness with a weak foot (foot drop) is the weak-leg nerve picture: urgent;
(e) after emergency care the run answer defers to the advice given, and to a doctor or physio
    when none was, never to "ask them".
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipcoach.medical.care_plan import Contact, History, care_plan
from hipcoach.medical.knowledge import LEVELS
from hipcoach.medical.triage import triage
from hipcoach.speech.locales import policy
from hipcoach.speech.texts import Texts
from hipcoach.understanding import Context, understand

DAY1 = date(2026, 11, 2)
CREW, ER, DOCTOR = "seen_ambulance_crew", "seen_emergency_care", "seen_doctor"
THERAPIST, UNSPECIFIED = "seen_therapist", "professional_seen"
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IE", "en-IN")


def _rank(level: str) -> int:
    return LEVELS.index(level)


def _after(level: str, *later: Contact, condition: str | None = None) -> History:
    return History((Contact(DAY1, check_level=level, condition=condition), *later))


def _read(words: str, locale: str, asking: str | None = None) -> dict[str, Any]:
    mode = "followup" if asking is None else "interview"
    context = Context(today=DAY1, locale=locale, mode=mode, asking=asking)
    return dict(understand(words, "UtteranceIntent", None, context).values())


# ---- (a) an ambulance crew -----------------------------------------------------------------


@pytest.mark.parametrize("condition", ["fracture_or_dislocation", "stress_fracture", None])
def test_a_crew_ends_the_emergency_but_not_the_suspicion(condition):
    day2 = DAY1 + timedelta(1)
    told = Contact(day2, followup="better", seen=frozenset({CREW}))
    plan = care_plan({}, _after("emergency", told, condition=condition), day2)
    assert plan.level == "urgent"
    assert plan.running == "no_running_see_doctor" and plan.routines == ()
    assert plan.followup == "seen_crew_urgent"
    # Days later, nothing new said: still urgent.
    later = care_plan({}, _after("emergency", told, condition=condition), day2 + timedelta(3))
    assert later.level == "urgent" and later.routines == ()


@pytest.mark.parametrize("progress", [None, "better", "gone", "same"])
def test_a_crew_never_ends_an_urgent_suspected_stress_fracture(progress):
    day2 = DAY1 + timedelta(2)
    told = Contact(day2, followup=progress, seen=frozenset({CREW}))
    plan = care_plan({}, _after("urgent", told, condition="stress_fracture"), day2)
    assert plan.level == "urgent" and plan.running == "no_running_see_doctor"
    assert plan.routines == ()
    assert plan.followup in ("seen_crew_urgent", "worse_urgent")


@pytest.mark.parametrize("after", [ER, DOCTOR])
def test_after_the_crew_an_assessment_that_can_image_it_ends_it(after):
    day2, day3 = DAY1 + timedelta(1), DAY1 + timedelta(2)
    history = _after(
        "emergency",
        Contact(day2, seen=frozenset({CREW})),
        Contact(day3, seen=frozenset({after})),
        condition="fracture_or_dislocation",
    )
    plan = care_plan({}, history, day3)
    assert plan.level == "self_care" and plan.running == "run_as_professional_advised"


def test_worse_after_the_crew_says_see_a_doctor_today():
    day2, day3 = DAY1 + timedelta(1), DAY1 + timedelta(2)
    history = _after(
        "emergency",
        Contact(day2, seen=frozenset({CREW})),
        Contact(day3, followup="worse"),
        condition="stress_fracture",
    )
    plan = care_plan({}, history, day3)
    assert plan.level == "urgent" and plan.followup == "worse_urgent"


KINDS = (CREW, ER, DOCTOR, THERAPIST, UNSPECIFIED)
# The lowest level each kind may leave after a level in force (anything below is a lowering).
FLOOR = {
    "self_care": dict.fromkeys(KINDS, "self_care"),
    "see_professional": dict.fromkeys(KINDS, "self_care"),
    "urgent": {
        CREW: "urgent",
        ER: "self_care",
        DOCTOR: "self_care",
        THERAPIST: "urgent",
        UNSPECIFIED: "urgent",
    },
    "emergency": {
        CREW: "urgent",
        ER: "self_care",
        DOCTOR: "self_care",
        THERAPIST: "emergency",
        UNSPECIFIED: "emergency",
    },
}
STEP = st.tuples(
    st.integers(min_value=0, max_value=6),
    st.sampled_from(["gone", "better", "same", "worse", None]),
    st.frozensets(st.sampled_from(KINDS), max_size=2),
)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(LEVELS), st.lists(STEP, min_size=1, max_size=5))
def test_no_later_answer_lowers_the_level_below_what_who_saw_it_can_end(level, steps):
    """Whatever is said later, the level in force never falls below the floor of the kinds of care
    said since the check: a crew never takes an urgent level down, nor an emergency below urgent."""
    day, contacts = DAY1, [Contact(DAY1, check_level=level, condition="stress_fracture")]
    previous, seen = level, frozenset[str]()
    for gap, progress, kinds in steps:
        day += timedelta(days=gap)
        contacts.append(Contact(day, followup=progress, seen=kinds))
        seen |= kinds
        plan = care_plan({}, History(tuple(contacts)), day)
        floor = min((FLOOR[previous][k] for k in seen), key=_rank, default=previous)
        assert _rank(plan.level) >= _rank(floor), (level, steps, plan.level, previous)
        previous = plan.level


CREW_WORDS = [
    ("en-GB", "the paramedics came out and checked me over, they said it's not broken"),
    ("en-GB", "the ambulance crew had a look and said it was fine"),
    ("en-US", "the paramedics checked me over"),
    ("en-US", "the EMTs checked me"),
]
TAKEN_ON_WORDS = [
    ("en-GB", "the paramedics took me to hospital"),
    ("en-US", "the paramedics took me to the ER"),
]


@pytest.mark.parametrize(("locale", "words"), CREW_WORDS)
def test_a_crew_is_read_as_a_crew_not_as_emergency_care(locale, words):
    values = _read(words, locale)
    assert values.get(CREW) is True, values
    assert ER not in values and DOCTOR not in values


@pytest.mark.parametrize(("locale", "words"), TAKEN_ON_WORDS)
def test_a_crew_that_took_the_runner_to_hospital_is_emergency_care(locale, words):
    assert _read(words, locale).get(ER) is True


# ---- (c) NHS urgent care, and each locale's own services -------------------------------------

NHS_URGENT_CARE = [
    "I went to the minor injuries unit and they x-rayed it",
    "I was seen at the walk in centre",
    "been to the urgent treatment centre",
]


@pytest.mark.parametrize("words", NHS_URGENT_CARE)
def test_nhs_urgent_care_ends_an_urgent_suspected_stress_fracture(words):
    values = _read(words, "en-GB")
    assert values.get(ER) is True, values
    seen = frozenset(k for k, v in values.items() if v is True)
    day2 = DAY1 + timedelta(1)
    plan = care_plan(
        {},
        _after("urgent", Contact(day2, followup="better", seen=seen), condition="stress_fracture"),
        day2,
    )
    assert plan.level == "self_care" and plan.running == "run_as_professional_advised"


def _care_plan_keys() -> list[str]:
    from hipcoach.medical.care_plan import plan_rulebook

    facts = plan_rulebook().vocabulary.facts
    return [f"care_plan.followup_{v}" for v in facts["followup_says"].values] + [
        f"care_plan.running_{v}" for v in facts["running"].values
    ]


@pytest.mark.parametrize("locale", LOCALES)
def test_no_locale_hears_its_emergency_number_as_an_urgent_care_line(locale):
    """A locale without an urgent care number (content/locales.yaml) is never told to call one:
    the reply would otherwise put its emergency number there ("if you can't get an appointment,
    call 000")."""
    texts = Texts(locale)
    local = policy(locale)
    for key in _care_plan_keys():
        said = texts.get(key, emergency_number="EMERGENCY", urgent_care_number="URGENTLINE")
        assert said, key
        if local.urgent_care_number is None:
            assert "URGENTLINE" not in said, (locale, key)


def test_the_uk_urgent_result_names_nhs_urgent_care():
    from hipcoach.dialog.result_speech import action_sentences

    said = " ".join(action_sentences("urgent", "en-GB"))
    assert "111" in said and "urgent treatment centre" in said
    assert "111" not in " ".join(action_sentences("urgent", "en-AU"))


# ---- (d) numbness with a weak foot -----------------------------------------------------------

WEAK_FOOT = [
    ("en-US", "my leg is numb and my foot feels weak"),
    ("en-GB", "I've got pins and needles down my leg and I can't lift my foot properly, it flops"),
    ("en-US", "it's tingling down my leg and my foot drags"),
]


@pytest.mark.parametrize(("locale", "words"), WEAK_FOOT)
def test_numbness_with_a_weak_foot_is_urgent(locale, words):
    values = _read(words, locale)
    assert values.get("numbness_or_tingling") is True and values.get("leg_weakness") is True
    assert values.get("cannot_move_leg") is None, values  # weak, not unable to move
    assert triage(values)["triage"] == "urgent"


def test_a_weak_foot_answers_the_weakness_question():
    assert _read("yes my foot drags", "en-US", asking="leg_weakness").get("leg_weakness") is True


# ---- (e) the run answer after emergency care -------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_after_emergency_care_the_run_answer_defers_without_asking_the_er_again(locale):
    day2 = DAY1 + timedelta(1)
    history = _after("emergency", Contact(day2, seen=frozenset({ER})), condition=None)
    plan = care_plan({}, history, day2)
    assert plan.running == "run_as_professional_advised"
    said = plan.words("running", Texts(locale))
    assert "asked them" not in said and "who saw your hip" not in said
    assert "advice you were given" in said and "don't run until" in said


# ---- "should I see a doctor?": every red flag of the rules, with the locale's numbers --------


@pytest.mark.parametrize("locale", LOCALES)
def test_see_a_doctor_names_the_signs_that_need_several_findings(locale):
    """The answer is built from the triage rules: a sign that needs several findings (numbness
    with a weak leg or foot, the stress-fracture picture) is named at the level its rule sets."""
    from hipcoach.medical.triage import signs_for

    urgent, emergency = (
        " ".join(signs_for("urgent", locale)),
        " ".join(signs_for("emergency", locale)),
    )
    assert "weak leg or foot" in urgent and "at rest or at night" in urgent
    assert "bladder or bowel" in emergency and "weak leg or foot" not in emergency


def test_every_named_sign_is_said_at_the_level_its_rule_sets():
    from hipcoach.medical.knowledge import knowledge

    signed = [rule for rule in knowledge().rules.values() if rule.sign]
    assert len(signed) >= 4
    for rule in signed:
        assert rule.triage in LEVELS and len(rule.findings) > 1, rule.id
    assert triage({"numbness_or_tingling": True, "leg_weakness": True})["triage"] == "urgent"
    picture = {"pain_location": "groin", "night_pain": True, "worsening": True}
    assert triage(picture)["triage"] == "urgent"


def test_a_bruised_hip_gets_no_routine_until_seen():
    """Bruising (000: a labral tear, tendon rupture or stress fracture): see a professional, no
    running, and no exercises at all until a professional has seen it."""
    plan = care_plan({"bruising": True, "pain_location": "outer_hip"}, None, DAY1)
    assert plan.level == "see_professional" and plan.routines == ()
    reason = plan.why_not("stretch")
    assert reason is not None and "bruising" in reason.text
    seen = care_plan({"bruising": True, "pain_location": "outer_hip", THERAPIST: True}, None, DAY1)
    assert "bruising" not in " ".join(r.text for r in seen.limits)


def test_every_seed_sentence_quoted_in_the_review_is_in_its_seed():
    """docs/clinical-review.md quotes seeds as `NNN "sentence"`: each must be in that seed."""
    import re
    from pathlib import Path

    seeds_dir = Path("/work/shared/seeds")
    root = Path(__file__).resolve().parents[3]
    if not seeds_dir.exists():
        seeds_dir = root / "seeds"
    if not seeds_dir.exists():
        pytest.skip("seed articles not on this machine")

    def normal(text: str) -> str:
        text = text.replace("’", "'").replace("“", '"').replace("”", '"')
        return re.sub(r"\s+", " ", text)

    seeds = {p.name[:3]: normal(p.read_text(encoding="utf-8")) for p in seeds_dir.glob("*.txt")}
    review = normal((root / "docs" / "clinical-review.md").read_text(encoding="utf-8"))
    quotes = re.findall(r'(\d{3})(?:\'s)? "([^"]+)"', review)
    assert len(quotes) >= 7
    for seed, quote in quotes:
        assert quote in seeds[seed], (seed, quote)


def test_every_condition_and_level_statement_quotes_its_seed():
    """The clinician table's run, recovery and level rows quote the seed sentence behind them."""
    import re
    from pathlib import Path

    from hipcoach.medical.knowledge import knowledge

    seeds_dir = Path("/work/shared/seeds")
    if not seeds_dir.exists():
        pytest.skip("seed articles not on this machine")

    def normal(text: str) -> str:
        text = text.replace("’", "'").replace("“", '"').replace("”", '"')
        return re.sub(r"\s+", " ", text)

    for cid, condition in knowledge().conditions.items():
        for statement in (condition.ok_to_run, condition.recovery):
            assert statement.quote, (cid, statement.text)
            seed = normal((seeds_dir / statement.source).read_text(encoding="utf-8"))
            assert normal(statement.quote) in seed, (cid, statement.quote)
    for level in knowledge().levels.values():
        assert level.quote, level.id
        seed = normal((seeds_dir / level.source).read_text(encoding="utf-8"))
        assert normal(level.quote) in seed, (level.id, level.quote)
