"""The interaction models are generated from content/language/: the committed JSON is current, the
builder reports every problem at once, and a new locale is data only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from hipcoach.tools import interaction_model as builder


def test_committed_models_are_current() -> None:
    assert builder.stale_files(builder.generated()) == [], "run: make model"


def _copy_sources(tmp_path: Path) -> Path:
    target = tmp_path / "language"
    shutil.copytree(builder.LANGUAGE_DIR, target)
    return target


def test_a_third_locale_is_data_only(tmp_path: Path) -> None:
    language = _copy_sources(tmp_path)
    meta = yaml.safe_load(builder.LOCALES_FILE.read_text())
    meta["locales"]["en-AU"] = {"invocation": "hip coach", "inherits": "en-GB"}
    (tmp_path / "locales.yaml").write_text(yaml.safe_dump(meta))
    models = builder.build_all(builder.read_sources(language, tmp_path / "locales.yaml"))
    australian = json.loads(models["en-AU"])["interactionModel"]["languageModel"]
    british = json.loads(models["en-GB"])["interactionModel"]["languageModel"]
    assert australian["intents"] == british["intents"]
    assert australian["types"] == british["types"]


def test_every_problem_is_reported_with_its_file(tmp_path: Path) -> None:
    language = _copy_sources(tmp_path)
    (language / "broken.yaml").write_text(
        yaml.safe_dump(
            {
                "intents": {
                    "LocationIntent": {"samples": ["again"]},
                    "BrokenIntent": {
                        "slots": {"where": "NoSuchType"},
                        "samples": {"all": ["{where} and {elsewhere}", "My Hip!"]},
                    },
                }
            }
        )
    )
    with pytest.raises(builder.ModelSourceError) as caught:
        builder.build_all(builder.read_sources(language))
    problems = "\n".join(caught.value.problems)
    assert "interview.yaml: intent LocationIntent is already defined in broken.yaml" in problems
    with pytest.raises(builder.ModelSourceError) as caught:
        (language / "broken.yaml").write_text(
            yaml.safe_dump(
                {
                    "intents": {
                        "BrokenIntent": {
                            "slots": {"where": "NoSuchType"},
                            "samples": ["{where} and {elsewhere}", "My Hip!", "what was that"],
                        }
                    }
                }
            )
        )
        builder.build_all(builder.read_sources(language))
    problems = "\n".join(caught.value.problems)
    assert "slot type NoSuchType is not defined" in problems
    assert "names unknown slot elsewhere" in problems
    assert "'My Hip!' has characters Alexa does not accept" in problems
    assert "'what was that' is also a sample of" in problems
    assert "[en-US]" in problems and "[en-GB]" in problems
