"""The answers to the questions runners ask (content/answers.yaml) and the spoken names of the
conditions (`spoken` in content/conditions.yaml), validated against the seeds and the locales.

An answer is reached by its own intent, or through the PreventionIntent's topic slot when it is
answered by a prevention topic; after a check, an answer with `after_result` is told from that
check's result instead (the handlers decide when a result is there).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from hipcoach import content_cache
from hipcoach.content_location import CONTENT_DIR
from hipcoach.speech.locales import known, pick

ANSWERS_FILE = CONTENT_DIR / "answers.yaml"
CONDITIONS_FILE = CONTENT_DIR / "conditions.yaml"
SOURCES_FILE = CONTENT_DIR / "sources.yaml"
PREVENTION_FILE = CONTENT_DIR / "prevention.yaml"
RESULT_PARTS = ("action", "tonight", "tomorrow", "recovery", "why", "others", "routine")
DESCRIBES = ("condition",)  # what an answer may describe from the slot of the same name
PLAN_PARTS = ("running",)  # care-plan conclusions an answer may be (issue 22)
# what a condition named in the question says of itself (content/conditions.yaml)
CONDITION_PARTS = ("recovery", "symptoms", "treatment", "ok_to_run")


class AnswerContentError(ValueError):
    """content/answers.yaml (or a `spoken` name) is invalid; the message names the entry."""


@dataclass(frozen=True)
class Answer:
    id: str
    intent: str | None
    text: Mapping[str, str] = field(default_factory=dict)  # locale -> text ("all" for every one)
    source: str | None = None
    topic: str | None = None
    after_result: str | None = None
    care_plan: str | None = None
    # Said after the level's action instead, while the care plan holds home-care advice (an
    # urgent or emergency level in force): `held` in content/answers.yaml.
    held: Mapping[str, str] = field(default_factory=dict)
    held_source: str | None = None
    mid_check: str | None = None  # the speech key said instead in the middle of a check
    describes: str | None = None  # a slot whose named condition's description is the answer
    # the speech key said after the result's part, unless the level in force already names the
    # emergency number ("should I call an ambulance?" after a self-care result)
    after_result_also: str | None = None
    # the part of the condition named in the question that answers it ("how long does a labral
    # tear take to heal": the labral tear's recovery), before any general or result answer
    condition_part: str | None = None
    # a text of speech/questions.yaml said instead of `text`: words with nothing medical in them
    # (a greeting), so no seed
    speech: str | None = None
    # in the middle of a check, a text of speech/questions.yaml told from the check's progress
    # ({answered}: how many answers it has so far)
    in_check: str | None = None

    def text_for(self, locale: str) -> str | None:
        if not self.text:
            return None
        return self.text["all"] if "all" in self.text else pick(self.text, locale)

    def held_for(self, locale: str) -> str | None:
        if not self.held:
            return None
        return self.held["all"] if "all" in self.held else pick(self.held, locale)


@dataclass(frozen=True)
class Catalogue:
    answers: Mapping[str, Answer]
    by_intent: Mapping[str, str]  # intent -> answer id
    by_topic: Mapping[str, str]  # prevention topic -> answer id
    spoken_names: Mapping[str, Mapping[str, str]]  # condition id -> locale -> spoken name


def _read(path: Path) -> Any:
    import yaml  # only when content is parsed

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}


def _localised(where: str, node: Any) -> dict[str, str]:
    if isinstance(node, str) and node.strip():
        return {"all": node}
    texts_ok = isinstance(node, Mapping) and all(
        isinstance(text, str) and text.strip() for text in node.values()
    )
    if texts_ok and node and all(map(known, node)):
        return {str(k): str(v) for k, v in node.items()}
    raise AnswerContentError(f"{where}: text, or locale -> text for locales of locales.yaml")


def parse(
    answers: Mapping[str, Any],
    conditions: list[Mapping[str, Any]],
    sources: Mapping[str, str],
    topics: Mapping[str, Any],
) -> Catalogue:
    table: dict[str, Answer] = {}
    by_intent: dict[str, str] = {}
    by_topic: dict[str, str] = {}
    for key, node in (answers.get("answers") or {}).items():
        where = f"answers.yaml: {key}"
        topic, part = node.get("topic"), node.get("after_result")
        # `intent`: one intent, or a list of them (a question that can be put more than one way)
        named = node.get("intent")
        intents = [str(name) for name in named] if isinstance(named, list) else []
        if named is not None and not isinstance(named, list):
            intents = [str(named)]
        intent = intents[0] if intents else None
        text = _localised(where, node["text"]) if "text" in node else {}
        source = node.get("source")
        if text and source not in sources:
            raise AnswerContentError(f"{where}: source {source!r} is not in sources.yaml")
        if topic is not None and topic not in topics:
            raise AnswerContentError(f"{where}: topic {topic!r} is not in prevention.yaml")
        held = _localised(f"{where}.held", node["held"]) if "held" in node else {}
        held_source = node.get("held_source")
        if held and held_source not in sources:
            raise AnswerContentError(f"{where}: held_source {held_source!r} is not in sources.yaml")
        plan_part = node.get("care_plan")
        if plan_part is not None and plan_part not in PLAN_PARTS:
            raise AnswerContentError(f"{where}: care_plan must be one of {PLAN_PARTS}")
        if part is not None and part not in RESULT_PARTS:
            raise AnswerContentError(f"{where}: after_result must be one of {RESULT_PARTS}")
        speech_key = node.get("speech")
        if not text and topic is None and part is None and speech_key is None:
            raise AnswerContentError(f"{where}: needs text, speech, topic or after_result")
        if intent is None and topic is None:
            raise AnswerContentError(f"{where}: needs an intent (or a topic that reaches it)")
        for name in intents:
            if name in by_intent:
                raise AnswerContentError(f"{where}: intent {name} also asks {by_intent[name]}")
            by_intent[name] = key
        mid_check = node.get("mid_check")
        if mid_check is not None and not (isinstance(mid_check, str) and mid_check.strip()):
            raise AnswerContentError(f"{where}: mid_check names a text of speech/questions.yaml")
        also = node.get("after_result_also")
        if also is not None and not (isinstance(also, str) and also.strip() and part):
            raise AnswerContentError(
                f"{where}: after_result_also names a text of speech/questions.yaml said after "
                "the after_result part"
            )
        describes = node.get("describes")
        if describes is not None and describes not in DESCRIBES:
            raise AnswerContentError(f"{where}: describes must be one of {DESCRIBES}")
        condition_part = node.get("condition_part")
        if condition_part is not None and condition_part not in CONDITION_PARTS:
            raise AnswerContentError(f"{where}: condition_part must be one of {CONDITION_PARTS}")
        in_check = node.get("in_check")
        for name, value in (("speech", speech_key), ("in_check", in_check)):
            if value is not None and not (isinstance(value, str) and value.strip()):
                raise AnswerContentError(f"{where}: {name} names a text of speech/questions.yaml")
        table[key] = Answer(
            key,
            intent,
            text,
            source,
            topic,
            part,
            plan_part,
            held,
            held_source,
            mid_check,
            describes,
            after_result_also=also,
            condition_part=condition_part,
            speech=speech_key,
            in_check=in_check,
        )
        if topic:
            by_topic.setdefault(str(topic), key)
    spoken = {
        str(node["id"]): _localised(f"conditions.yaml: {node['id']}.spoken", node["spoken"])
        if "spoken" in node
        else {"all": str(node["name"])}  # no article given: the name as it is
        for node in conditions
    }
    return Catalogue(table, by_intent, by_topic, spoken)


def _load() -> Catalogue:
    return parse(
        _read(ANSWERS_FILE),
        list(_read(CONDITIONS_FILE).get("conditions") or []),
        dict(_read(SOURCES_FILE).get("sources") or {}),
        dict(_read(PREVENTION_FILE).get("topics") or {}),
    )


def _cache_inputs() -> tuple[str, Path, list[Path], list[Path]]:
    files = [ANSWERS_FILE, CONDITIONS_FILE, SOURCES_FILE, PREVENTION_FILE]
    return "answers", CONTENT_DIR, files, [Path(__file__)]


def cache_spec() -> tuple[str, Path, list[Path], list[Path], Catalogue]:
    """What `hipcoach.tools.build_content_cache` pickles: the inputs and the validated value."""
    return (*_cache_inputs(), _load())


@cache
def catalogue() -> Catalogue:
    return content_cache.cached(*_cache_inputs(), Catalogue, _load)


def spoken_name(condition: str, locale: str) -> str:
    """The condition as a sentence says it, with its article ("a stress fracture")."""
    names = catalogue().spoken_names[condition]
    return names["all"] if "all" in names else pick(names, locale)
