"""The routine APL document: well-formed APL, every binding fed, countdown wired, devices respected."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer

from hipcoach.routines.display import DATASOURCE, document, screen_data
from hipcoach.routines.loader import routines
from hipcoach.routines.speech import render_step
from hipcoach.speech.texts import Texts

COMPONENTS = {"Container", "Text", "Frame", "Image", "Sequence", "TouchWrapper", "ScrollView"}
COMMANDS = {"Sequential", "Parallel", "SetValue", "Idle", "AnimateItem", "SpeakItem", "SendEvent"}
EXPRESSION = re.compile(r"\$\{([^}]*)\}")
PAYLOAD_FIELD = re.compile(r"payload\.routine\.([A-Za-z]+)")


def walk(node: Any):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def strings(node: Any):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def components(doc):
    return [n for n in walk(doc["mainTemplate"]) if n.get("type") in COMPONENTS]


def commands(doc):
    return [n for n in walk(doc["mainTemplate"]) if n.get("type") in COMMANDS]


def test_document_is_apl_with_a_main_template():
    doc = document()
    assert doc["type"] == "APL"
    assert re.fullmatch(r"\d{4}\.\d|1\.\d+", doc["version"])
    template = doc["mainTemplate"]
    assert template["parameters"] == ["payload"]
    assert isinstance(template["items"], list) and len(template["items"]) == 1
    for node in walk(template):
        if "type" in node and "name" not in node:
            assert node["type"] in COMPONENTS | COMMANDS, node["type"]


def test_expressions_are_balanced_and_only_use_known_names():
    raw = json.dumps(document())
    assert raw.count("${") == len(EXPRESSION.findall(raw))
    for text in strings(document()["mainTemplate"]):
        for expression in EXPRESSION.findall(text):
            names = set(re.findall(r"[A-Za-z_][A-Za-z_0-9.]*", expression))
            for name in names:
                assert name.startswith(("payload.routine.", "Math.")) or name == "remaining", name


def test_component_ids_are_unique_and_commands_target_real_ones():
    doc = document()
    ids = [c["id"] for c in components(doc) if "id" in c]
    assert len(ids) == len(set(ids))
    for command in commands(doc):
        if command["type"] == "SetValue":
            assert command["componentId"] in ids
            target = next(c for c in components(doc) if c.get("id") == command["componentId"])
            assert command["property"] in {b["name"] for b in target.get("bind", [])}


def test_the_countdown_shows_the_bound_value_and_counts_once_a_second():
    doc = document()
    countdown = next(c for c in components(doc) if c.get("id") == "countdown")
    assert countdown["text"] == "${remaining}"
    ticks = [c for c in commands(doc) if c["type"] == "SetValue" and c.get("delay") == 1000]
    assert len(ticks) == 1 and "remaining - 1" in ticks[0]["value"]
    for required in ("exerciseName", "sideLabel", "progressLabel", "progressPercent"):
        assert any(f"payload.routine.{required}" in s for s in strings(doc))


@pytest.mark.parametrize("routine_id", sorted(routines()))
def test_every_step_feeds_every_binding(routine_id):
    routine = routines()[routine_id]
    needed = set(PAYLOAD_FIELD.findall(json.dumps(document())))
    texts = Texts("en-GB")
    for index in range(len(routine.steps())):
        data = screen_data(routine, index, texts, render_step(routine, index, texts))
        assert needed <= set(data), needed - set(data)
        assert 0 <= data["progressPercent"] < 100
        assert data["exerciseName"]
        if data["holdSeconds"]:
            assert data["leadInMs"] > 0
        json.dumps(data)


def test_hold_step_data():
    stretch = routines()["stretch"]
    texts = Texts("en-US")
    data = screen_data(stretch, 1, texts, render_step(stretch, 1, texts))
    assert data["exerciseName"] == "kneeling hip flexor stretch"
    assert data["sideLabel"] == "Right leg"
    assert data["holdSeconds"] == 30 and data["holds"] == 1
    assert data["progressLabel"] == "Exercise 1 of 5"


def test_directive_serialises_like_alexa_expects():
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    stretch = routines()["stretch"]
    texts = Texts("en-US")
    data = screen_data(stretch, 0, texts, render_step(stretch, 0, texts))
    directive = RenderDocumentDirective(
        token="t", document=document(), datasources={DATASOURCE: data}
    )
    wire = DefaultSerializer().serialize(directive)
    assert wire["type"] == "Alexa.Presentation.APL.RenderDocument"
    assert wire["document"]["type"] == "APL"
    assert wire["datasources"][DATASOURCE]["holdSeconds"] == 30
