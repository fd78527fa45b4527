"""The routines in content/ and their spoken text: complete, valid, sourced, within dose."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from hipcoach.content_location import CONTENT_DIR
from hipcoach.routines.loader import RoutineError, load_routines, parse_routine, routines
from hipcoach.routines.model import Sides
from hipcoach.routines.offers import offer_for
from hipcoach.speech.texts import Texts

SEEDS = {
    "000_cb8f435cf69bc1c5.txt",
    "001_ce3c0a190a02efa1.txt",
    "002_21009937cbaba596.txt",
    "003_b55f5c078ddef855.txt",
    "004_983ba7b6c6361c1b.txt",
}
SKILL_DIR = Path(__file__).resolve().parents[3] / "skill" / "hipcoach"


def exercise(routine_id: str, exercise_id: str):
    return next(e for e in routines()[routine_id].exercises if e.id == exercise_id)


def test_the_three_routines_load():
    assert set(routines()) == {"stretch", "warm_up", "strength"}


@pytest.mark.parametrize(
    ("routine_id", "exercise_ids"),
    [
        (
            "stretch",
            {
                "hip_flexor_stretch",
                "figure_four",
                "pigeon",
                "piriformis_stretch",
                "inner_hip_stretch",
            },
        ),
        ("warm_up", {"leg_swings_forward", "leg_swings_sideways", "walking_lunges", "hip_openers"}),
        (
            "strength",
            {
                "bridges",
                "clamshells",
                "side_lying_leg_raises",
                "single_leg_deadlifts",
                "side_planks",
                "bird_dogs",
                "banded_hip_flexor_raises",
                "seated_hip_bend",
            },
        ),
    ],
)
def test_routines_have_their_exercises(routine_id, exercise_ids):
    assert {e.id for e in routines()[routine_id].exercises} == exercise_ids


def test_every_routine_and_exercise_cites_a_seed():
    for routine in routines().values():
        assert routine.source in SEEDS
        for item in routine.exercises:
            assert item.source in SEEDS, item.id
            assert 1 <= len(item.cues) <= 3, item.id
            assert all(len(cue) <= 120 for cue in item.cues), item.id


def test_seed_files_exist_when_the_shared_seeds_are_here():
    seeds = Path("/work/shared/seeds")
    if not seeds.is_dir():
        pytest.skip("the shared seeds folder is not on this machine")
    assert {p.name for p in seeds.iterdir()} >= SEEDS


def test_static_stretches_hold_20_to_30_seconds_each_leg():
    for item in routines()["stretch"].exercises:
        assert item.hold is not None and 20 <= item.hold <= 30, item.id
        assert item.sides is Sides.BOTH


def test_warm_up_takes_5_to_10_minutes():
    assert 5 * 60 <= routines()["warm_up"].total_seconds() <= 10 * 60


def test_seed_doses():
    band = exercise("strength", "banded_hip_flexor_raises")
    assert (band.reps, band.sets, band.sides) == (10, 3, Sides.BOTH)
    bend = exercise("strength", "seated_hip_bend")
    assert (bend.hold, bend.holds, bend.sets) == (10, 5, 3)
    inner = exercise("stretch", "inner_hip_stretch")
    assert (inner.hold, inner.sets) == (30, 3)


def _routine_yaml() -> dict:
    return yaml.safe_load((CONTENT_DIR / "routines" / "stretch.yaml").read_text())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("source"), "missing keys"),
        (lambda d: d["exercises"][0].update(reps=10), "exactly one of hold"),
        (lambda d: d["exercises"][0].update(source="somewhere.txt"), "seed file"),
        (lambda d: d["exercises"][0].update(hold=90), "hold"),
        (lambda d: d["exercises"][0].update(colour="red"), "unknown keys"),
        (lambda d: d["exercises"][0].update(sides="sometimes"), "sides"),
        (lambda d: d["exercises"][0].update(cues=[]), "cue"),
        (lambda d: d["exercises"][1].update(id=d["exercises"][0]["id"]), "unique"),
        (lambda d: d["exercises"][0].update(hold=60, holds=3), "at most"),
        (lambda d: d.update(exercises=[]), "at least one exercise"),
    ],
)
def test_loader_rejects_bad_routines(change, message):
    data = _routine_yaml()
    change(data)
    with pytest.raises(RoutineError, match=message):
        parse_routine(data, "stretch.yaml")


def test_file_name_must_match_id(tmp_path):
    data = _routine_yaml()
    (tmp_path / "other.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(RoutineError, match="file name"):
        load_routines(tmp_path)


def test_every_routine_text_key_used_in_code_exists_in_both_locales():
    code = "\n".join(
        p.read_text()
        for p in [
            *SKILL_DIR.joinpath("routines").glob("*.py"),
            SKILL_DIR / "handlers" / "routines.py",
        ]
    )
    keys = set(re.findall(r'"(routine\.[a-z_]+)"', code))
    keys |= {"routine.side_name_left", "routine.side_name_right"}
    assert len(keys) > 30
    for locale in ("en-US", "en-GB"):
        texts = Texts(locale)
        missing = [key for key in keys if not texts.has(key)]
        assert not missing


def test_en_gb_overrides_some_wording():
    us, gb = Texts("en-US"), Texts("en-GB")
    assert us.get("routine.reps_done") != gb.get("routine.reps_done")
    assert us.get("routine.halfway") == gb.get("routine.halfway")


@pytest.mark.parametrize(
    ("level", "condition", "sharp", "expected"),
    [
        ("self_care", "trochanteric_bursitis", True, "stretch"),
        ("self_care", "trochanteric_bursitis", False, "strength"),
        ("see_professional", "labral_tear", False, None),  # deep stretches can catch
        ("see_professional", "hip_flexor_strain", True, None),
        # A sudden strain: nothing until the sharp pain eases, even when "sharp" went unreported
        ("self_care", "hip_flexor_strain", False, None),
        ("self_care", "muscle_imbalance", False, "strength"),
        ("self_care", "muscle_soreness", False, "stretch"),
        ("self_care", "muscle_soreness", True, None),
        ("see_professional", "trochanteric_bursitis", False, "stretch"),
        ("urgent", "joint_infection", False, None),
        ("self_care", "lower_back_referral", False, None),
        ("self_care", "", True, "stretch"),  # no cause leads
        ("self_care", "", False, "strength"),
        ("urgent", "stress_fracture", False, None),
        ("emergency", "hip_flexor_strain", True, None),
        ("see_professional", "stress_fracture", False, None),
        ("nonsense", "muscle_soreness", False, None),
    ],
)
def test_offer_matches_the_triage(level, condition, sharp, expected):
    assert offer_for(level, condition, sharp) == expected
    if expected:
        assert expected in routines()
