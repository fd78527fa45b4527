"""The hip triage and scoring rules (content/rules) written by hand for durable-rules, the way a
durable-rules user would: one `ruleset` of `when_all` rules over one fact holding the runner's
findings, actions that raise the level, add to each cause's score and collect the red flags.

The baseline the engine's hip session is measured against (`make bench`), and proved to give
the engine's conclusions (tests/bench/test_hip_hand.py: every vignette in content/cases and
random findings). What it has to handle by hand, because durable-rules does not:
- A finding nobody gave is absent from the fact, and durable-rules cannot test absence reliably
  (`-m.x`, "x does not exist", matches facts that have x and fires for ever; `m.x != True` never
  matches an absent x). The rules that need "not after a fall" read `after_fall_or_injury`,
  and "clicking without catching" reads `locking_or_catching`: the host sends both as null when
  unknown, `(m.x == None) | (m.x == False)`.
- A fact that matches no rule raises MessageNotHandledException: a rule that can never complete
  (a second pattern nothing asserts) takes every fact.
- Screening answers: a "no" to a screen sets the findings it covers (content/rules/askable.yaml),
  which forwardrules' session does; here the host does it before posting.
- durable-rules turns a rule whose test has `|` into one rule per alternative, and each fires:
  every action is guarded to count once per session (`once`), as a forwardrules rule fires once. The Host's timer threads are switched off (they never stop) as in garden_hand.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from durable.engine import Host
from durable.lang import c, m, ruleset, when_all

LEVELS = ["self_care", "see_professional", "urgent", "emergency"]
CAUSES = [
    "muscle_soreness",
    "trochanteric_bursitis",
    "it_band_syndrome",
    "hip_flexor_strain",
    "iliopsoas_tendinitis",
    "labral_tear",
    "stress_fracture",
    "muscle_imbalance",
    "joint_infection",
    "lower_back_referral",
    "fracture_or_dislocation",
]
FLAGS = [
    "hip_deformed",
    "after_fall_or_injury",
    "cannot_bear_weight",
    "cannot_move_leg",
    "fever_or_chills",
    "sudden_swelling",
    "hip_hot_or_red",
    "pain_on_weight_bearing",
    "numbness_or_tingling",
    "bladder_or_bowel_change",
    "pain_severity",
    "intense_pain",
    "night_pain",
    "worsening",
    "recurrent",
    "daily_activities_limited",
    "pain_days",
    "eases_with_rest",
    "pain_radiates",
    "locking_or_catching",
    "giving_way",
    "clicking",
    "bruising",
    "leg_weakness",
    "reduced_range_of_motion",
    "sudden_onset_without_injury",
    "deep_joint_pain",
    "stress_fracture_picture",
    "cancer_history",
    "steroid_use",
    "age_over_50",
    "emergency_screen",
    "urgent_screen",
    "concern_screen",
    "history_screen",
]
# A "no" to a screen: the findings it covers and what the "no" means for each.
SCREENS: dict[str, dict[str, bool]] = {
    "emergency_screen": dict.fromkeys(
        ["after_fall_or_injury", "cannot_bear_weight", "cannot_move_leg", "hip_deformed"], False
    ),
    "urgent_screen": dict.fromkeys(
        [
            "pain_on_weight_bearing",
            "sudden_swelling",
            "fever_or_chills",
            "numbness_or_tingling",
            "intense_pain",
        ],
        False,
    ),
    "concern_screen": {
        **dict.fromkeys(
            [
                "night_pain",
                "worsening",
                "recurrent",
                "daily_activities_limited",
                "locking_or_catching",
                "giving_way",
                "clicking",
                "reduced_range_of_motion",
                "leg_weakness",
            ],
            False,
        ),
        "eases_with_rest": True,
    },
    "history_screen": dict.fromkeys(["cancer_history", "steroid_use"], False),
}
_names = itertools.count()


class _Timerless(Host):
    def _run(self) -> None:
        pass


def _in(field: Any, *values: str) -> Any:
    """`field` is one of `values` (durable-rules has no `in`)."""
    test = field == values[0]
    for value in values[1:]:
        test = test | (field == value)
    return test


class DurableHip:
    """The hip rules on durable-rules. `session(findings)` answers one runner's findings with
    {"triage": level, "ranking": [(cause, score), ...] best first, "red_flags": (flag, ...)}."""

    def __init__(self) -> None:
        out: dict[str, Any] = {}
        self.out = out

        def once(action: Callable[[Any], None]) -> Callable[[Any], None]:
            """durable-rules splits a rule whose test has `|` into one rule per alternative,
            and each fires: only the first to fire in a session counts."""

            def run(c: Any) -> None:
                if action.__name__ not in out["fired"]:
                    out["fired"].add(action.__name__)
                    action(c)

            return run

        def level(name: str, *flags: str) -> None:
            if LEVELS.index(name) > LEVELS.index(out["triage"]):
                out["triage"] = name
            out["flags"].update(flags)

        def score(**points: float) -> None:
            for cause, value in points.items():
                out["score"][cause] += value

        name = f"hip_hand_{next(_names)}"
        with ruleset(name):
            # ---- triage (content/rules/triage.yaml) ----
            @when_all(m.cannot_bear_weight == True)  # noqa: E712
            @once
            def emergency_cannot_bear_weight(c: Any) -> None:
                level("emergency", "cannot_bear_weight")

            @when_all(m.cannot_move_leg == True)  # noqa: E712
            @once
            def emergency_cannot_move_leg(c: Any) -> None:
                level("emergency", "cannot_move_leg")

            @when_all(m.hip_deformed == True)  # noqa: E712
            @once
            def emergency_hip_deformed(c: Any) -> None:
                level("emergency", "hip_deformed")

            @when_all((m.fever_or_chills == True) & (m.sudden_swelling == True))  # noqa: E712
            @once
            def emergency_fever_with_swelling(c: Any) -> None:
                level("emergency", "fever_or_chills", "sudden_swelling")

            @when_all((m.hip_hot_or_red == True) & (m.sudden_swelling == True))  # noqa: E712
            @once
            def emergency_hot_swollen_hip(c: Any) -> None:
                level("emergency", "hip_hot_or_red", "sudden_swelling")

            @when_all(m.hip_hot_or_red == True)  # noqa: E712
            @once
            def urgent_hot_or_red_hip(c: Any) -> None:
                level("urgent", "hip_hot_or_red")

            @when_all(m.sudden_swelling == True)  # noqa: E712
            @once
            def urgent_sudden_swelling(c: Any) -> None:
                level("urgent", "sudden_swelling")

            @when_all(m.fever_or_chills == True)  # noqa: E712
            @once
            def emergency_fever_or_chills(c: Any) -> None:
                level("emergency", "fever_or_chills")

            @when_all(m.pain_on_weight_bearing == True)  # noqa: E712
            @once
            def urgent_weight_bearing_pain(c: Any) -> None:
                level("urgent", "pain_on_weight_bearing")

            @when_all(m.intense_pain == True)  # noqa: E712
            @once
            def urgent_intense_pain_reported(c: Any) -> None:
                level("urgent", "intense_pain")

            @when_all(m.pain_severity >= 8)
            @once
            def urgent_intense_pain(c: Any) -> None:
                level("urgent", "pain_severity")

            @when_all(m.numbness_or_tingling == True)  # noqa: E712
            @once
            def professional_numbness(c: Any) -> None:
                level("see_professional", "numbness_or_tingling")

            @when_all(
                (m.pain_location == "deep_joint")
                & (m.worsening == True)  # noqa: E712
                & (m.eases_with_rest == False)  # noqa: E712
            )
            @once
            def urgent_suspected_stress_fracture(c: Any) -> None:
                level("urgent", "worsening", "eases_with_rest")

            @when_all(m.after_fall_or_injury == True)  # noqa: E712
            @once
            def professional_fall_or_injury(c: Any) -> None:
                level("see_professional", "after_fall_or_injury")

            @when_all(m.emergency_screen == True)  # noqa: E712
            @once
            def professional_emergency_screen_positive(c: Any) -> None:
                level("see_professional", "emergency_screen")

            @when_all(m.urgent_screen == True)  # noqa: E712
            @once
            def professional_urgent_screen_positive(c: Any) -> None:
                level("see_professional", "urgent_screen")

            @when_all(m.concern_screen == True)  # noqa: E712
            @once
            def professional_concern_screen_positive(c: Any) -> None:
                level("see_professional", "concern_screen")

            @when_all(m.pain_days > 7)
            @once
            def professional_more_than_a_week(c: Any) -> None:
                level("see_professional", "pain_days")

            @when_all(m.eases_with_rest == False)  # noqa: E712
            @once
            def professional_not_easing_with_rest(c: Any) -> None:
                level("see_professional", "eases_with_rest")

            @when_all(m.worsening == True)  # noqa: E712
            @once
            def professional_worsening(c: Any) -> None:
                level("see_professional", "worsening")

            @when_all(m.recurrent == True)  # noqa: E712
            @once
            def professional_recurrent(c: Any) -> None:
                level("see_professional", "recurrent")

            @when_all(m.daily_activities_limited == True)  # noqa: E712
            @once
            def professional_daily_activities(c: Any) -> None:
                level("see_professional", "daily_activities_limited")

            @when_all(m.night_pain == True)  # noqa: E712
            @once
            def professional_night_pain(c: Any) -> None:
                level("see_professional", "night_pain")

            @when_all(
                (m.pain_radiates == "lower_back")
                | (
                    (m.pain_radiates == "thigh_or_knee")
                    & _in(m.pain_location, "front_hip", "groin", "deep_joint", "buttock")
                )
            )
            @once
            def professional_radiating(c: Any) -> None:
                level("see_professional", "pain_radiates")

            @when_all(m.locking_or_catching == True)  # noqa: E712
            @once
            def professional_locking(c: Any) -> None:
                level("see_professional", "locking_or_catching")

            @when_all(m.giving_way == True)  # noqa: E712
            @once
            def professional_giving_way(c: Any) -> None:
                level("see_professional", "giving_way")

            @when_all(
                _in(m.pain_location, "groin", "deep_joint")
                & ((m.pain_timing == "at_rest") | (m.night_pain == True))  # noqa: E712
                & (m.worsening == True)  # noqa: E712
            )
            @once
            def urgent_stress_fracture_rest_pain_worsening(c: Any) -> None:
                level("urgent", "stress_fracture_picture")

            @when_all(
                _in(m.pain_location, "groin", "deep_joint")
                & (m.mileage_increase_pct >= 30)
                & (
                    (m.pain_timing == "at_rest")
                    | (m.night_pain == True)  # noqa: E712
                    | (m.worsening == True)  # noqa: E712
                    | (m.pain_on_weight_bearing == True)  # noqa: E712
                )
            )
            @once
            def urgent_stress_fracture_mileage_jump(c: Any) -> None:
                level("urgent", "stress_fracture_picture")

            @when_all(m.pain_location == "deep_joint")
            @once
            def professional_deep_joint_pain(c: Any) -> None:
                level("see_professional", "deep_joint_pain")

            @when_all(m.clicking == True)  # noqa: E712
            @once
            def professional_clicking(c: Any) -> None:
                level("see_professional", "clicking")

            @when_all(m.bruising == True)  # noqa: E712
            @once
            def professional_bruising(c: Any) -> None:
                level("see_professional", "bruising")

            @when_all(m.reduced_range_of_motion == True)  # noqa: E712
            @once
            def professional_reduced_range_of_motion(c: Any) -> None:
                level("see_professional", "reduced_range_of_motion")

            @when_all(m.leg_weakness == True)  # noqa: E712
            @once
            def professional_leg_weakness(c: Any) -> None:
                level("see_professional", "leg_weakness")

            @when_all((m.leg_weakness == True) & (m.numbness_or_tingling == True))  # noqa: E712
            @once
            def urgent_leg_weakness_with_numbness(c: Any) -> None:
                level("urgent", "leg_weakness", "numbness_or_tingling")

            @when_all(
                (m.numbness_or_tingling == True)  # noqa: E712
                & (m.giving_way == True)  # noqa: E712
                & (m.worsening == True)  # noqa: E712
            )
            @once
            def urgent_numbness_giving_way_worsening(c: Any) -> None:
                level("urgent", "numbness_or_tingling", "giving_way", "worsening")

            @when_all(
                (m.onset == "sudden")
                & ((m.after_fall_or_injury == None) | (m.after_fall_or_injury == False))  # noqa: E711, E712
                & (
                    (m.worsening == True)  # noqa: E712
                    | (m.daily_activities_limited == True)  # noqa: E712
                    | (m.reduced_range_of_motion == True)  # noqa: E712
                    | (m.pain_on_weight_bearing == True)  # noqa: E712
                )
            )
            @once
            def professional_sudden_without_injury(c: Any) -> None:
                level("see_professional", "sudden_onset_without_injury")

            @when_all((m.bladder_or_bowel_change == True) & (m.numbness_or_tingling == True))  # noqa: E712
            @once
            def emergency_numbness_with_bladder_or_bowel(c: Any) -> None:
                level("emergency", "bladder_or_bowel_change", "numbness_or_tingling")

            @when_all(m.cancer_history == True)  # noqa: E712
            @once
            def professional_cancer_history(c: Any) -> None:
                level("see_professional", "cancer_history")

            @when_all(
                (m.cancer_history == True)  # noqa: E712
                & ((m.night_pain == True) | (m.pain_timing == "at_rest"))  # noqa: E712
            )
            @once
            def urgent_cancer_history_rest_pain(c: Any) -> None:
                level("urgent", "cancer_history")

            @when_all(m.steroid_use == True)  # noqa: E712
            @once
            def professional_steroid_use(c: Any) -> None:
                level("see_professional", "steroid_use")

            @when_all(
                (m.age_years >= 50)
                & (
                    (m.night_pain == True)  # noqa: E712
                    | (m.pain_timing == "at_rest")
                    | (m.worsening == True)  # noqa: E712
                    | (m.eases_with_rest == False)  # noqa: E712
                )
            )
            @once
            def professional_new_pain_over_50(c: Any) -> None:
                level("see_professional", "age_over_50")

            @when_all(m.history_screen == True)  # noqa: E712
            @once
            def professional_history_screen_positive(c: Any) -> None:
                level("see_professional", "history_screen")

            # ---- scoring (content/rules/scoring.yaml) ----
            @when_all(m.pain_location == "outer_hip")
            @once
            def score_location_outer_hip(c: Any) -> None:
                score(trochanteric_bursitis=3, it_band_syndrome=3, labral_tear=0.5)

            @when_all(m.pain_location == "front_hip")
            @once
            def score_location_front_hip(c: Any) -> None:
                score(hip_flexor_strain=3.5, iliopsoas_tendinitis=2.5, labral_tear=2)

            @when_all(m.pain_location == "groin")
            @once
            def score_location_groin(c: Any) -> None:
                score(iliopsoas_tendinitis=3, labral_tear=3, hip_flexor_strain=1)

            @when_all(m.pain_location == "deep_joint")
            @once
            def score_location_deep_joint(c: Any) -> None:
                score(stress_fracture=3, labral_tear=2)

            @when_all(m.pain_location == "buttock")
            @once
            def score_location_buttock(c: Any) -> None:
                score(muscle_imbalance=2, muscle_soreness=1.5)

            @when_all((m.pain_location == "outer_hip") & (m.worse_lying_on_side == True))  # noqa: E712
            @once
            def score_outer_hip_worse_lying(c: Any) -> None:
                score(trochanteric_bursitis=3)

            @when_all((m.pain_location == "outer_hip") & (m.worse_lying_on_side == False))  # noqa: E712
            @once
            def score_outer_hip_not_worse_lying(c: Any) -> None:
                score(trochanteric_bursitis=-1.5)

            @when_all((m.pain_location == "outer_hip") & (m.tender_outer_hip == True))  # noqa: E712
            @once
            def score_outer_hip_tender(c: Any) -> None:
                score(trochanteric_bursitis=3.5)

            @when_all((m.pain_location == "outer_hip") & (m.tender_outer_hip == False))  # noqa: E712
            @once
            def score_outer_hip_not_tender(c: Any) -> None:
                score(trochanteric_bursitis=-2)

            @when_all(
                (m.pain_location == "outer_hip")
                & ((m.pain_quality == "burning") | (m.pain_timing == "after_run"))
            )
            @once
            def score_outer_hip_burning_after_run(c: Any) -> None:
                score(trochanteric_bursitis=1)

            @when_all((m.pain_location == "outer_hip") & (m.mileage_increase_pct > 10))
            @once
            def score_outer_hip_mileage_jump_bursitis(c: Any) -> None:
                score(trochanteric_bursitis=1)

            no_catching = (m.locking_or_catching == None) | (m.locking_or_catching == False)  # noqa: E711, E712

            @when_all((m.pain_location == "outer_hip") & (m.clicking == True) & no_catching)  # noqa: E712
            @once
            def score_outer_hip_clicking(c: Any) -> None:
                score(it_band_syndrome=2)

            @when_all(
                (m.pain_location == "outer_hip")
                & (
                    (m.downhill_running == True)  # noqa: E712
                    | (m.mileage_increase_pct > 10)
                    | (m.shoe_miles >= 300)
                )
            )
            @once
            def score_outer_hip_training_load(c: Any) -> None:
                score(it_band_syndrome=2.5)

            @when_all((m.pain_location == "outer_hip") & (m.pain_radiates == "thigh_or_knee"))
            @once
            def score_outer_hip_radiates_knee(c: Any) -> None:
                score(it_band_syndrome=2)

            @when_all(_in(m.pain_location, "front_hip", "groin") & (m.onset == "sudden"))
            @once
            def score_front_sudden_onset(c: Any) -> None:
                score(hip_flexor_strain=2, iliopsoas_tendinitis=-1)

            @when_all(_in(m.pain_location, "front_hip", "groin") & (m.onset == "gradual"))
            @once
            def score_front_gradual_onset(c: Any) -> None:
                score(iliopsoas_tendinitis=1.5)

            @when_all(_in(m.pain_location, "front_hip", "groin") & (m.pain_lifting_leg == True))  # noqa: E712
            @once
            def score_front_pain_lifting_leg(c: Any) -> None:
                score(iliopsoas_tendinitis=2, hip_flexor_strain=1.5)

            @when_all(_in(m.pain_location, "front_hip", "groin") & (m.pain_lifting_leg == False))  # noqa: E712
            @once
            def score_front_no_pain_lifting_leg(c: Any) -> None:
                score(iliopsoas_tendinitis=-2, hip_flexor_strain=-1.5)

            @when_all(
                _in(m.pain_location, "front_hip", "groin")
                & ((m.recent_speedwork == True) | (m.mileage_increase_pct > 10))  # noqa: E712
            )
            @once
            def score_front_training_load(c: Any) -> None:
                score(iliopsoas_tendinitis=2)

            @when_all(
                _in(m.pain_location, "front_hip", "groin") & (m.pain_radiates == "thigh_or_knee")
            )
            @once
            def score_front_radiates_knee(c: Any) -> None:
                score(iliopsoas_tendinitis=1.5)

            joint = ("groin", "front_hip", "deep_joint", "outer_hip")

            @when_all(_in(m.pain_location, *joint) & (m.locking_or_catching == True))  # noqa: E712
            @once
            def score_joint_locking(c: Any) -> None:
                score(
                    labral_tear=3.5,
                    iliopsoas_tendinitis=-1,
                    hip_flexor_strain=-1,
                    it_band_syndrome=-1,
                    trochanteric_bursitis=-1,
                )

            @when_all(_in(m.pain_location, *joint) & (m.locking_or_catching == False))  # noqa: E712
            @once
            def score_joint_no_locking(c: Any) -> None:
                score(labral_tear=-1.5)

            @when_all(_in(m.pain_location, *joint) & (m.giving_way == True))  # noqa: E712
            @once
            def score_joint_giving_way(c: Any) -> None:
                score(
                    labral_tear=3,
                    iliopsoas_tendinitis=-1,
                    hip_flexor_strain=-1,
                    it_band_syndrome=-1,
                    trochanteric_bursitis=-1,
                )

            @when_all(_in(m.pain_location, *joint) & (m.giving_way == False))  # noqa: E712
            @once
            def score_joint_no_giving_way(c: Any) -> None:
                score(labral_tear=-1)

            inner = ("groin", "front_hip", "deep_joint")

            @when_all(_in(m.pain_location, *inner) & (m.clicking == True))  # noqa: E712
            @once
            def score_inner_clicking(c: Any) -> None:
                score(labral_tear=2)

            @when_all(_in(m.pain_location, *inner) & (m.pain_quality == "sharp"))
            @once
            def score_inner_sharp(c: Any) -> None:
                score(labral_tear=1, stress_fracture=1)

            @when_all(m.pain_on_weight_bearing == True)  # noqa: E712
            @once
            def score_weight_bearing_pain(c: Any) -> None:
                score(stress_fracture=4)

            @when_all(m.pain_on_weight_bearing == False)  # noqa: E712
            @once
            def score_no_weight_bearing_pain(c: Any) -> None:
                score(stress_fracture=-2.5)

            @when_all(
                _in(m.pain_location, "deep_joint", "groin")
                & ((m.worsening == True) | (m.eases_with_rest == False))  # noqa: E712
            )
            @once
            def score_deep_worsening(c: Any) -> None:
                score(stress_fracture=2)

            @when_all(_in(m.pain_location, "deep_joint", "groin") & (m.mileage_increase_pct > 10))
            @once
            def score_deep_mileage_jump(c: Any) -> None:
                score(stress_fracture=1.5)

            @when_all(m.eases_with_rest == True)  # noqa: E712
            @once
            def score_eases_with_rest(c: Any) -> None:
                score(muscle_soreness=2, stress_fracture=-1)

            @when_all(m.eases_with_rest == False)  # noqa: E712
            @once
            def score_not_easing(c: Any) -> None:
                score(muscle_soreness=-3)

            @when_all((m.eases_with_rest == True) & ((m.pain_days <= 3) | (m.pain_severity <= 3)))  # noqa: E712
            @once
            def score_easing_mild_short(c: Any) -> None:
                score(muscle_soreness=2)

            @when_all(
                (m.eases_with_rest == True)  # noqa: E712
                & ((m.pain_quality == "dull_ache") | (m.stiffness == True))  # noqa: E712
            )
            @once
            def score_easing_dull_stiff(c: Any) -> None:
                score(muscle_soreness=1.5)

            @when_all(m.worsening == True)  # noqa: E712
            @once
            def score_worsening_not_soreness(c: Any) -> None:
                score(muscle_soreness=-2)

            @when_all(m.pain_days > 14)
            @once
            def score_long_duration(c: Any) -> None:
                score(muscle_soreness=-2)

            @when_all(m.one_side_weaker == True)  # noqa: E712
            @once
            def score_one_side_weaker(c: Any) -> None:
                score(muscle_imbalance=4)

            @when_all(m.one_side_weaker == False)  # noqa: E712
            @once
            def score_sides_equal(c: Any) -> None:
                score(muscle_imbalance=-2)

            @when_all(
                (m.one_side_weaker == True)  # noqa: E712
                & ((m.pain_timing == "after_run") | (m.recurrent == True))  # noqa: E712
            )
            @once
            def score_weaker_side_after_runs(c: Any) -> None:
                score(muscle_imbalance=1)

            @when_all(m.recurrent == True)  # noqa: E712
            @once
            def score_recurrent(c: Any) -> None:
                score(muscle_imbalance=1.5, muscle_soreness=-1.5)

            @when_all(m.fever_or_chills == True)  # noqa: E712
            @once
            def score_fever_with_hip_pain(c: Any) -> None:
                score(joint_infection=34)

            @when_all((m.fever_or_chills == True) & (m.sudden_swelling == True))  # noqa: E712
            @once
            def score_fever_with_swelling(c: Any) -> None:
                score(joint_infection=3)

            @when_all((m.hip_hot_or_red == True) & (m.sudden_swelling == True))  # noqa: E712
            @once
            def score_hot_swollen_hip(c: Any) -> None:
                score(joint_infection=34)

            @when_all(m.fever_or_chills == False)  # noqa: E712
            @once
            def score_no_fever(c: Any) -> None:
                score(joint_infection=-1)

            @when_all((m.numbness_or_tingling == True) | (m.pain_radiates == "lower_back"))  # noqa: E712
            @once
            def score_nerve_or_back_signs(c: Any) -> None:
                score(lower_back_referral=25)

            @when_all((m.pain_location == "buttock") & (m.pain_radiates == "thigh_or_knee"))
            @once
            def score_buttock_pain_down_the_leg(c: Any) -> None:
                score(lower_back_referral=4)

            @when_all(
                (m.pain_quality == "burning")
                & (
                    _in(m.pain_radiates, "thigh_or_knee", "lower_back")
                    | (m.numbness_or_tingling == True)  # noqa: E712
                    | (m.pain_location == "buttock")
                )
            )
            @once
            def score_burning_spreading(c: Any) -> None:
                score(lower_back_referral=1.5)

            @when_all(m.pain_radiates == "none")
            @once
            def score_pain_does_not_spread(c: Any) -> None:
                score(lower_back_referral=-1)

            no_fall = (m.after_fall_or_injury == None) | (m.after_fall_or_injury == False)  # noqa: E711, E712

            @when_all((m.cannot_bear_weight == True) & no_fall)  # noqa: E712
            @once
            def score_cannot_bear_weight_no_fall(c: Any) -> None:
                score(stress_fracture=4)

            @when_all((m.cannot_move_leg == True) & no_fall)  # noqa: E712
            @once
            def score_cannot_move_leg_no_fall(c: Any) -> None:
                score(stress_fracture=2)

            @when_all(
                _in(m.pain_location, "deep_joint", "groin")
                & ((m.pain_timing == "at_rest") | (m.night_pain == True))  # noqa: E712
                & (m.worsening == True)  # noqa: E712
            )
            @once
            def score_stress_fracture_rest_night_worsening(c: Any) -> None:
                score(stress_fracture=3, iliopsoas_tendinitis=-3.5, hip_flexor_strain=-2)

            @when_all(
                _in(m.pain_location, "deep_joint", "groin")
                & (m.mileage_increase_pct >= 30)
                & (
                    (m.pain_timing == "at_rest")
                    | (m.night_pain == True)  # noqa: E712
                    | (m.worsening == True)  # noqa: E712
                    | (m.pain_on_weight_bearing == True)  # noqa: E712
                )
            )
            @once
            def score_stress_fracture_mileage_jump(c: Any) -> None:
                score(stress_fracture=3, iliopsoas_tendinitis=-3.5, hip_flexor_strain=-2)

            @when_all(m.reduced_range_of_motion == True)  # noqa: E712
            @once
            def score_reduced_range_of_motion(c: Any) -> None:
                score(labral_tear=2)

            @when_all(
                (m.leg_weakness == True)  # noqa: E712
                & _in(m.pain_radiates, "thigh_or_knee", "lower_back")
            )
            @once
            def score_leg_weakness_back(c: Any) -> None:
                score(lower_back_referral=1)

            # ---- scoring from the clinical review (content/rules/scoring_review.yaml) ----
            @when_all(
                (m.after_fall_or_injury == True)  # noqa: E712
                & (
                    (m.hip_deformed == True)  # noqa: E712
                    | (m.cannot_bear_weight == True)  # noqa: E712
                    | (m.cannot_move_leg == True)  # noqa: E712
                )
            )
            @once
            def score_fall_with_injury_signs(c: Any) -> None:
                score(fracture_or_dislocation=12)

            @when_all(m.hip_deformed == True)  # noqa: E712
            @once
            def score_deformed_hip(c: Any) -> None:
                score(fracture_or_dislocation=8)

            @when_all((m.pain_on_weight_bearing == True) & (m.mileage_increase_pct >= 30))  # noqa: E712
            @once
            def score_weight_bearing_after_mileage_jump(c: Any) -> None:
                score(iliopsoas_tendinitis=-3.5)

            @when_all(
                (m.pain_on_weight_bearing == True)  # noqa: E712
                | (m.sudden_swelling == True)  # noqa: E712
                | (m.hip_deformed == True)  # noqa: E712
                | (m.cannot_bear_weight == True)  # noqa: E712
            )
            @once
            def score_injury_signs_not_soreness(c: Any) -> None:
                score(muscle_soreness=-3)

            # Every fact must match some rule (else MessageNotHandledException): this one takes
            # any fact and never completes (nothing is ever `never`).
            @when_all(c.f << +m.sid, c.n << (m.never == 1))
            def sink(c: Any) -> None:
                pass

        from durable.lang import _rulesets

        self.name = name
        self.host = _Timerless()
        self.host.register_rulesets({name: _rulesets[name].define()[1]})
        self.ids = itertools.count()
        # durable-rules 2.0.28 crashes deleting a session state in a ruleset whose actions
        # never ran: one session that fires a rule first.
        self.session({"pain_location": "outer_hip"})

    def session(self, findings: dict[str, Any]) -> dict[str, Any]:
        out = self.out
        out.clear()
        out.update(triage="self_care", score=dict.fromkeys(CAUSES, 0.0), flags=set(), fired=set())
        # null when unknown: see above
        fact: dict[str, Any] = {"after_fall_or_injury": None, "locking_or_catching": None}
        for screen, covered in SCREENS.items():
            if findings.get(screen) is False:
                fact.update(covered)
        fact.update(findings)
        sid = f"hip{next(self.ids)}"
        fact["sid"] = sid
        self.host.assert_fact(self.name, fact)
        self.host.delete_state(self.name, sid)
        return {
            "triage": out["triage"],
            "ranking": sorted(out["score"].items(), key=lambda kv: (-kv[1], CAUSES.index(kv[0]))),
            "red_flags": tuple(flag for flag in FLAGS if flag in out["flags"]),
        }
