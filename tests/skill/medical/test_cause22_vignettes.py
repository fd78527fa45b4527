"""Issue 22: a fresh set of vignettes written from the seeds alone (tests/corpora/
cause22_vignettes.yaml), scored on the expected cause first and on the level.

The figures, measured on `hipcoach triage` (all findings at once) and on the spoken interview
(the runner answers only what is asked), are printed by `test_vignette_figures`. 52 vignettes:

| run | cause first (triage / interview) | in top 3 | under-triage | over-triage |
|---|---|---|---|---|
| first run, on main before any rule change | 48 / 46 (92% / 88%) | 52 / 51 | 0 | 0 |
| after the rule changes of this branch | 51 / 50 (98% / 96%) | 52 / 51 | 0 | 0 |

Left: mild front-of-hip ache easing with rest ranks muscle soreness (which DESIGN.md says covers
minor strains) before a hip flexor strain; in the interview, a fall with a leg that won't move
ends at the emergency before the fall is asked, so a stress fracture is ranked first.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from _paths import CORPORA, ROOT

from hipcoach.medical.knowledge import LEVELS, knowledge
from hipcoach.medical.triage import rulebook, triage

VIGNETTES: list[dict[str, Any]] = yaml.safe_load(
    (CORPORA / "cause22_vignettes.yaml").read_text(encoding="utf-8")
)["vignettes"]
SEEDS = Path("/work/shared/seeds") if Path("/work/shared/seeds").exists() else ROOT / "seeds"


def _rank(level: str) -> int:
    return LEVELS.index(level)


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("“", '"').replace("”", '"')).strip()


def _ranking(findings: dict[str, Any]) -> list[str]:
    return [c["id"] for c in triage(findings)["conditions"] if c["score"] > 0]


def test_the_set_covers_every_condition_and_level():
    kb = knowledge()
    assert len(VIGNETTES) >= 40
    assert len({v["id"] for v in VIGNETTES}) == len(VIGNETTES)
    assert {v["expected"] for v in VIGNETTES} == set(kb.condition_ids)
    assert {level for v in VIGNETTES for level in v["triage"]} == set(LEVELS)
    for v in VIGNETTES:
        assert v["expected"] not in v["acceptable"], v["id"]
        assert set(v["acceptable"]) <= set(kb.condition_ids), v["id"]


def test_every_vignette_quotes_its_seed():
    if not SEEDS.exists():
        pytest.skip("seed articles not on this machine")
    for v in VIGNETTES:
        seed = _normal((SEEDS / v["source"]).read_text(encoding="utf-8"))
        assert _normal(v["quote"]) in seed, v["id"]


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_no_under_triage(vignette):
    result = triage(vignette["findings"])
    lowest = min(_rank(level) for level in vignette["triage"])
    assert _rank(result["triage"]) >= lowest, (vignette["id"], result["triage"], result["why"])


def _answer(finding: str, findings: dict[str, Any]) -> Any:
    """What the runner in the vignette says when asked; None for "I don't know"."""
    kb = knowledge()
    severity = findings.get("pain_severity")
    said = dict(findings)
    if severity is not None:
        said.setdefault("intense_pain", severity >= 8)
    question = kb.questions[finding]
    if question.covers:
        return any(
            said.get(covered) is (not question.implied_no.get(covered, False))
            for covered in question.covers
        )
    value = said.get(finding)
    if value is None and kb.facts[finding].type == "boolean" and finding != "eases_with_rest":
        return False  # a runner knows whether the hip clicks, swells, ...
    return value


def interview(findings: dict[str, Any]) -> tuple[list[str], str, list[str]]:
    asked: list[str] = []
    exhausted: set[str] = set()
    with rulebook().session() as session:
        while (question := session.next_question(exhausted=exhausted)) is not None:
            asked.append(question.fact)
            value = _answer(question.fact, findings)
            if value is None:
                exhausted.add(question.fact)
            else:
                session.add({question.fact: value})
        result = session.result()
        ranking = [str(key) for key, score in result.ranking("condition_score") if score > 0]
        return asked, str(result.value("triage")), ranking


def _figures(runs: list[tuple[dict[str, Any], str, list[str]]]) -> dict[str, int]:
    figures = {"first": 0, "top3": 0, "top3_acceptable": 0, "under": 0, "over": 0}
    for v, level, ranking in runs:
        accepted = [_rank(x) for x in v["triage"]]
        figures["under"] += _rank(level) < min(accepted)
        figures["over"] += _rank(level) > max(accepted)
        figures["first"] += ranking[:1] == [v["expected"]]
        figures["top3"] += v["expected"] in ranking[:3]
        allowed = {v["expected"], *v["acceptable"]}
        figures["top3_acceptable"] += set(ranking[:3]) <= allowed
    return figures


def test_vignette_figures():
    direct = [(v, triage(v["findings"])["triage"], _ranking(v["findings"])) for v in VIGNETTES]
    spoken = []
    for v in VIGNETTES:
        _, level, ranking = interview(v["findings"])
        spoken.append((v, level, ranking))
    n = len(VIGNETTES)
    for name, runs in (("hipcoach triage", direct), ("interview", spoken)):
        f = _figures(runs)
        missed = [v["id"] for v, _, ranking in runs if ranking[:1] != [v["expected"]]]
        print(
            f"\n{name}: {n} vignettes; expected cause first {f['first']}/{n}"
            f" ({f['first'] / n:.0%}), in top 3 {f['top3']}/{n}, top 3 all acceptable"
            f" {f['top3_acceptable']}/{n}; under-triage {f['under']}, over-triage {f['over']}"
            f"\n  first missed: {missed}"
        )
        assert f["under"] == 0
        assert f["first"] / n >= 0.90
        assert f["top3"] / n >= 0.95
        assert f["over"] / n <= 0.10


def test_mild_pain_of_more_than_a_week_is_seen_and_says_why():
    """000 names pain persisting for more than a week as a warning sign on its own: the level
    stays "see a professional" for a mild imbalance, and the reason says so."""
    result = triage({"pain_location": "outer_hip", "one_side_weaker": True, "pain_days": 10})
    assert result["triage"] == "see_professional"
    assert result["red_flags"] == ["pain_days"]
    assert "more than a week" in result["why"][0] and "warning sign" in result["why"][0]


@pytest.mark.parametrize(
    "findings",
    [
        {"pain_location": "groin", "night_pain": True, "worsening": True},
        {"pain_location": "deep_joint", "pain_timing": "at_rest", "worsening": True},
        {
            "pain_location": "groin",
            "mileage_increase_pct": 40,
            "worsening": True,
            "onset": "gradual",
            "recent_speedwork": True,
        },
        {"pain_location": "groin", "mileage_increase_pct": 30, "pain_timing": "at_rest"},
    ],
)
def test_the_stress_fracture_picture_leads_where_it_sets_the_level(findings):
    """When the level is urgent for the stress-fracture picture, the cause told is the same."""
    result = triage(findings)
    assert "stress_fracture_picture" in result["red_flags"]
    assert result["triage"] == "urgent"
    assert result["conditions"][0]["id"] == "stress_fracture"


def test_when_it_hurts_is_asked_only_where_it_can_still_matter():
    """Rest or night pain after cancer is urgent: the history is asked first, so a runner who
    says "no" to it is not asked when it hurts unless that can still change the level or cause."""
    mild = {
        "pain_location": "outer_hip",
        "tender_outer_hip": True,
        "worse_lying_on_side": True,
        "pain_days": 3,
    }
    asked, level, ranking = interview(mild)
    assert "history_screen" in asked
    assert "pain_timing" not in asked and "night_pain" not in asked
    assert (level, ranking[0]) == ("self_care", "trochanteric_bursitis")
    after_cancer = {**mild, "cancer_history": True, "pain_timing": "at_rest"}
    asked, level, _ = interview(after_cancer)
    assert "pain_timing" in asked
    assert level == "urgent"
