"""The checks a deployer runs before certification, in `make test`, offline: ssml-check-core
(Amazon's SSML rules) on the SSML of every response the scenario flows and every routine step
produce, apl-suggester on every APL document the skill ships. Both pinned in package-lock.json
here and installed by make install (scripts/install-node-deps.sh)."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml

from hipcoach import app
from hipcoach.routines.loader import routines
from hipcoach.routines.speech import render_step
from hipcoach.speech.texts import Texts
from hipcoach.standin.chat import Console

HERE = Path(__file__).resolve().parent
TOOLS = HERE / "node_modules"
APL_DOCUMENTS = sorted(
    (str(p.name), p) for p in Path(str(files("hipcoach").joinpath("apl"))).glob("*.json")
)

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (TOOLS / "apl-suggester").is_dir(),
    reason="the certification tools are not installed (make install, with Node 20)",
)


def run_tools(ssml: list[str], apl: list[dict[str, Any]]) -> dict[str, list[list[Any]]]:
    result = subprocess.run(
        ["node", str(HERE / "check.js")],
        input=json.dumps({"ssml": ssml, "apl": apl}),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=HERE,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, list[list[Any]]] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def test_the_tools_find_what_they_are_for():
    """A break over 10 s and an APL property of the wrong type are caught (the check can fail)."""
    found = run_tools(
        ['<speak>Hold <break time="11s"/> there.</speak>', "<speak>Fine.</speak>"],
        [{"type": "APL", "version": "2024.2",
          "mainTemplate": {"items": [{"type": "Text", "text": "x", "opacity": "half"}]}}],
    )  # fmt: skip
    assert found["ssml"][0] and not found["ssml"][1]
    assert any("opacity" in problem["path"] for problem in found["apl"][0])


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Every SSML string (speech and reprompt) of the scenario flows, and of every routine step."""
    patch = pytest.MonkeyPatch()
    patch.setenv("HIPCOACH_DB", str(tmp_path_factory.mktemp("tools") / "hip.db"))
    app.default_skill.cache_clear()
    found: set[str] = set()
    try:
        scenarios = yaml.safe_load((HERE / "scenarios.yaml").read_text(encoding="utf-8"))
        for number, flow in enumerate(scenarios["flows"]):
            for day in flow["days"]:
                found |= set(_play(flow["locale"], f"tools{number}", str(day["date"]), day["say"]))
    finally:
        app.default_skill.cache_clear()
        patch.undo()
    for locale in ("en-US", "en-GB"):
        texts = Texts(locale)
        for routine in routines().values():
            for index in range(len(routine.steps())):
                step = render_step(routine, index, texts)
                found |= {step.ssml, step.reprompt}
    return sorted(found)


def _play(locale: str, user: str, day: str, utterances: list[str]) -> Iterator[str]:
    console = Console(
        argparse.Namespace(locale=locale, user=user, apl=True, endpoint=None, date=day)
    )
    for utterance in utterances:
        envelope, _ = console.request_for(utterance)
        response = console.transport.send(envelope)
        console.conversation.absorb(response)
        body = response.response
        for speech in (body.output_speech, body.reprompt.output_speech if body.reprompt else None):
            ssml = getattr(speech, "ssml", None)
            if ssml:
                yield ssml


def test_every_ssml_string_passes_amazons_rules(spoken):
    assert len(spoken) > 100
    found = run_tools(spoken, [])["ssml"]
    problems = [
        f"{problem}: {text[:200]}" for text, problem in zip(spoken, found, strict=True) if problem
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("name", "path"), APL_DOCUMENTS, ids=[n for n, _ in APL_DOCUMENTS])
def test_every_apl_document_passes_apl_suggester(name, path):
    document = json.loads(path.read_text(encoding="utf-8"))
    (found,) = run_tools([], [document])["apl"]
    assert found == [], found
