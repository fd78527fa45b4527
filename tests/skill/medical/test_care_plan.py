"""The care plan (issue 22): the rules decide the whole journey; no later answer lowers the level
in force except the runner saying a professional who can end it has seen the hip (a doctor or
emergency care for an urgent or emergency level)."""

from __future__ import annotations

import ast
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipcoach.medical.care_plan import Contact, History, care_plan, plan_rulebook
from hipcoach.medical.knowledge import LEVELS, knowledge
from hipcoach.speech.texts import Texts

ROOT = Path(__file__).resolve().parents[3]
SEEDS = Path("/work/shared/seeds") if Path("/work/shared/seeds").exists() else ROOT / "seeds"
DAY1 = date(2026, 3, 2)


def _rank(level: str) -> int:
    return LEVELS.index(level)


def _after(level: str, *contacts: Contact, condition: str | None = None) -> History:
    return History(contacts=(Contact(DAY1, check_level=level, condition=condition), *contacts))


# ---- every citation is checked against its seed's text ----------------------------------------


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("“", '"').replace("”", '"')).strip()


def _seed_texts() -> dict[str, str]:
    src = knowledge().sources
    found = {}
    for name in src:
        path = SEEDS / name
        if path.exists():
            found[name] = _normal(path.read_text(encoding="utf-8"))
    return found


def test_every_quote_is_in_its_seed():
    seeds = _seed_texts()
    if not seeds:
        pytest.skip("seed articles not on this machine")
    quoted = [rule for rule in plan_rulebook().rules if rule.meta.get("quote")]
    assert len(quoted) >= 90  # the triage, scoring and care-plan rules
    for rule in quoted:
        source, quote = rule.meta["source"], _normal(rule.meta["quote"])
        assert quote in seeds[source], (rule.id, source, quote)


def test_every_care_plan_triage_and_scoring_rule_says_why_and_quotes_its_seed():
    for rule in plan_rulebook().rules:
        sets_level = any(a.fact in ("triage", "condition_score") for a in rule.then)
        if "care_plan_rules" in str(rule.file) or sets_level:
            assert rule.meta.get("why") and rule.meta.get("quote"), rule.id
            assert rule.meta.get("source") in knowledge().sources, rule.id


# ---- the level in force ------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["urgent", "emergency"])
@pytest.mark.parametrize("progress", ["better", "gone", "same"])
def test_better_never_lowers_urgent_or_emergency(level, progress):
    plan = care_plan(
        {}, _after(level, Contact(DAY1 + timedelta(1), followup=progress)), DAY1 + timedelta(1)
    )
    assert plan.level == level
    assert plan.routines == ()
    assert plan.running.startswith("no_running")
    # "the same" is not met with "glad it's easing"
    expected = {"urgent": "same_urgent" if progress == "same" else "still_urgent"}
    assert plan.followup == expected.get(level, "still_emergency")


# Who the runner says has seen the hip (findings of content/rules/vocabulary.yaml), by kind.
THERAPIST, UNSPECIFIED = "seen_therapist", "professional_seen"
DOCTOR, EMERGENCY_CARE = "seen_doctor", "seen_emergency_care"
KINDS = (THERAPIST, UNSPECIFIED, DOCTOR, EMERGENCY_CARE)
# What each kind can end (issue 22, the blind clinician's finding): any professional a "see a
# professional" level; only a doctor or emergency care an urgent or emergency one (a physio
# cannot rule out a suspected fracture or joint infection).
ENDS = {
    "self_care": set(KINDS),
    "see_professional": set(KINDS),
    "urgent": {DOCTOR, EMERGENCY_CARE},
    "emergency": {DOCTOR, EMERGENCY_CARE},
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("level", LEVELS)
def test_only_a_professional_ends_an_earlier_level(level, kind):
    # Was: any professional seen ended every level. Still right for the levels that kind can end
    # (self care on, running as the professional advised); no longer for a physio or an
    # unspecified professional at urgent or emergency: that level stands, with no running, no
    # routine, and a reply that says why a doctor is still needed.
    day2 = DAY1 + timedelta(2)
    seen = care_plan(
        {}, _after(level, Contact(day2, followup="better", seen=frozenset({kind}))), day2
    )
    if kind in ENDS[level]:
        assert seen.level == "self_care"
        assert seen.running == "run_as_professional_advised"
        assert seen.followup == "seen_professional"
        return
    assert seen.level == level
    assert seen.running.startswith("no_running") and seen.routines == ()
    doubt = "unsure" if kind == UNSPECIFIED else "not_doctor"
    assert seen.followup == f"seen_{doubt}_{level}"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("check", "condition"),
    [("urgent", "stress_fracture"), ("emergency", "joint_infection"), ("emergency", None)],
)
def test_a_physio_never_clears_a_suspected_fracture_or_infection(check, condition, kind):
    """The same said alone (no progress), as a note, on a later day: a physio or an unspecified
    professional keeps the level, its running and its routines; a doctor or emergency care ends
    the level, and the rest a suspected fracture or infection called for."""
    day3 = DAY1 + timedelta(3)
    plan = care_plan(
        {}, _after(check, Contact(day3, seen=frozenset({kind})), condition=condition), day3
    )
    if kind in ENDS[check]:
        assert plan.level == "self_care"
        assert plan.running == "run_as_professional_advised"
        assert plan.followup == "seen_professional"
    else:
        assert plan.level == check and plan.routines == ()
        assert plan.running in ("no_running_see_doctor", "no_running_emergency")
        assert plan.followup is not None and plan.followup.startswith("seen_")
        assert plan.followup != "seen_professional"
    # A day later, nothing new said: the same holds (what was said is carried until a check).
    later = care_plan(
        {},
        _after(check, Contact(day3, seen=frozenset({kind})), condition=condition),
        day3 + timedelta(1),
    )
    assert later.level == plan.level and later.running == plan.running


def test_a_physio_then_a_doctor_ends_it_and_a_doctor_then_a_physio_does_not_undo_it():
    day2, day3, day4 = (DAY1 + timedelta(n) for n in (2, 3, 4))
    physio, doctor = (
        Contact(day2, seen=frozenset({THERAPIST})),
        Contact(day3, seen=frozenset({DOCTOR})),
    )
    history = _after("urgent", physio, doctor, condition="stress_fracture")
    assert care_plan({}, history, day2).level == "urgent"
    assert care_plan({}, history, day4).level == "self_care"
    again = _after(
        "urgent", doctor, Contact(day4, seen=frozenset({THERAPIST})), condition="stress_fracture"
    )
    assert care_plan({}, again, day4 + timedelta(1)).level == "self_care"


def test_a_routine_refused_after_a_physio_says_a_doctor_comes_first():
    day2 = DAY1 + timedelta(2)
    plan = care_plan(
        {},
        _after("urgent", Contact(day2, seen=frozenset({THERAPIST})), condition="stress_fracture"),
        day2,
    )
    reason = plan.why_not("strength")
    assert reason is not None and "doctor" in reason.text


def test_worse_after_urgent_stays_urgent_and_says_today():
    day3 = DAY1 + timedelta(3)
    plan = care_plan({}, _after("urgent", Contact(day3, followup="worse")), day3)
    assert plan.level == "urgent" and plan.followup == "worse_urgent"


def test_worse_raises_self_care_on_any_day():
    day2 = DAY1 + timedelta(2)
    plan = care_plan({}, _after("self_care", Contact(day2, followup="worse")), day2)
    assert plan.level == "see_professional" and plan.escalation == "see_professional"


@pytest.mark.parametrize("days", [7, 10, 20])
def test_about_the_same_raises_self_care_once_it_has_had_its_week(days):
    """Decision b (docs/clinical-review.md): "about the same" a week or more after a self-care
    check is not improving despite self-treatment (002) and calls for a professional."""
    later = DAY1 + timedelta(days)
    plan = care_plan({}, _after("self_care", Contact(later, followup="same")), later)
    assert plan.level == "see_professional" and plan.escalation == "see_professional"
    assert plan.followup == "same_see_professional"


@pytest.mark.parametrize("days", [1, 2, 6])
def test_about_the_same_the_day_after_self_care_does_not_raise_it(days):
    """Decision b: the day after a self-care check, "about the same" is too early to say self
    care has failed: self care stays, with when to be seen; running stays the easy-if-pain-free."""
    later = DAY1 + timedelta(days)
    plan = care_plan(
        {},
        _after("self_care", Contact(later, followup="same"), condition="trochanteric_bursitis"),
        later,
    )
    assert plan.level == "self_care" and plan.escalation is None
    assert plan.followup == "same_early"
    assert plan.running == "run_easy_if_pain_free"


def test_about_the_same_raises_it_once_the_pain_has_lasted_more_than_a_week():
    """The pain began before the check (the runner said how long): more than a week in all."""
    check = Contact(DAY1, check_level="self_care", pain_started=DAY1 - timedelta(6))
    day2 = DAY1 + timedelta(2)
    plan = care_plan({}, History((check, Contact(day2, followup="same"))), day2)
    assert plan.level == "see_professional" and plan.followup == "same_see_professional"
    within = Contact(DAY1, check_level="self_care", pain_started=DAY1 - timedelta(3))
    plan = care_plan({}, History((within, Contact(day2, followup="same"))), day2)
    assert plan.level == "self_care"


@pytest.mark.parametrize("level", ["see_professional", "urgent", "emergency"])
def test_about_the_same_the_next_day_never_lowers_a_higher_level(level):
    day2 = DAY1 + timedelta(1)
    plan = care_plan({}, _after(level, Contact(day2, followup="same")), day2)
    assert plan.level == level and plan.followup != "same_early"


CONTACT = st.builds(
    lambda gap, kind, level, progress, settled, seen: (gap, kind, level, progress, settled, seen),
    st.integers(min_value=0, max_value=10),
    st.sampled_from(["check", "followup"]),
    st.sampled_from(LEVELS),
    st.sampled_from(["gone", "better", "same", "worse"]),
    st.booleans(),
    st.frozensets(st.sampled_from(KINDS), max_size=2),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(CONTACT, min_size=1, max_size=6))
def test_no_sequence_of_later_answers_lowers_the_level_in_force(steps):
    """The level in force after each contact is never below the one before (within the follow-up
    window), unless the runner has said that someone who can end that level has seen the hip: a
    physio or an unspecified professional never ends an urgent or emergency level."""
    day = DAY1
    contacts: list[Contact] = []
    previous = None
    carried: frozenset[str] = frozenset()  # who has seen it since the last check
    for gap, kind, level, progress, settled, seen in steps:
        day += timedelta(days=gap)
        if kind == "check":
            contacts.append(Contact(day, check_level=level, sharp_pain_settled=settled, seen=seen))
            in_force, carried = seen, frozenset()  # said with a check: before it, not carried
        else:
            contacts.append(Contact(day, followup=progress, sharp_pain_settled=settled, seen=seen))
            carried |= seen
            in_force = carried
        plan = care_plan({}, History(tuple(contacts)), day)
        if previous is not None and not in_force & ENDS[previous]:
            assert _rank(plan.level) >= _rank(previous), (steps, plan.level, previous)
        previous = plan.level


# ---- routines and running ----------------------------------------------------------------------


@pytest.mark.parametrize("level", ["urgent", "emergency"])
def test_no_routine_while_urgent(level):
    plan = care_plan({}, _after(level), DAY1)
    assert plan.routines == ()


def test_stress_fracture_picture_is_urgent_no_running_no_routine():
    findings = {
        "pain_location": "groin",
        "pain_timing": "at_rest",
        "night_pain": True,
        "worsening": True,
        "mileage_increase_pct": 40,
    }
    plan = care_plan(findings, None, DAY1)
    assert plan.level == "urgent" and plan.check_level == "urgent"
    assert plan.leader == "stress_fracture"
    assert plan.running == "no_running_see_doctor" and plan.routines == ()


def test_suspected_fracture_alone_is_urgent():
    plan = care_plan({"pain_location": "deep_joint"}, None, DAY1)
    assert plan.leader == "stress_fracture" and plan.level == "urgent" and plan.routines == ()


def test_no_stretching_a_fresh_strain_then_allowed_once_settled():
    strain = {"pain_location": "front_hip", "onset": "sudden", "pain_lifting_leg": True}
    fresh = care_plan(strain, None, DAY1)
    assert fresh.leader == "hip_flexor_strain"
    assert not fresh.allows("stretch") and not fresh.allows("strength")
    later = care_plan(
        {},
        _after(
            "self_care",
            Contact(DAY1 + timedelta(5), sharp_pain_settled=True),
            condition="hip_flexor_strain",
        ),
        DAY1 + timedelta(5),
    )
    assert later.allows("stretch") and later.allows("strength")


def test_sore_muscles_are_stretched_gently_as_tonight_says_unless_the_pain_is_sharp():
    # 000: "use gentle stretching and foam rolling to ease tight muscles"; tonight's advice for
    # soreness says to stretch, so the plan must not refuse a stretch the next day
    sore = {
        "pain_quality": "dull_ache",
        "pain_severity": 4,
        "eases_with_rest": True,
        "pain_days": 2,
    }
    plan = care_plan(sore, None, DAY1)
    assert plan.leader == "muscle_soreness"
    assert plan.allows("stretch") and not plan.allows("strength")
    sharp = care_plan({**sore, "pain_quality": "sharp", "pain_severity": 7}, None, DAY1)
    assert sharp.leader == "muscle_soreness" and not sharp.allows("stretch")


def test_strength_only_once_the_sharp_pain_has_settled():
    bursitis = {"pain_location": "outer_hip", "tender_outer_hip": True, "worse_lying_on_side": True}
    unknown = care_plan(bursitis, None, DAY1)
    assert unknown.allows("stretch") and not unknown.allows("strength")
    for severity in (6, 7):  # no threshold in Python: both come from the same rules
        sharp = care_plan(
            {**bursitis, "pain_quality": "sharp", "pain_severity": severity}, None, DAY1
        )
        assert not sharp.allows("strength")
    said = care_plan({**bursitis, "sharp_pain_settled": True}, None, DAY1)
    assert said.allows("strength") and said.pain_settled


def test_this_hurts_during_a_routine_stops_it():
    plan = care_plan({"pain_during_routine": True}, _after("self_care"), DAY1)
    assert plan.stop_routine and plan.routines == ()
    assert plan.running == "rest_until_pain_free"


# ---- warning signs and serious history ----------------------------------------------------------


@pytest.mark.parametrize(
    "finding",
    [
        "clicking",
        "giving_way",
        "bruising",
        "reduced_range_of_motion",
        "leg_weakness",
        "cancer_history",
        "steroid_use",
    ],
)
def test_warning_signs_need_a_professional_but_are_not_an_emergency(finding):
    plan = care_plan({finding: True}, None, DAY1)
    assert plan.level == "see_professional", finding


def test_reduced_range_is_not_cannot_move():
    assert care_plan({"reduced_range_of_motion": True}, None, DAY1).level != "emergency"
    assert care_plan({"cannot_move_leg": True}, None, DAY1).level == "emergency"


def test_serious_history_is_marked_as_judgement():
    plan = care_plan({"cancer_history": True, "night_pain": True}, None, DAY1)
    assert plan.level == "urgent"
    assert any(r.judgement for r in plan.reasons if "cancer" in r.rule)


def test_explanations_only_from_what_was_said():
    plan = care_plan({"pain_quality": "sharp", "pain_severity": 9}, None, DAY1)
    words = " ".join(r.text for r in plan.reasons)
    assert "burning" not in words and "fall" not in words and "mild" not in words


# ---- the plan's words exist in both locales ----------------------------------------------------


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_every_conclusion_has_words(locale):
    facts = plan_rulebook().vocabulary.facts
    texts = Texts(locale)
    numbers = {"emergency_number": "N", "urgent_care_number": "N"}
    for value in facts["running"].values:
        assert texts.get(f"care_plan.running_{value}", **numbers)
    for value in facts["followup_says"].values:
        assert texts.get(f"care_plan.followup_{value}", **numbers)


# ---- no medicine in skill Python ---------------------------------------------------------------

# Files that may still name a level id, each with why. Condition ids: none anywhere.
# Every level id a module of the skill may hold, with why (none: the levels' order and which parts
# of a result each says are content/level_order.yaml, read by hipcoach.medical.level_order).
ALLOWED_LEVEL_IDS: dict[str, str] = {}


def test_no_level_or_condition_id_in_skill_python():
    levels = set(LEVELS)
    conditions = set(plan_rulebook().vocabulary.facts["leading_condition"].values)
    offenders = []
    for path in sorted((ROOT / "skill" / "hipcoach").rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and (
                    node.value in conditions
                    or (node.value in levels and rel not in ALLOWED_LEVEL_IDS)
                )
            ):
                offenders.append((rel, node.lineno, node.value))
    assert not offenders


MEDICAL_NUMBERS = re.compile(r"(severity|pain_days|mileage|pain)\w*\s*(>=|<=|>|<)\s*\d")


def test_no_clinical_threshold_in_skill_python():
    offenders = [
        (str(path.relative_to(ROOT)), line)
        for path in sorted((ROOT / "skill" / "hipcoach").rglob("*.py"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if MEDICAL_NUMBERS.search(line)
    ]
    assert not offenders


def test_a_stored_value_the_rules_no_longer_know_is_dropped_not_fatal():
    old = History(
        (
            Contact(DAY1, check_level="urgent", condition="renamed_cause", location="nowhere"),
            Contact(DAY1 + timedelta(1), followup="better", location="nowhere"),
        )
    )
    plan = care_plan({}, old, DAY1 + timedelta(1))
    assert plan.level == "urgent" and plan.followup == "still_urgent"


def test_a_refused_routine_is_given_its_own_reason():
    """Refusing a stretch gives the stretching limit, never the strengthening one (issue 22)."""
    strain = {"pain_location": "front_hip", "onset": "sudden", "pain_lifting_leg": True}
    plan = care_plan(strain, None, DAY1)
    assert plan.leader == "hip_flexor_strain"
    assert not plan.allows("stretch") and not plan.allows("strength")
    stretch, strength = plan.why_not("stretch"), plan.why_not("strength")
    assert stretch is not None and stretch.value in {"no_stretch", "no_routine"}
    assert strength is not None and strength.value in {"no_strength", "no_routine"}
    assert "stretch" in stretch.text and "strengthening" not in stretch.text


def test_a_strain_rests_from_running_until_its_pain_has_settled():
    strain = {"pain_location": "front_hip", "onset": "sudden", "pain_lifting_leg": True}
    assert care_plan(strain, None, DAY1).running == "rest_until_pain_free"
    said = care_plan({**strain, "sharp_pain_settled": True}, None, DAY1)
    assert said.running == "run_easy_if_pain_free"
    assert said.running_reasons and all(r.value == said.running for r in said.running_reasons)
