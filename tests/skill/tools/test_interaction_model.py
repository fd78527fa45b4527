"""The interaction model: valid for the official model classes, consistent, and every answer the
interview accepts is reachable by something a runner can say."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from ask_sdk_core.serialize import DefaultSerializer

from hipcoach.understanding.matcher import Nlu, load_model, model_path, tokens

LOCALES = ("en-US", "en-GB")
SKILL_PACKAGE = Path(__file__).resolve().parents[3] / "skill" / "skill-package"
TODAY = date(2025, 11, 20)

# docs/skill-contracts.md: intent -> {slot: type}
CONTRACT_INTENTS: dict[str, dict[str, str]] = {
    "StartCheckIntent": {"since": "AMAZON.DATE", "duration": "AMAZON.DURATION"},
    "LocationIntent": {"location": "PainLocationType"},
    "RadiationIntent": {"radiation": "PainRadiationType"},
    "TimingIntent": {"timing": "PainTimingType"},
    "OnsetIntent": {"onset": "OnsetType"},
    "QualityIntent": {"quality": "PainQualityType"},
    "DurationIntent": {
        "duration": "AMAZON.DURATION",
        "number": "AMAZON.NUMBER",
        "unit": "TimeUnitType",
        "since": "AMAZON.DATE",
    },
    "NumberIntent": {"number": "AMAZON.NUMBER"},
    "TellFindingsIntent": {f"finding_{x}": "FindingType" for x in "abcd"},
    "AffirmFindingsIntent": {f"finding_{x}": "FindingType" for x in "abc"},
    "DenyFindingsIntent": {f"finding_{x}": "FindingType" for x in "abc"},
    "AbleIntent": {},
    "UnableIntent": {},
    "DontKnowIntent": {},
    "WhyIntent": {},
    "PreventionIntent": {"topic": "PreventionTopicType"},
    # the questions runners ask (content/answers.yaml)
    "RunningQuestionIntent": {},
    "RunThroughPainIntent": {"condition": "ConditionNameType"},
    "TonightIntent": {},
    "SeeDoctorIntent": {},
    "HealingTimeIntent": {"condition": "ConditionNameType"},
    "MedicationIntent": {},
    "InjectionIntent": {},
    "AboutCoachIntent": {},
    "SymptomsIntent": {"condition": "ConditionNameType"},
    "SurgeryIntent": {"condition": "ConditionNameType"},
    "ImagingIntent": {},
    "StretchHoldIntent": {},
    "SorenessIntent": {},
    "SportIntent": {"sport": "SportType"},
    "GreetingIntent": {},
    "QuestionsLeftIntent": {},
    "QuestionTopicIntent": {"anchor": "QuestionTopicType"},
    "ExercisesIntent": {"condition": "ConditionNameType"},
    "OtherCausesIntent": {},
    "WhatIsIntent": {"condition": "ConditionNameType"},
    "TellMeMoreIntent": {},
    "HipStrengthIntent": {},
    "MileageAdviceIntent": {"distance": "AMAZON.NUMBER", "unit": "DistanceUnitType"},
    "StartRoutineIntent": {"routine": "RoutineType"},
    "ResumeRoutineIntent": {},
    "SkipIntent": {},
    "TimeLeftIntent": {},
    "ExerciseHowIntent": {"area": "BodyAreaType"},
    "WhatNextIntent": {},
    "SlowerIntent": {},
    "FinishForTodayIntent": {},
    "LogRunIntent": {
        "distance": "AMAZON.NUMBER",
        "unit": "DistanceUnitType",
        "period": "PeriodType",
        "when": "AMAZON.DATE",
    },
    "PlanWeekIntent": {
        "distance": "AMAZON.NUMBER",
        "unit": "DistanceUnitType",
        "week": "PlanWeekType",
    },
    "NewShoesIntent": {"when": "AMAZON.DATE"},
    "ShoeMilesIntent": {"distance": "AMAZON.NUMBER", "unit": "DistanceUnitType"},
    "ShoeWearIntent": {},
    "ProgressIntent": {"progress": "ProgressType"},
    "DeleteDataIntent": {},
    "WhatDoYouKnowIntent": {},
    **{
        f"AMAZON.{name}Intent": {}
        for name in [
            "Yes",
            "No",
            "Help",
            "Repeat",
            "StartOver",
            "Cancel",
            "Stop",
            "Fallback",
            "Pause",
            "Resume",
            "Next",
            "Previous",
            "NavigateHome",
        ]
    },
}

# DESIGN.md findings vocabulary (enumerated values) and docs/skill-contracts.md slot-type ids
CONTRACT_TYPE_IDS: dict[str, set[str]] = {
    # "several" ("both", "all of them") is no location: the interview asks which hurts most
    "PainLocationType": {"outer_hip", "front_hip", "groin", "deep_joint", "buttock", "several"},
    "PainRadiationType": {"none", "thigh_or_knee", "lower_back"},
    "PainTimingType": {"during_run", "after_run", "during_and_after", "at_rest"},
    "OnsetType": {"sudden", "gradual"},
    "PainQualityType": {"dull_ache", "sharp", "burning"},
    "PreventionTopicType": {
        "mileage",
        "shoes",
        "ice_heat",
        "warm_up",
        "cool_down",
        "strength",
        "running_form",
        "surfaces",
        "cross_training",
        "stretching",
        "hip_flexor_stretch",
        "foam_rolling",
        "rest_days",
        "prevention",
    },
    "DistanceUnitType": {"miles", "kilometres"},
    "RoutineType": {"stretch", "warm_up", "strength", "any_routine"},
    "BodyAreaType": {"groin", "back", "knee", "buttock", "hip", "thigh"},
    "PeriodType": {"last_week", "this_week", "today"},
    "PlanWeekType": {"this_week", "next_week"},
    "ProgressType": {"gone", "better", "same", "worse"},
    "TimeUnitType": {"hours", "days", "weeks", "months"},
    "SportType": {"team_sport", "racket_sport", "class", "other_sport"},
    "ConditionNameType": {  # what runners call the conditions of content/conditions.yaml
        *("it_band_syndrome", "trochanteric_bursitis", "hip_flexor_strain"),
        *("iliopsoas_tendinitis", "labral_tear", "muscle_imbalance", "muscle_soreness"),
        *("lower_back_referral", "stress_fracture", "joint_infection", "fracture_or_dislocation"),
    },
    "QuestionTopicType": {  # the answer ids of content/answers.yaml but other_causes
        *("running", "run_through_pain", "tonight", "see_doctor", "healing_time", "medication"),
        *("ice_heat", "stretching", "hip_strength", "hip_flexor_stretch", "foam_rolling"),
        *("rest_days", "cross_training", "surfaces", "running_form", "shoes", "ten_percent_rule"),
        *("warm_up", "cool_down", "injections"),
    },
}
ENUM_FINDINGS = {
    "pain_location": ("LocationIntent", "location", "PainLocationType"),
    "pain_radiates": ("RadiationIntent", "radiation", "PainRadiationType"),
    "pain_timing": ("TimingIntent", "timing", "PainTimingType"),
    "onset": ("OnsetIntent", "onset", "OnsetType"),
    "pain_quality": ("QualityIntent", "quality", "PainQualityType"),
}
INTERVIEW_TYPES = [t for _, _, t in ENUM_FINDINGS.values()]


def raw(locale: str) -> dict:
    return json.loads(model_path(locale).read_text(encoding="utf-8"))


def language(locale: str) -> dict:
    return raw(locale)["interactionModel"]["languageModel"]


def _strip_nulls(node: object) -> object:
    if isinstance(node, dict):
        return {k: _strip_nulls(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [_strip_nulls(v) for v in node]
    return node


@pytest.mark.parametrize("locale", LOCALES)
def test_model_deserializes_with_official_classes_without_loss(locale: str) -> None:
    pytest.importorskip("ask_smapi_model", reason="ask-smapi-model holds the model classes")
    from ask_smapi_model.v1.skill.interaction_model.interaction_model_data import (
        InteractionModelData,
    )

    serializer = DefaultSerializer()
    alexa = SKILL_PACKAGE / "interactionModels" / "custom" / f"{locale}.json"
    for path in (model_path(locale), alexa):  # the catalogue and the model Alexa holds
        text = path.read_text(encoding="utf-8")
        model = serializer.deserialize(text, InteractionModelData)
        language_model = model.interaction_model.language_model
        assert language_model.invocation_name == "hip coach"
        # every key is one the official classes know: a typo would be dropped on the way back
        assert _strip_nulls(serializer.serialize(model)) == json.loads(text)
    catalogue = serializer.deserialize(model_path(locale).read_text(), InteractionModelData)
    assert {i.name for i in catalogue.interaction_model.language_model.intents} == set(
        CONTRACT_INTENTS
    )


def test_skill_manifest_deserializes_with_official_classes_without_loss() -> None:
    pytest.importorskip("ask_smapi_model", reason="ask-smapi-model holds the manifest classes")
    from ask_smapi_model.v1.skill.manifest.skill_manifest import SkillManifest

    serializer = DefaultSerializer()
    data = json.loads((SKILL_PACKAGE / "skill.json").read_text(encoding="utf-8"))
    manifest = serializer.deserialize(json.dumps(data["manifest"]), SkillManifest)
    assert _strip_nulls(serializer.serialize(manifest)) == data["manifest"]
    assert set(manifest.publishing_information.locales) == set(LOCALES)
    assert manifest.privacy_and_compliance.uses_health_info is False  # no HIPAA entity, no PHI
    assert manifest.publishing_information.category == "HEALTH_AND_FITNESS"
    interfaces = [i.object_type for i in manifest.apis.custom.interfaces]
    assert "ALEXA_PRESENTATION_APL" in interfaces


def test_ask_cli_layout() -> None:
    root = SKILL_PACKAGE.parents[1]
    resources = json.loads((root / "ask-resources.json").read_text())
    profile = resources["profiles"]["default"]
    # `ask deploy` uploads the copy lambda/skill_package.py makes of this package, with the
    # deployed endpoints and legal URLs (docs/deploying.md); the models are this package's.
    deployed = (root / profile["skillMetadata"]["src"]).resolve()
    assert deployed == (root / "dist" / "skill-package").resolve()
    for locale in LOCALES:
        assert (SKILL_PACKAGE / "interactionModels" / "custom" / f"{locale}.json").is_file()


@pytest.mark.parametrize("locale", LOCALES)
def test_intents_and_slots_follow_the_contract(locale: str) -> None:
    intents = {i["name"]: i for i in language(locale)["intents"]}
    assert set(intents) == set(CONTRACT_INTENTS)
    for name, expected in CONTRACT_INTENTS.items():
        slots = {s["name"]: s["type"] for s in intents[name].get("slots", [])}
        assert slots == expected, name


def _finding_ids() -> set[str]:
    import yaml

    from hipcoach.content_location import CONTENT_DIR

    facts = yaml.safe_load((CONTENT_DIR / "rules" / "vocabulary.yaml").read_text())
    ids: set[str] = set()
    for name, spec in facts["vocabulary"]["facts"].items():
        if name.endswith("_screen"):
            continue  # a screen is a question, not something a runner reports
        if spec["type"] == "boolean":
            ids |= {f"{name}=true", f"{name}=false"}
        elif spec["type"] == "enum":
            ids |= {f"{name}={value}" for value in spec["values"]}
    return ids


CONTRACT_TYPE_IDS["FindingType"] = _finding_ids()


@pytest.mark.parametrize("locale", LOCALES)
def test_slot_types_exist_and_ids_are_the_contract_values(locale: str) -> None:
    types = {t["name"]: t for t in language(locale)["types"]}
    assert set(types) == set(CONTRACT_TYPE_IDS)
    for intent in language(locale)["intents"]:
        for slot in intent.get("slots", []):
            assert slot["type"].startswith("AMAZON.") or slot["type"] in types, slot
    for name, ids in CONTRACT_TYPE_IDS.items():
        if name != "FindingType":
            assert {v["id"] for v in types[name]["values"]} == ids, name
    # the catalogue: every id is `finding=value` for a finding and value the rules accept
    assert {v["id"] for v in types["FindingType"]["values"]} <= CONTRACT_TYPE_IDS["FindingType"]


@pytest.mark.parametrize("locale", LOCALES)
def test_samples_use_only_their_intent_slots_and_are_well_formed(locale: str) -> None:
    seen: dict[str, str] = {}
    for intent in language(locale)["intents"]:
        slots = {s["name"] for s in intent.get("slots", [])}
        used: set[str] = set()
        for sample in intent.get("samples", []):
            names = re.findall(r"\{([^}]*)\}", sample)
            assert set(names) <= slots, (intent["name"], sample)
            used.update(names)
            # Alexa's rules: spelled-out numbers, no punctuation but apostrophes and periods
            assert not re.search(r"[0-9]", re.sub(r"\{[^}]*\}", "", sample)), sample
            assert re.fullmatch(r"[a-z' ._{}]+", sample), sample
            assert "}{" not in sample.replace(" ", "") or "} {" in sample, sample
            key = " ".join(sample.lower().split())
            assert key not in seen, f"{sample!r} in {seen.get(key)} and {intent['name']}"
            seen[key] = intent["name"]
        assert used == slots, f"{intent['name']}: slots never used in a sample: {slots - used}"
        if intent["name"] not in ("AMAZON.FallbackIntent", "AMAZON.NavigateHomeIntent"):
            assert len(intent["samples"]) >= 5, intent["name"]


@pytest.mark.parametrize("locale", LOCALES)
def test_slot_values_are_unique_and_interview_types_do_not_overlap(locale: str) -> None:
    owner: dict[tuple[str, ...], str] = {}
    for slot_type in language(locale)["types"]:
        mine: set[tuple[str, ...]] = set()
        for value in slot_type["values"]:
            for phrase in [value["name"]["value"], *value["name"]["synonyms"]]:
                key = tokens(phrase)
                assert key not in mine, (slot_type["name"], phrase)
                mine.add(key)
                if slot_type["name"] in INTERVIEW_TYPES:
                    assert key not in owner, (phrase, owner.get(key), slot_type["name"])
                    owner[key] = slot_type["name"]


@pytest.mark.parametrize("locale", LOCALES)
def test_locale_wording(locale: str) -> None:
    samples = {s for i in language(locale)["intents"] for s in i.get("samples", [])}
    synonyms = {
        p for t in language(locale)["types"] for v in t["values"] for p in v["name"]["synonyms"]
    }
    words = " ".join(samples | synonyms)
    if locale == "en-GB":
        for british in ("trainers", "kilometres", "physio", "bum", "per cent"):
            assert british in words, british


# ---------------------------------------------------------------------------------------------
# Reachability: what the interview accepts can be said


@pytest.fixture(scope="module", params=LOCALES)
def nlu(request: pytest.FixtureRequest) -> Nlu:
    return Nlu(request.param)


def _values_by_utterance(nlu: Nlu, intent: str, slot: str) -> dict[str, list[str]]:
    """For each value id of the slot, the utterances (sample x synonym) that resolve to it;
    the sample's other slots are filled with an example of their type."""
    model = nlu.model
    slot_types = model.intent_slots[intent]
    examples = {
        "AMAZON.NUMBER": "thirty",
        "AMAZON.DURATION": "two weeks",
        "AMAZON.DATE": "yesterday",
        **{name: next(iter(phrases.values()))[1] for name, phrases in model.slot_types.items()},
    }
    reached: dict[str, list[str]] = {}
    samples = [s for s in model.samples if s.intent == intent and slot in {r.name for r in s.slots}]
    own_type = slot_types[slot]
    for value, phrase in model.slot_types[own_type].values():
        if value.id in reached:
            continue  # one way of saying it is enough here
        # a type carrying several findings at once: the other slots name other findings
        topic = value.id.split("=")[0]
        by_topic = {v.id.split("=")[0]: p for v, p in model.slot_types[own_type].values()}
        others = iter(p for t, p in by_topic.items() if t != topic)
        other_said = {
            name: next(others) if kind == own_type else examples[kind]
            for name, kind in slot_types.items()
            if name != slot
        }
        for sample in samples[:6]:
            text = re.sub(
                r"\{([^}]*)\}",
                lambda m, said=phrase, rest=other_said: (
                    said if m.group(1) == slot else rest[m.group(1)]
                ),
                sample.text,
            )
            result = nlu.resolve(text, TODAY)
            fill = result.slot(slot) if result.intent == intent else None
            if fill is not None and fill.id == value.id:
                reached.setdefault(value.id, []).append(text)
                break
    return reached


@pytest.mark.parametrize("finding", sorted(ENUM_FINDINGS))
def test_every_enum_finding_value_is_reachable(nlu: Nlu, finding: str) -> None:
    intent, slot, slot_type = ENUM_FINDINGS[finding]
    reached = _values_by_utterance(nlu, intent, slot)
    assert set(reached) == CONTRACT_TYPE_IDS[slot_type]


def test_every_slot_type_value_is_reachable(nlu: Nlu) -> None:
    for intent, slots in CONTRACT_INTENTS.items():
        for slot, slot_type in slots.items():
            if slot_type.startswith("AMAZON.") or intent == "DurationIntent":
                continue
            if slot in ("finding_c", "finding_d"):
                continue  # the same type as finding_a and finding_b: enough to reach those
            reached = _values_by_utterance(nlu, intent, slot)
            assert set(reached) == CONTRACT_TYPE_IDS[slot_type], (intent, slot)


def test_booleans_numbers_and_durations_are_reachable(nlu: Nlu) -> None:
    for said, intent in (("yes", "AMAZON.YesIntent"), ("no", "AMAZON.NoIntent")):
        assert nlu.resolve(said, TODAY).intent == intent
    for said in ("seven", "7", "zero", "ten out of ten", "twenty percent", "about 300 miles"):
        result = nlu.resolve(said, TODAY)
        assert result.intent == "NumberIntent" and result.slot("number") is not None, said
    assert nlu.resolve("about two weeks", TODAY).slot_ids() == {"duration": "P2W"}
    assert nlu.resolve("I don't know", TODAY).intent == "DontKnowIntent"


def test_every_answer_in_questions_yaml_is_reachable(nlu: Nlu) -> None:
    """content/questions.yaml: each accepted intent, and each mapped slot value, can be said."""
    knowledge = pytest.importorskip("hipcoach.medical.knowledge")
    questions = knowledge.knowledge().questions
    model = load_model(nlu.locale)
    checked = 0
    for question in questions.values():
        for answer in question.answers:
            assert answer.intent in model.intent_slots, (question.finding, answer.intent)
            if answer.slot and answer.map:
                reached = _values_by_utterance(nlu, answer.intent, answer.slot)
                missing = set(answer.map) - set(reached)
                assert not missing, (question.finding, answer.intent, missing)
            elif answer.slot and answer.slot not in model.intent_slots[answer.intent]:
                pytest.fail(f"{question.finding}: {answer.intent} has no slot {answer.slot}")
            else:
                samples = [s for s in model.samples if s.intent == answer.intent]
                assert any(
                    nlu.resolve(_render(s.text.replace("{unit}", "miles")), TODAY).intent
                    == answer.intent
                    for s in samples
                ), (question.finding, answer.intent)
            checked += 1
    assert checked


def _render(sample: str) -> str:
    examples = {
        "number": "seven",
        "duration": "two weeks",
        "since": "last tuesday",
        "unit": "days",
        "distance": "thirty",
        "period": "last week",
    }
    return re.sub(r"\{([^}]*)\}", lambda m: examples.get(m.group(1), m.group(0)), sample)
