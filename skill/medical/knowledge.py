"""The hip knowledge base: loads content/*.yaml, validates it, and exposes typed objects.

Everything medical is data in `content/`; this module only reads and checks it. Loading is cached
(`knowledge()`), so the files are read and validated once per process, and can come from the
validated pickle the Lambda build ships (`hipcoach.content_cache`). The clinical vignettes in
`content/cases/` are test data the skill never needs: `cases()` loads them on request.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from hipcoach import content_cache
from hipcoach.speech.locales import known, pick, roots
from hipcoach_content import CONTENT_DIR

LEVELS = ("self_care", "see_professional", "urgent", "emergency")

# Intents (docs/skill-contracts.md) that may answer an interview question.
ANSWER_INTENTS = frozenset(
    {
        "AMAZON.YesIntent",
        "AMAZON.NoIntent",
        "DontKnowIntent",
        "LocationIntent",
        "RadiationIntent",
        "TimingIntent",
        "OnsetIntent",
        "QualityIntent",
        "DurationIntent",
        "NumberIntent",
        "TellFindingsIntent",
        "AffirmFindingsIntent",
        "DenyFindingsIntent",
        "AbleIntent",
        "UnableIntent",
        "ProgressIntent",
        "LogRunIntent",
    }
)
INTENT_SLOTS: Mapping[str, frozenset[str]] = {
    "LocationIntent": frozenset({"location"}),
    "RadiationIntent": frozenset({"radiation"}),
    "TimingIntent": frozenset({"timing"}),
    "OnsetIntent": frozenset({"onset"}),
    "QualityIntent": frozenset({"quality"}),
    "DurationIntent": frozenset({"duration", "number", "unit", "since"}),
    "NumberIntent": frozenset({"number"}),
    "TellFindingsIntent": frozenset({"finding_a", "finding_b", "finding_c", "finding_d"}),
    "AffirmFindingsIntent": frozenset({"finding_a", "finding_b", "finding_c"}),
    "DenyFindingsIntent": frozenset({"finding_a", "finding_b", "finding_c"}),
    "ProgressIntent": frozenset({"progress"}),
    "LogRunIntent": frozenset({"distance", "unit", "period"}),
}
COMPARISONS = ("gt", "ge", "lt", "le")
# The files the knowledge base is built from (besides rules/*.yaml); cases/ is not among them.
KNOWLEDGE_FILES = (
    "sources.yaml",
    "conditions.yaml",
    "questions.yaml",
    "triage_levels.yaml",
    "advice.yaml",
    "prevention.yaml",
)


class ContentError(ValueError):
    """Invalid content: names the file and the item that is wrong."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(f"content/{file}: {message}")


@dataclass(frozen=True)
class FactSpec:
    """One input fact (finding) of the rules vocabulary."""

    name: str
    type: str
    values: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None

    def accepts(self, value: object) -> bool:
        if self.type == "boolean":
            return isinstance(value, bool)
        if self.type == "enum":
            return isinstance(value, str) and value in self.values
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if self.type == "integer" and not (isinstance(value, int) or float(value).is_integer()):
            return False
        if self.min is not None and value < self.min:
            return False
        return not (self.max is not None and value > self.max)


@dataclass(frozen=True)
class Statement:
    text: str
    source: str


@dataclass(frozen=True)
class FindingRef:
    """A finding that points to (or away from) a condition: a value, a list, or a comparison."""

    finding: str
    value: Any
    source: str

    def matches(self, value: object) -> bool:
        if isinstance(self.value, Mapping):
            ((op, bound),) = self.value.items()
            if isinstance(value, bool) or not isinstance(value, int | float):
                return False
            return {
                "gt": value > bound,
                "ge": value >= bound,
                "lt": value < bound,
                "le": value <= bound,
            }[op]
        if isinstance(self.value, list):
            return value in self.value
        return bool(value == self.value and type(value) is type(self.value))

    def describe(self) -> str:
        if isinstance(self.value, Mapping):
            ((op, bound),) = self.value.items()
            sign = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤"}[op]
            return f"{self.finding} {sign} {bound:g}"
        if isinstance(self.value, list):
            return f"{self.finding} in {'/'.join(self.value)}"
        if isinstance(self.value, bool):
            return self.finding if self.value else f"no {self.finding}"
        return f"{self.finding} = {self.value}"


@dataclass(frozen=True)
class Condition:
    id: str
    name: str
    short_name: str
    description: Statement
    points_to: tuple[FindingRef, ...]
    points_away: tuple[FindingRef, ...]
    ok_to_run: Statement
    tonight: Statement
    recovery: Statement
    prevention: Statement


@dataclass(frozen=True)
class Answer:
    """How one intent answers a question."""

    intent: str
    value: Any = None
    slot: str | None = None
    map: Mapping[str, Any] = field(default_factory=dict)
    number: bool = False
    duration_days: bool = False
    unknown: bool = False
    finding: str | None = None  # the value is for this finding, not the one asked
    clarify: tuple[str, ...] = ()  # slot ids that ask which one ("both" to "where does it hurt")
    unit_slot: str | None = None  # a number said with a unit ("600 kilometres"): converted
    unit_factor: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Question:
    finding: str
    priority: float
    covers: tuple[str, ...]
    prompt: Mapping[str, str]
    reprompt: Mapping[str, str]
    answers: tuple[Answer, ...]
    implied_no: Mapping[str, bool] = field(default_factory=dict)  # what "no" says of a covered fact
    # a screen's "which one?" after a bare yes
    which: Mapping[str, str] = field(default_factory=dict)
    # findings ("finding=value") that, said while this question is pending, answer it
    reads: Mapping[str, Any] = field(default_factory=dict)

    def text(self, locale: str = "en-US") -> str:
        return pick(self.prompt, locale)

    def reprompt_text(self, locale: str = "en-US") -> str:
        return pick(self.reprompt, locale)


@dataclass(frozen=True)
class TriageLevel:
    id: str
    label: str
    action: Mapping[str, str]
    run_tomorrow: Mapping[str, str]
    source: str


@dataclass(frozen=True)
class RuleInfo:
    """A rule as the explanation needs it: what it asserts, and its meta."""

    id: str
    kind: str  # "triage" or "scoring"
    triage: str | None
    red_flags: tuple[str, ...]
    scores: Mapping[str, float]
    source: str
    why: str
    findings: tuple[str, ...]


@dataclass(frozen=True)
class PreventionTopic:
    id: str
    text: str
    numbers: Mapping[str, float]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    """A vignette: findings, the acceptable triage levels, the condition expected first."""

    id: str
    file: str
    summary: str
    findings: Mapping[str, Any]
    triage: tuple[str, ...]
    expected_condition: str | None
    source: str


@dataclass(frozen=True)
class Knowledge:
    rules_dir: Path
    sources: Mapping[str, str]
    facts: Mapping[str, FactSpec]
    condition_ids: tuple[str, ...]
    conditions: Mapping[str, Condition]
    questions: Mapping[str, Question]
    levels: Mapping[str, TriageLevel]
    disclaimer: Mapping[str, str]
    why_templates: Mapping[str, str]
    no_red_flags: Mapping[str, str]
    rules: Mapping[str, RuleInfo]
    advice: Mapping[str, Any]
    prevention: Mapping[str, PreventionTopic]

    def level_index(self, level: str) -> int:
        return LEVELS.index(level)


def _read(path: Path) -> Any:
    import yaml  # only when content is parsed: a cached knowledge base needs no YAML

    # libyaml's safe loader when PyYAML has it: the same documents, parsed about ten times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader) or {}


def _locale_map(file: str, where: str, node: Any) -> Mapping[str, str]:
    if not isinstance(node, Mapping) or not set(roots()) <= set(node) or not all(map(known, node)):
        raise ContentError(
            file,
            f"{where}: needs {', '.join(roots())}, and only locales of locales.yaml",
        )
    for locale, text in node.items():
        if not isinstance(text, str) or not text.strip():
            raise ContentError(file, f"{where}.{locale}: empty text")
    return dict(node)


class _Loader:
    def __init__(self, content_dir: Path) -> None:
        self.dir = content_dir
        self.sources: dict[str, str] = {}

    def source(self, file: str, where: str, name: object) -> str:
        if name not in self.sources:
            raise ContentError(file, f"{where}: source {name!r} is not a seed file in sources.yaml")
        return str(name)

    def statement(self, file: str, where: str, node: Any) -> Statement:
        if not isinstance(node, Mapping) or not str(node.get("text", "")).strip():
            raise ContentError(file, f"{where}: needs text and source")
        return Statement(str(node["text"]), self.source(file, where, node.get("source")))

    def load(self) -> Knowledge:
        self.sources = dict(_read(self.dir / "sources.yaml")["sources"])
        facts, derived, askable, rules = self.read_rules()
        condition_ids = tuple(derived["condition_score"]["keys"])
        if tuple(derived["triage"]["values"]) != LEVELS:
            raise ContentError("rules/vocabulary.yaml", f"triage values must be {LEVELS}")
        conditions = self.read_conditions(facts, condition_ids)
        questions = self.read_questions(facts, askable)
        levels_doc = _read(self.dir / "triage_levels.yaml")
        levels = self.read_levels(levels_doc)
        file = "triage_levels.yaml"
        return Knowledge(
            rules_dir=self.dir / "rules",
            sources=self.sources,
            facts=facts,
            condition_ids=condition_ids,
            conditions=conditions,
            questions=questions,
            levels=levels,
            disclaimer=_locale_map(file, "disclaimer.text", levels_doc["disclaimer"]["text"]),
            why_templates=dict(levels_doc["why"]),
            no_red_flags=_locale_map(file, "no_red_flags", levels_doc["no_red_flags"]),
            rules=rules,
            advice=self.read_advice(),
            prevention=self.read_prevention(),
        )

    def read_rules(
        self,
    ) -> tuple[dict[str, FactSpec], dict[str, Any], list[Mapping[str, Any]], dict[str, RuleInfo]]:
        facts: dict[str, FactSpec] = {}
        derived: dict[str, Any] = {}
        askable: list[Mapping[str, Any]] = []
        rules: dict[str, RuleInfo] = {}
        for path in sorted((self.dir / "rules").glob("*.yaml")):
            file = f"rules/{path.name}"
            doc = _read(path)
            vocabulary = doc.get("vocabulary", {})
            for name, spec in vocabulary.get("facts", {}).items():
                facts[name] = FactSpec(
                    name=name,
                    type=spec["type"],
                    values=tuple(spec.get("values", ())),
                    min=spec.get("min"),
                    max=spec.get("max"),
                )
            derived.update(vocabulary.get("derived", {}))
            askable.extend(doc.get("askable", []))
            for rule in doc.get("rules", []):
                rules[rule["id"]] = self.rule_info(file, rule)
        return facts, derived, askable, rules

    def rule_info(self, file: str, rule: Mapping[str, Any]) -> RuleInfo:
        meta = rule.get("meta") or {}
        where = f"rule {rule['id']}"
        why = meta.get("why")
        if not isinstance(why, str) or not why.strip():
            raise ContentError(file, f"{where}: meta.why missing")
        triage: str | None = None
        red_flags: list[str] = []
        scores: dict[str, float] = {}
        for action in rule["then"]:
            if action["assert"] == "triage":
                triage = action["value"]
            elif action["assert"] == "red_flag":
                red_flags.append(action["value"])
            elif action["assert"] == "condition_score":
                scores[action["key"]] = scores.get(action["key"], 0.0) + float(action["value"])
        return RuleInfo(
            id=rule["id"],
            kind="triage" if triage else "scoring",
            triage=triage,
            red_flags=tuple(red_flags),
            scores=scores,
            source=self.source(file, where, meta.get("source")),
            why=why,
            findings=tuple(sorted(_atom_facts(rule["when"]))),
        )

    def finding_ref(
        self, file: str, where: str, facts: Mapping[str, FactSpec], node: Any
    ) -> FindingRef:
        name = node.get("finding")
        if name not in facts:
            raise ContentError(file, f"{where}: unknown finding {name!r}")
        value = node.get("value")
        spec = facts[name]
        if isinstance(value, Mapping):
            if len(value) != 1 or next(iter(value)) not in COMPARISONS:
                raise ContentError(file, f"{where}: comparison must be one of {COMPARISONS}")
            if not spec.accepts(next(iter(value.values()))):
                raise ContentError(file, f"{where}: invalid bound for {name}")
        else:
            for item in value if isinstance(value, list) else [value]:
                if not spec.accepts(item):
                    raise ContentError(file, f"{where}: invalid value {item!r} for {name}")
        return FindingRef(name, value, self.source(file, where, node.get("source")))

    def read_conditions(
        self, facts: Mapping[str, FactSpec], condition_ids: tuple[str, ...]
    ) -> dict[str, Condition]:
        file = "conditions.yaml"
        conditions: dict[str, Condition] = {}
        for node in _read(self.dir / file)["conditions"]:
            cid = node["id"]
            if cid not in condition_ids:
                raise ContentError(file, f"condition {cid!r} is not a condition_score key")

            def refs(key: str, node: Mapping[str, Any] = node, cid: str = cid) -> tuple:
                return tuple(
                    self.finding_ref(file, f"{cid}.{key}", facts, item) for item in node[key]
                )

            conditions[cid] = Condition(
                id=cid,
                name=str(node["name"]),
                short_name=str(node.get("short_name", node["name"])),
                description=self.statement(file, f"{cid}.description", node["description"]),
                points_to=refs("points_to"),
                points_away=refs("points_away"),
                ok_to_run=self.statement(file, f"{cid}.ok_to_run", node["ok_to_run"]),
                tonight=self.statement(file, f"{cid}.tonight", node["tonight"]),
                recovery=self.statement(file, f"{cid}.recovery", node["recovery"]),
                prevention=self.statement(file, f"{cid}.prevention", node["prevention"]),
            )
        missing = set(condition_ids) - set(conditions)
        if missing:
            raise ContentError(file, f"conditions without an entry: {sorted(missing)}")
        return conditions

    def read_questions(
        self, facts: Mapping[str, FactSpec], askable: list[Mapping[str, Any]]
    ) -> dict[str, Question]:
        file = "questions.yaml"
        nodes = _read(self.dir / file)["questions"]
        asked = {entry["fact"]: entry for entry in askable}
        if set(nodes) != set(asked):
            raise ContentError(
                file,
                f"questions must match askable facts; missing {sorted(set(asked) - set(nodes))},"
                f" extra {sorted(set(nodes) - set(asked))}",
            )
        questions: dict[str, Question] = {}
        for name, node in nodes.items():
            spec = facts[name]
            answers = tuple(self.answer(file, name, spec, item, facts) for item in node["answers"])
            questions[name] = Question(
                finding=name,
                priority=float(asked[name].get("priority", 0)),
                covers=tuple(
                    item["fact"] if isinstance(item, Mapping) else item
                    for item in asked[name].get("covers", ())
                ),
                implied_no={
                    item["fact"]: bool(item["value"])
                    for item in asked[name].get("covers", ())
                    if isinstance(item, Mapping)
                },
                prompt=_locale_map(file, f"{name}.prompt", node["prompt"]),
                reprompt=_locale_map(file, f"{name}.reprompt", node["reprompt"]),
                answers=answers,
                which=_locale_map(file, f"{name}.which", node["which"]) if "which" in node else {},
                reads=self.reads(file, name, spec, node.get("reads") or {}, facts),
            )
        return dict(sorted(questions.items(), key=lambda item: -item[1].priority))

    def reads(
        self,
        file: str,
        name: str,
        spec: FactSpec,
        node: Mapping[str, Any],
        facts: Mapping[str, FactSpec],
    ) -> dict[str, Any]:
        """Findings that, said while this question is pending, also answer it."""
        for said, meaning in node.items():
            finding, _, value = str(said).partition("=")
            other = facts.get(finding)
            typed = {"true": True, "false": False}.get(value, value)
            if other is None or not other.accepts(typed):
                raise ContentError(file, f"{name}.reads: {said!r} is no finding value")
            if not spec.accepts(meaning):
                raise ContentError(file, f"{name}.reads: invalid value {meaning!r} for {name}")
        return dict(node)

    def answer(
        self,
        file: str,
        name: str,
        spec: FactSpec,
        node: Mapping[str, Any],
        facts: Mapping[str, FactSpec] | None = None,
    ) -> Answer:
        where = f"{name}.answers"
        intent = node.get("intent")
        if intent not in ANSWER_INTENTS:
            raise ContentError(file, f"{where}: unknown intent {intent!r}")
        slot = node.get("slot")
        if slot is not None and slot not in INTENT_SLOTS.get(intent, ()):
            raise ContentError(file, f"{where}: intent {intent} has no slot {slot!r}")
        target = node.get("finding")
        if target is not None:
            if not facts or target not in facts:
                raise ContentError(file, f"{where}: unknown finding {target!r}")
            spec = facts[target]
        mapping = dict(node.get("map") or {})
        for finding_value in mapping.values():
            if not spec.accepts(finding_value):
                raise ContentError(file, f"{where}: invalid value {finding_value!r} for {name}")
        if "value" in node and not spec.accepts(node["value"]):
            raise ContentError(file, f"{where}: invalid value {node['value']!r} for {name}")
        if node.get("number") and spec.type not in ("integer", "number"):
            raise ContentError(file, f"{where}: a number answer for non-numeric {name}")
        if node.get("duration_days") and name != "pain_days":
            raise ContentError(file, f"{where}: duration_days only answers pain_days")
        return Answer(
            intent=intent,
            value=node.get("value"),
            slot=slot,
            map=mapping,
            number=bool(node.get("number")),
            duration_days=bool(node.get("duration_days")),
            unknown=bool(node.get("unknown")),
            finding=target,
            clarify=tuple(node.get("clarify") or ()),
            unit_slot=(node.get("unit") or {}).get("slot"),
            unit_factor=dict((node.get("unit") or {}).get("factor") or {}),
        )

    def read_levels(self, doc: Mapping[str, Any]) -> dict[str, TriageLevel]:
        file = "triage_levels.yaml"
        levels = {
            node["id"]: TriageLevel(
                id=node["id"],
                label=str(node["label"]),
                action=_locale_map(file, f"{node['id']}.action", node["action"]),
                run_tomorrow=_locale_map(file, f"{node['id']}.run_tomorrow", node["run_tomorrow"]),
                source=self.source(file, node["id"], node.get("source")),
            )
            for node in doc["levels"]
        }
        if tuple(levels) != LEVELS:
            raise ContentError(file, f"levels must be {LEVELS}, lowest first")
        self.source(file, "disclaimer", doc["disclaimer"].get("source"))
        return levels

    def read_advice(self) -> Mapping[str, Any]:
        file = "advice.yaml"
        doc = _read(self.dir / file)
        for level, items in doc["tonight"].items():
            if level != "all_levels" and level not in LEVELS:
                raise ContentError(file, f"tonight: unknown level {level!r}")
            for index, item in enumerate(items):
                self.statement(file, f"tonight.{level}[{index}]", item)
        if set(doc["run_tomorrow"]) != set(LEVELS):
            raise ContentError(file, "run_tomorrow needs every triage level")
        for level, item in doc["run_tomorrow"].items():
            self.statement(file, f"run_tomorrow.{level}", item)
            if item.get("answer") not in ("yes", "no", "maybe"):
                raise ContentError(file, f"run_tomorrow.{level}.answer must be yes, no or maybe")
        self.statement(file, "medication", doc["medication"])
        return doc

    def read_prevention(self) -> dict[str, PreventionTopic]:
        file = "prevention.yaml"
        topics: dict[str, PreventionTopic] = {}
        for topic, node in _read(self.dir / file)["topics"].items():
            sources = tuple(self.source(file, topic, name) for name in node.get("sources") or [])
            if not sources or not str(node.get("text", "")).strip():
                raise ContentError(file, f"{topic}: needs text and sources")
            topics[topic] = PreventionTopic(
                topic, str(node["text"]), dict(node.get("numbers") or {}), sources
            )
        return topics

    def read_cases(self, kb: Knowledge) -> tuple[Case, ...]:
        self.sources = dict(kb.sources)
        facts, condition_ids = kb.facts, kb.condition_ids
        cases: list[Case] = []
        seen: set[str] = set()
        for path in sorted((self.dir / "cases").glob("*.yaml")):
            file = f"cases/{path.name}"
            for node in _read(path).get("cases", []):
                cid = node["id"]
                if cid in seen:
                    raise ContentError(file, f"duplicate case id {cid!r}")
                seen.add(cid)
                findings = dict(node["findings"])
                for name, value in findings.items():
                    if name not in facts or not facts[name].accepts(value):
                        raise ContentError(file, f"{cid}: invalid finding {name}={value!r}")
                levels = tuple(node["triage"])
                if not levels or any(level not in LEVELS for level in levels):
                    raise ContentError(file, f"{cid}: triage must list levels from {LEVELS}")
                expected = node.get("expected_condition")
                if expected is not None and expected not in condition_ids:
                    raise ContentError(file, f"{cid}: unknown condition")
                cases.append(
                    Case(
                        id=cid,
                        file=file,
                        summary=str(node.get("summary", "")),
                        findings=findings,
                        triage=levels,
                        expected_condition=expected,
                        source=self.source(file, cid, node.get("source")),
                    )
                )
        return tuple(cases)


def _atom_facts(condition: Any) -> set[str]:
    if isinstance(condition, Mapping):
        found = {condition["fact"]} if "fact" in condition else set()
        for key in ("all", "any"):
            for item in condition.get(key, []):
                found |= _atom_facts(item)
        if "not" in condition:
            found |= _atom_facts(condition["not"])
        return found
    return set()


def load_knowledge(content_dir: Path = CONTENT_DIR) -> Knowledge:
    """Read and validate every content file under `content_dir` (uncached; cases/ aside)."""
    return _Loader(Path(content_dir)).load()


def load_cases(content_dir: Path = CONTENT_DIR, kb: Knowledge | None = None) -> tuple[Case, ...]:
    """Read and validate the vignettes in `content_dir`/cases against the knowledge base."""
    content_dir = Path(content_dir)
    return _Loader(content_dir).read_cases(kb or load_knowledge(content_dir))


def _cache_inputs(content_dir: Path = CONTENT_DIR) -> tuple[str, Path, list[Path], list[Path]]:
    files = [content_dir / name for name in KNOWLEDGE_FILES]
    files.extend(sorted((content_dir / "rules").glob("*.yaml")))
    return "knowledge", content_dir, files, [Path(__file__)]


def cache_spec() -> tuple[str, Path, list[Path], list[Path], Knowledge]:
    """What `hipcoach.content_cache.write_caches` pickles: the inputs and the validated value."""
    return (*_cache_inputs(), load_knowledge(CONTENT_DIR))


@cache
def knowledge() -> Knowledge:
    """The validated knowledge base of the installed content, loaded once per process (from
    $HIPCOACH_CONTENT_CACHE when that folder holds the validated pickle of this very content)."""
    kb = content_cache.cached(*_cache_inputs(), Knowledge, lambda: load_knowledge(CONTENT_DIR))
    if kb.rules_dir != CONTENT_DIR / "rules":  # built elsewhere: the rules are these ones
        kb = dataclasses.replace(kb, rules_dir=CONTENT_DIR / "rules")
    return kb


@cache
def cases() -> tuple[Case, ...]:
    """The clinical vignettes (content/cases/), validated against `knowledge()`; test data."""
    return load_cases(CONTENT_DIR, knowledge())
