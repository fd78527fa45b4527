"""The runner corpora as ASK NLU annotation sets (scripts/export_nlu_annotations.py): current, in
the shape SMAPI's annotation update takes, and naming only the intents of Alexa's model."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from hipcoach.standin.nlu import tokens

ROOT = Path(__file__).resolve().parents[3]


def _script():
    spec = importlib.util.spec_from_file_location(
        "export_nlu_annotations", ROOT / "scripts" / "export_nlu_annotations.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_annotation_sets_are_current() -> None:
    assert _script().main(["--check"]) == 0, "run: python scripts/export_nlu_annotations.py"


def test_annotations_name_the_models_intents_and_keep_every_word() -> None:
    models = ROOT / "skill" / "skill-package" / "interactionModels" / "custom"
    for locale in ("en-US", "en-GB"):
        body = json.loads((ROOT / "tests" / "corpora" / "alexa_nlu" / f"{locale}.json").read_text())
        model = json.loads((models / f"{locale}.json").read_text())["interactionModel"]
        intents = {i["name"] for i in model["languageModel"]["intents"]}
        assert len(body["data"]) > 250
        for case in body["data"]:
            assert case["inputs"]["utterance"] and case["inputs"]["referenceTimestamp"]
            (expected,) = case["expected"]
            assert expected["intent"]["name"] in intents
            words = expected["intent"].get("slots", {}).get("words", {}).get("value")
            if words is not None:  # the catch-all holds every word after the carrier
                said = tokens(case["inputs"]["utterance"])
                assert said[len(said) - len(tokens(words)) :] == tokens(words), case
