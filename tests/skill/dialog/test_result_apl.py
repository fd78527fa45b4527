"""The result APL document (Echo Show): well-formed APL, every binding fed, the action and the
emergency number first, shown only on devices with a screen (cards unchanged elsewhere)."""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer

from hipcoach import app
from hipcoach.dialog.interview import InterviewState, assess
from hipcoach.dialog.result_screen import DATASOURCE, TOKEN, document, screen_data
from hipcoach.dialog.result_speech import compose
from hipcoach.speech.locales import policy
from hipcoach.standin.chat import Console

COMPONENTS = {"Container", "Text", "ScrollView"}
EXPRESSION = re.compile(r"\$\{([^}]*)\}")
PAYLOAD_FIELD = re.compile(r"payload\.result\.([A-Za-z]+)")
# One result per level: the findings that reach it.
CASES = {
    "self_care": {"pain_location": "outer_hip", "pain_timing": "after_run", "onset": "gradual"},
    "urgent": {"pain_location": "buttock", "sudden_swelling": True},
    "emergency": {"after_fall_or_injury": True, "cannot_bear_weight": True},
}


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
    elif isinstance(node, dict | list):
        for value in node.values() if isinstance(node, dict) else node:
            yield from strings(value)


def components(doc):
    return [n for n in walk(doc["mainTemplate"]) if n.get("type") in COMPONENTS]


def result_for(findings: dict[str, Any], locale: str):
    return compose(assess(InterviewState(findings=dict(findings))), locale)


def test_document_is_apl_with_one_main_template_and_known_components():
    doc = document()
    assert doc["type"] == "APL" and doc["version"] == "2023.3"
    template = doc["mainTemplate"]
    assert template["parameters"] == ["payload"] and len(template["items"]) == 1
    assert all(node["type"] in COMPONENTS for node in walk(template) if "type" in node)
    ids = [c["id"] for c in components(doc) if "id" in c]
    assert len(ids) == len(set(ids))


def test_expressions_only_use_the_payload_the_viewport_and_the_resources():
    raw = json.dumps(document())
    assert raw.count("${") == len(EXPRESSION.findall(raw))
    for text in strings(document()["mainTemplate"]):
        for expression in EXPRESSION.findall(text):
            expression = re.sub(r"'[^']*'", "", expression)  # string literals
            for name in re.findall(r"@?[A-Za-z_][A-Za-z_0-9.]*", expression):
                known = ("payload.result.", "viewport.", "@")
                assert name.startswith(known) or name == "data", name


def test_the_action_comes_first_then_the_number_large():
    """Reading order on screen: title, the action, the emergency number (the largest text)."""
    doc = document()
    order = [c["id"] for c in components(doc) if "id" in c]
    assert order.index("title") < order.index("action") < order.index("number")
    assert order.index("number") < order.index("details")
    texts = [c for c in components(doc) if c["type"] == "Text"]
    sizes = {c["id"]: c["fontSize"] for c in texts if "id" in c}
    biggest = max(int(s) for s in re.findall(r"(\d+)dp", sizes["number"]))
    for name, size in sizes.items():
        if name != "number":
            assert max(int(s) for s in re.findall(r"(\d+)dp", size)) < biggest, name


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
@pytest.mark.parametrize("level", sorted(CASES))
def test_every_result_feeds_every_binding(level, locale):
    result = result_for(CASES[level], locale)
    assert result.level == level
    data = screen_data(result, locale)
    needed = set(PAYLOAD_FIELD.findall(json.dumps(document())))
    assert needed <= set(data), needed - set(data)
    assert data["action"] == " ".join(result.parts["action"])
    assert data["number"] == policy(locale).emergency_number
    assert data["highUrgency"] is (level in {"urgent", "emergency"})
    # The card's content below, without repeating the action.
    assert data["details"] and data["details"] == [
        line for line in result.card_text.splitlines()[1:] if line.strip()
    ]
    assert data["action"] in result.card_text.splitlines()[0]
    json.dumps(data)


def test_the_screen_is_not_said():
    from hipcoach.speech import said

    result = result_for(CASES["self_care"], "en-US")
    with said.recording() as keys:
        screen_data(result, "en-US")
    assert keys == []


@pytest.fixture
def chat(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()

    def make(apl: bool, locale: str = "en-GB") -> Console:
        args = argparse.Namespace(locale=locale, user="screen", apl=apl, endpoint=None, date=None)
        return Console(args)

    yield make
    app.default_skill.cache_clear()


def play(console: Console, *utterances: str):
    response = None
    for utterance in utterances:
        envelope, _ = console.request_for(utterance)
        response = console.transport.send(envelope)
        console.conversation.absorb(response)
    assert response is not None
    return response.response


EMERGENCY = ("open hip coach", "check my hip", "I fell and now I can't put weight on it")


def test_an_echo_show_gets_the_result_on_screen_and_the_same_card(chat):
    shown = play(chat(apl=True), *EMERGENCY)
    (directive,) = [d for d in shown.directives or [] if d.object_type.endswith("RenderDocument")]
    wire = DefaultSerializer().serialize(directive)
    assert wire["token"] == TOKEN and wire["document"]["type"] == "APL"
    data = wire["datasources"][DATASOURCE]
    assert data["number"] == "999" and data["highUrgency"] is True
    assert data["action"] in shown.card.content.splitlines()[0]
    voice_only = play(chat(apl=False), *EMERGENCY)
    assert not voice_only.directives
    assert voice_only.card.content == shown.card.content  # the card is unchanged
