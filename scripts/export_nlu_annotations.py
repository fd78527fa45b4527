"""Export the runner corpora (tests/corpora/*.yaml) as ASK NLU annotation sets, one per locale.

Each utterance a runner says in a corpus becomes one annotation: the words, and the intent and slot
Alexa must route them to under the catch-all design (docs/understanding.md): a built-in intent for
its own samples, AnswerYesIntent or AnswerNoIntent with the words after a leading yes or no, else
UtteranceIntent with every word in `words`. The expectation comes from the stand-in's routing,
which is the design written down; Alexa's NLU evaluation on the deployed skill then shows where the
real NLU differs (docs/deploying.md, "Alexa's NLU evaluation").

    python scripts/export_nlu_annotations.py          # write tests/corpora/alexa_nlu/<locale>.json
    python scripts/export_nlu_annotations.py --check  # exit 1 if a committed set is stale

The JSON is the body of SMAPI's "update NLU annotation set annotations" (`{"data": [{"inputs":
{"utterance", "referenceTimestamp"}, "expected": [{"intent": {"name", "slots"}}]}]}`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from hipcoach.standin.nlu import Nlu, parse_invocation

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "tests" / "corpora"
OUT = CORPORA / "alexa_nlu"
LOCALES = ("en-US", "en-GB")
US_RUNNERS = frozenset({"maya", "gerald", "priya", "dev", "jess"})  # tests/_persona_corpus.py
REFERENCE_TIMESTAMP = "2025-11-20T07:30:00.000Z"


def _said(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _said(item)


def utterances() -> Iterator[tuple[str, str]]:
    """(locale, utterance) for every line a runner says in the corpora."""
    for path in sorted(CORPORA.glob("*.yaml")):
        data = yaml.safe_load(path.read_text()) or {}
        for story in data.get("stories") or []:
            for part in ("opening", "default"):
                for text in _said(story.get(part)):
                    yield story["locale"], text
            for reply in (story.get("replies") or {}).values():
                for text in _said(reply):
                    yield story["locale"], text
        for conversation in data.get("conversations") or []:
            for text in _said(conversation.get("say")):
                yield conversation["locale"], text
        for section in ("questions", "routines"):
            for item in data.get(section) or []:
                locale = "en-US" if item.get("who") in US_RUNNERS else "en-GB"
                for text in _said(item.get("say")):
                    yield locale, text
        for runner in data.get("memory") or []:
            for turn in runner.get("turns") or []:
                for text in _said(turn.get("say")):
                    yield runner.get("locale", "en-GB"), text


def annotation_sets() -> dict[str, dict[str, Any]]:
    sets: dict[str, dict[str, Any]] = {locale: {"data": []} for locale in LOCALES}
    seen: set[tuple[str, str]] = set()
    nlus = {locale: Nlu(locale) for locale in LOCALES}
    for locale, text in utterances():
        invocation = parse_invocation(text)
        if invocation is not None and invocation.kind == "launch":
            continue  # a LaunchRequest, not an intent
        said = invocation.request if invocation is not None else text
        key = (locale, said.lower())
        if locale not in sets or key in seen:
            continue
        seen.add(key)
        routed = nlus[locale].resolve(said)
        intent: dict[str, Any] = {"name": routed.intent}
        slots = {name: {"value": fill.value} for name, fill in routed.slots.items() if fill}
        if slots:
            intent["slots"] = slots
        sets[locale]["data"].append(
            {
                "inputs": {"utterance": said, "referenceTimestamp": REFERENCE_TIMESTAMP},
                "expected": [{"intent": intent}],
            }
        )
    return sets


def render(body: dict[str, Any]) -> str:
    return json.dumps(body, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if a committed set is stale")
    args = parser.parse_args(argv)
    stale = []
    for locale, body in annotation_sets().items():
        path = OUT / f"{locale}.json"
        text = render(body)
        current = path.read_text() if path.is_file() else None
        if current == text:
            continue
        if args.check:
            stale.append(path)
            continue
        OUT.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)} ({len(body['data'])} annotations)")
    for path in stale:
        print(f"{path.relative_to(ROOT)} is stale: run python scripts/export_nlu_annotations.py")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
