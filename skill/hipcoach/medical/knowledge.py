"""The hip knowledge base: loads content/*.yaml, validates it, and exposes typed objects.

Everything medical is data in `content/`; this module only reads and checks it. The rules
(content/rules/) are read once, by the engine: the vocabulary, the questions that may be asked
and each rule's `meta` (why, source) come from its validated `Rulebook`. Every problem found is
reported at once, each with its file and line, as the engine reports rule problems. Loading is
cached (`knowledge()`), so the files are read and validated once per process, and can come from the
validated pickle the Lambda build ships (`hipcoach.content_cache`). The clinical vignettes in
`content/cases/` are test data the skill never needs: `cases()` loads them on request.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from forwardrules import (
    Askable,
    FactSpec,
    FactType,
    Rule,
    Rulebook,
    RulebookError,
    load_yaml,
)
from hipcoach import content_cache
from hipcoach.content_location import CONTENT_DIR
from hipcoach.medical.level_order import level_order
from hipcoach.speech.locales import known, pick, roots

# The triage levels, lowest first: content/level_order.yaml (the vocabulary and triage_levels.yaml
# are checked against it).
LEVELS = level_order().order

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
    "ShoeMilesIntent": frozenset({"distance", "unit"}),
}
# Intents that answer a question only where its answers name them: elsewhere in a check they are
# asides ("my shoes have about 600 miles on them" answers the shoe question; mid-check otherwise,
# the count is kept and the pending question asked again).
NAMED_ANSWER_INTENTS = frozenset({"ShoeMilesIntent"})
COMPARISONS = ("gt", "ge", "lt", "le")
# The derived facts of the hip rules (rules/vocabulary.yaml) the explanations are built from.
TRIAGE_FACT, RED_FLAG_FACT, SCORE_FACT = "triage", "red_flag", "condition_score"
ROUTINE_STEPS = ("none", "stretch", "strength")  # what a routine offer may be, least first
RUN_ANSWERS = ("yes", "maybe", "no")  # "can I run tomorrow?", most permissive first
# The files the knowledge base is built from (besides rules/*.yaml); cases/ is not among them.
KNOWLEDGE_FILES = (
    "sources.yaml",
    "conditions.yaml",
    "questions.yaml",
    "triage_levels.yaml",
    "level_order.yaml",
    "advice.yaml",
    "prevention.yaml",
)


class ContentError(ValueError):
    """Invalid content: every problem found, each naming the file, line and item that is wrong."""

    def __init__(
        self, file: str, message: str, line: int | None = None, problems: list[str] | None = None
    ) -> None:
        where = f"content/{file}" + (f":{line}" if line is not None else "")
        self.problems = problems or [f"{where}: {message}"]
        super().__init__("\n".join(self.problems))


class _Problems:
    """Collects content problems so one load reports them all."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, file: str, node: object, message: str) -> None:
        line = getattr(node, "line", None)
        self.items.append(f"content/{file}" + (f":{line}" if line else "") + f": {message}")

    def raise_if_any(self) -> None:
        if self.items:
            first = self.items[0]
            raise ContentError("", first, problems=list(self.items))


@dataclass(frozen=True)
class Statement:
    text: str
    source: str
    quote: str = ""  # the seed sentence behind it, where the content gives one (tests check it)


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
            comparisons: dict[str, bool] = {
                "gt": value > bound,
                "ge": value >= bound,
                "lt": value < bound,
                "le": value <= bound,
            }
            return comparisons[op]
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
class RoutinePolicy:
    """The most a routine offer may be while the pain is sharp, and once it has settled."""

    sharp: str
    settled: str
    source: str


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
    run_tomorrow: str = "maybe"  # the condition's own answer, one of RUN_ANSWERS
    routine: RoutinePolicy = RoutinePolicy("none", "none", "")
    # what it feels like and how it is treated, where the seeds say ("what does a stress fracture
    # feel like", "does a labral tear need surgery"): each statement with its own seed
    symptoms: tuple[Statement, ...] = ()
    treatment: Statement | None = None


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
    """The spoken question for one askable finding; what may be asked, and when, is the
    engine's (`askable`: priority, and the facts a screen covers)."""

    askable: Askable
    prompt: Mapping[str, str]
    reprompt: Mapping[str, str]
    answers: tuple[Answer, ...]
    # a screen's "which one?" after a bare yes
    which: Mapping[str, str] = field(default_factory=dict)
    # findings ("finding=value") that, said while this question is pending, answer it
    reads: Mapping[str, Any] = field(default_factory=dict)

    @property
    def finding(self) -> str:
        return self.askable.fact

    @property
    def priority(self) -> float:
        return self.askable.priority

    @property
    def covers(self) -> tuple[str, ...]:
        return self.askable.covers

    @property
    def implied_no(self) -> Mapping[str, bool]:
        """What a "no" to a screen says of each covered fact it names."""
        return dict(self.askable.implied)

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
    routine_cap: str = "none"  # the most a routine offer may be at this level
    quote: str = ""  # the seed sentence behind the action (docs/clinician-table.md)


@dataclass(frozen=True)
class RedFlag:
    """What a red flag says about the runner's answer: "... because <because>"."""

    id: str
    because: Mapping[str, str]
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
    # meta.sign: how "should I see a doctor?" names a warning sign that needs several findings
    # (numbness with a weak leg), in the runner's words (a text, or one per locale); "" if none.
    sign: str | Mapping[str, str] = ""


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
    red_flags: Mapping[str, RedFlag] = field(default_factory=dict)
    red_flag_reason: Mapping[str, str] = field(default_factory=dict)
    routine_without_cause: RoutinePolicy = RoutinePolicy("none", "none", "")


def _read(path: Path) -> Any:
    """One content file; its mappings know their line (the engine's reader, the rules' own), so a
    content problem names its line."""
    return load_yaml(path) or {}


def _plain(node: Any) -> Any:
    """Plain dicts and lists (what the knowledge base keeps of raw YAML)."""
    if isinstance(node, Mapping):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    return node


def _mapping(node: Any) -> Mapping[str, Any]:
    return node if isinstance(node, Mapping) else {}


def _list(node: Any) -> list[Any]:
    return node if isinstance(node, list) else []


_NO_STATEMENT = Statement("", "")


class _Loader:
    def __init__(self, content_dir: Path) -> None:
        self.dir = content_dir
        self.sources: dict[str, str] = {}
        self.problems = _Problems()

    def fail(self, file: str, node: object, message: str) -> None:
        self.problems.add(file, node, message)

    def doc(self, file: str) -> Mapping[str, Any]:
        path = self.dir / file
        try:
            data = _read(path)
        except OSError as error:
            self.fail(file, None, f"cannot be read: {error.strerror or error}")
            return {}
        except Exception as error:  # a YAML syntax error carries its own position
            mark = getattr(error, "problem_mark", None)
            self.problems.items.append(
                f"content/{file}" + (f":{mark.line + 1}" if mark else "") + ": not valid YAML"
            )
            return {}
        if not isinstance(data, Mapping):
            self.fail(file, None, "must be a mapping")
            return {}
        return data

    def source(self, file: str, where: str, name: object, node: object = None) -> str:
        if name not in self.sources:
            self.fail(file, node, f"{where}: source {name!r} is not a seed file in sources.yaml")
            return ""
        return str(name)

    def statement(self, file: str, where: str, node: Any, parent: object = None) -> Statement:
        """A {text, source} entry; `parent` locates the problem when the entry is missing."""
        if not isinstance(node, Mapping) or not str(node.get("text", "")).strip():
            self.fail(
                file,
                node if isinstance(node, Mapping) else parent,
                f"{where}: needs text and source",
            )
            return _NO_STATEMENT
        quote = node.get("quote")
        return Statement(
            str(node["text"]),
            self.source(file, where, node.get("source"), node),
            str(quote) if isinstance(quote, str) else "",
        )

    def locale_map(
        self, file: str, where: str, node: Any, parent: object = None
    ) -> Mapping[str, str]:
        needed = roots()
        if (
            not isinstance(node, Mapping)
            or not set(needed) <= set(node)
            or not all(map(known, node))
        ):
            at = node if isinstance(node, Mapping) else parent
            self.fail(
                file, at, f"{where}: needs {', '.join(needed)}, and only locales of locales.yaml"
            )
            return {locale: "" for locale in needed}
        for locale, text in node.items():
            if not isinstance(text, str) or not text.strip():
                self.fail(file, node, f"{where}.{locale}: empty text")
        return {str(k): str(v) for k, v in node.items()}

    def load(self) -> Knowledge:
        self.sources = {
            str(k): str(v) for k, v in _mapping(self.doc("sources.yaml").get("sources")).items()
        }
        if not self.sources:
            self.fail("sources.yaml", None, "`sources` must name the seed files")
        book = self.rulebook()
        vocabulary = book.vocabulary
        facts = vocabulary.inputs  # the engine's FactSpec of every finding
        derived = vocabulary.derived
        condition_ids = tuple(derived[SCORE_FACT].keys) if SCORE_FACT in derived else ()
        triage_values = tuple(derived[TRIAGE_FACT].values) if TRIAGE_FACT in derived else ()
        if triage_values != LEVELS:
            self.fail("rules/vocabulary.yaml", None, f"{TRIAGE_FACT} values must be {LEVELS}")
        flag_ids = tuple(derived[RED_FLAG_FACT].values) if RED_FLAG_FACT in derived else ()
        rules = {rule.id: self.rule_info(rule) for rule in book.rules}
        conditions = self.read_conditions(facts, condition_ids)
        questions = self.read_questions(facts, vocabulary.askable)
        file = "triage_levels.yaml"
        levels_doc = self.doc(file)
        levels = self.read_levels(levels_doc)
        why_templates = {str(k): str(v) for k, v in _mapping(levels_doc.get("why")).items()}
        for key in ("triage", "condition", "red_flag"):
            if key not in why_templates:
                self.fail(file, levels_doc.get("why"), f"why.{key}: missing template")
        knowledge = Knowledge(
            rules_dir=self.dir / "rules",
            sources=self.sources,
            facts=facts,
            condition_ids=condition_ids,
            conditions=conditions,
            questions=questions,
            levels=levels,
            disclaimer=self.locale_map(
                file, "disclaimer.text", _mapping(levels_doc.get("disclaimer")).get("text")
            ),
            why_templates=why_templates,
            no_red_flags=self.locale_map(file, "no_red_flags", levels_doc.get("no_red_flags")),
            rules=rules,
            advice=_plain(self.read_advice()),
            prevention=self.read_prevention(),
            red_flags=self.read_red_flags(levels_doc, flag_ids),
            red_flag_reason=self.locale_map(
                file, "red_flag_reason", levels_doc.get("red_flag_reason")
            ),
            routine_without_cause=self.routine_policy(
                file, "routine_without_cause", levels_doc.get("routine_without_cause"), levels_doc
            ),
        )
        self.problems.raise_if_any()
        return knowledge

    def rulebook(self) -> Rulebook:
        """The engine's validated rulebook; its problems (every one, with file and line) are
        reported as content problems."""
        # Imported on first use: the loader costs a cold start ~75 ms, and a first launch
        # (disclaimer, greeting) never validates the rules.
        from forwardrules import load_rulebook

        try:
            return load_rulebook(self.dir / "rules")
        except RulebookError as error:
            raise ContentError(
                "rules", str(error), problems=[self.rule_problem(p) for p in error.problems]
            ) from None

    def rule_problem(self, error: RulebookError) -> str:
        """An engine problem as a content problem: content/rules/FILE:LINE: rule 'ID': ..."""
        if getattr(error, "file", None) is None:
            return str(error)
        where = "content/" + _relative(str(error.file), self.dir)
        where += f":{error.line}" if error.line is not None else ""
        subject = f"rule {error.rule!r}: " if error.rule else ""
        return f"{where}: {subject}{error.reason}"

    def rule_info(self, rule: Rule) -> RuleInfo:
        file = _relative(rule.file, self.dir)
        where = f"rule {rule.id}"
        meta = _mapping(rule.meta)
        node = _At(rule.line)
        why = meta.get("why")
        if not isinstance(why, str) or not why.strip():
            self.fail(file, node, f"{where}: meta.why missing")
            why = ""
        triage: str | None = None
        red_flags: list[str] = []
        scores: dict[str, float] = {}
        for assertion in rule.then:
            value = assertion.constant
            if assertion.fact == TRIAGE_FACT:
                triage = str(value)
            elif assertion.fact == RED_FLAG_FACT:
                red_flags.append(str(value))
            elif assertion.fact == SCORE_FACT and assertion.key is not None:
                scores[assertion.key] = scores.get(assertion.key, 0.0) + float(value or 0)
        return RuleInfo(
            id=rule.id,
            kind="triage" if triage else "scoring",
            triage=triage,
            red_flags=tuple(red_flags),
            scores=scores,
            source=self.source(file, where, meta.get("source"), node),
            why=why,
            findings=tuple(sorted(rule.facts_tested)),
            sign=_sign(meta.get("sign")),
        )

    def finding_ref(
        self, file: str, where: str, facts: Mapping[str, FactSpec], node: Any
    ) -> FindingRef | None:
        if not isinstance(node, Mapping):
            self.fail(file, node, f"{where}: a finding entry is {{finding, value, source}}")
            return None
        name = node.get("finding")
        if not isinstance(name, str) or name not in facts:
            self.fail(file, node, f"{where}: unknown finding {name!r}")
            return None
        value = node.get("value")
        spec = facts[name]
        if isinstance(value, Mapping):
            if len(value) != 1 or next(iter(value)) not in COMPARISONS:
                self.fail(file, node, f"{where}: comparison must be one of {COMPARISONS}")
                return None
            if not spec.accepts(next(iter(value.values()))):
                self.fail(file, node, f"{where}: invalid bound for {name}")
                return None
            value = dict(value)
        else:
            for item in value if isinstance(value, list) else [value]:
                if not spec.accepts(item):
                    self.fail(file, node, f"{where}: invalid value {item!r} for {name}")
                    return None
        return FindingRef(name, value, self.source(file, where, node.get("source"), node))

    def routine_policy(
        self, file: str, where: str, node: Any, parent: object = None
    ) -> RoutinePolicy:
        if not isinstance(node, Mapping):
            self.fail(file, parent, f"{where}: needs sharp, settled and source")
            return RoutinePolicy("none", "none", "")
        steps = []
        for key in ("sharp", "settled"):
            step = node.get(key)
            if step not in ROUTINE_STEPS:
                self.fail(file, node, f"{where}.{key} must be one of {', '.join(ROUTINE_STEPS)}")
                step = "none"
            steps.append(str(step))
        if ROUTINE_STEPS.index(steps[0]) > ROUTINE_STEPS.index(steps[1]):
            self.fail(file, node, f"{where}: more exercise while sharp than once settled")
        return RoutinePolicy(steps[0], steps[1], self.source(file, where, node.get("source"), node))

    def read_conditions(
        self, facts: Mapping[str, FactSpec], condition_ids: tuple[str, ...]
    ) -> dict[str, Condition]:
        file = "conditions.yaml"
        conditions: dict[str, Condition] = {}
        for node in _list(self.doc(file).get("conditions")):
            cid = _mapping(node).get("id")
            if cid not in condition_ids:
                self.fail(file, node, f"condition {cid!r} is not a {SCORE_FACT} key")
                continue
            if cid in conditions:
                self.fail(file, node, f"condition {cid!r} is listed twice")
                continue
            refs: dict[str, tuple[FindingRef, ...]] = {}
            for key in ("points_to", "points_away"):
                found = (
                    self.finding_ref(file, f"{cid}.{key}", facts, item)
                    for item in _list(node.get(key))
                )
                refs[key] = tuple(ref for ref in found if ref is not None)
            if not refs["points_to"]:
                self.fail(file, node, f"{cid}.points_to: needs at least one finding")
            run = node.get("run_tomorrow")
            if run not in RUN_ANSWERS:
                self.fail(file, node, f"{cid}.run_tomorrow must be one of {', '.join(RUN_ANSWERS)}")
                run = "no"
            name = node.get("name")
            if not isinstance(name, str) or not name.strip():
                self.fail(file, node, f"{cid}.name: missing")
                name = str(cid)
            conditions[cid] = Condition(
                id=cid,
                name=name,
                short_name=str(node.get("short_name", name)),
                description=self.statement(
                    file, f"{cid}.description", node.get("description"), node
                ),
                points_to=refs["points_to"],
                points_away=refs["points_away"],
                ok_to_run=self.statement(file, f"{cid}.ok_to_run", node.get("ok_to_run"), node),
                tonight=self.statement(file, f"{cid}.tonight", node.get("tonight"), node),
                recovery=self.statement(file, f"{cid}.recovery", node.get("recovery"), node),
                prevention=self.statement(file, f"{cid}.prevention", node.get("prevention"), node),
                run_tomorrow=str(run),
                routine=self.routine_policy(file, f"{cid}.routine", node.get("routine"), node),
                symptoms=tuple(
                    self.statement(file, f"{cid}.symptoms", item, node)
                    for item in _list(node.get("symptoms"))
                ),
                treatment=self.statement(file, f"{cid}.treatment", node["treatment"], node)
                if "treatment" in node
                else None,
            )
        missing = [cid for cid in condition_ids if cid not in conditions]
        if missing:
            self.fail(file, None, f"conditions without an entry: {missing}")
        return conditions

    def read_questions(
        self, facts: Mapping[str, FactSpec], askable: Mapping[str, Askable]
    ) -> dict[str, Question]:
        file = "questions.yaml"
        doc = self.doc(file)
        nodes = _mapping(doc.get("questions"))
        if set(nodes) != set(askable):
            self.fail(
                file,
                doc.get("questions"),
                f"questions must match askable facts; missing {sorted(set(askable) - set(nodes))},"
                f" extra {sorted(set(nodes) - set(askable))}",
            )
        # A screen covering a fact that is not askable itself is a rulebook error (the engine's).
        questions: dict[str, Question] = {}
        for name, node in nodes.items():
            if name not in askable or not isinstance(node, Mapping):
                continue
            entry = askable[name]
            answers = tuple(
                answer
                for item in _list(node.get("answers"))
                if (answer := self.answer(file, name, facts[name], item, facts)) is not None
            )
            if not answers:
                self.fail(file, node, f"{name}.answers: needs at least one answer")
            questions[name] = Question(
                askable=entry,
                prompt=self.locale_map(file, f"{name}.prompt", node.get("prompt"), node),
                reprompt=self.locale_map(file, f"{name}.reprompt", node.get("reprompt"), node),
                answers=answers,
                which=(
                    self.locale_map(file, f"{name}.which", node.get("which"), node)
                    if "which" in node
                    else {}
                ),
                reads=self.reads(file, name, facts[name], _mapping(node.get("reads")), facts),
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
        kept: dict[str, Any] = {}
        for said, meaning in node.items():
            finding, _, value = str(said).partition("=")
            other = facts.get(finding)
            typed = {"true": True, "false": False}.get(value, value)
            if other is None or not other.accepts(typed):
                self.fail(file, node, f"{name}.reads: {said!r} is no finding value")
            elif not spec.accepts(meaning):
                self.fail(file, node, f"{name}.reads: invalid value {meaning!r} for {name}")
            else:
                kept[str(said)] = meaning
        return kept

    def answer(
        self,
        file: str,
        name: str,
        spec: FactSpec,
        node: Any,
        facts: Mapping[str, FactSpec] | None = None,
    ) -> Answer | None:
        where = f"{name}.answers"
        if not isinstance(node, Mapping):
            self.fail(file, node, f"{where}: an answer is a mapping with an intent")
            return None
        count = len(self.problems.items)
        intent = node.get("intent")
        if intent not in ANSWER_INTENTS | NAMED_ANSWER_INTENTS:
            self.fail(file, node, f"{where}: unknown intent {intent!r}")
        slot = node.get("slot")
        if slot is not None and slot not in INTENT_SLOTS.get(str(intent), ()):
            self.fail(file, node, f"{where}: intent {intent} has no slot {slot!r}")
        target = node.get("finding")
        if target is not None:
            if not facts or target not in facts:
                self.fail(file, node, f"{where}: unknown finding {target!r}")
                return None
            spec = facts[target]  # the value is for this finding, not the one asked
        unit = _mapping(node.get("unit"))
        mapping = dict(_mapping(node.get("map")))
        for finding_value in mapping.values():
            if not spec.accepts(finding_value):
                self.fail(file, node, f"{where}: invalid value {finding_value!r} for {name}")
        if "value" in node and not spec.accepts(node["value"]):
            self.fail(file, node, f"{where}: invalid value {node['value']!r} for {name}")
        if node.get("number") and spec.type not in (FactType.INTEGER, FactType.NUMBER):
            self.fail(file, node, f"{where}: a number answer for non-numeric {name}")
        if node.get("duration_days") and name != "pain_days":
            self.fail(file, node, f"{where}: duration_days only answers pain_days")
        if len(self.problems.items) > count:
            return None
        return Answer(
            intent=str(intent),
            value=node.get("value"),
            slot=slot,
            map=mapping,
            number=bool(node.get("number")),
            duration_days=bool(node.get("duration_days")),
            unknown=bool(node.get("unknown")),
            finding=target,
            clarify=tuple(str(c) for c in _list(node.get("clarify"))),
            unit_slot=unit.get("slot"),
            unit_factor={str(k): float(v) for k, v in _mapping(unit.get("factor")).items()},
        )

    def read_levels(self, doc: Mapping[str, Any]) -> dict[str, TriageLevel]:
        file = "triage_levels.yaml"
        levels: dict[str, TriageLevel] = {}
        for node in _list(doc.get("levels")):
            level = _mapping(node).get("id")
            if level not in LEVELS:
                self.fail(file, node, f"unknown level {level!r}")
                continue
            cap = node.get("routine_cap")
            if cap not in ROUTINE_STEPS:
                self.fail(file, node, f"{level}.routine_cap must be one of {ROUTINE_STEPS}")
                cap = "none"
            levels[level] = TriageLevel(
                id=level,
                label=str(node.get("label", level)),
                action=self.locale_map(file, f"{level}.action", node.get("action"), node),
                run_tomorrow=self.locale_map(
                    file, f"{level}.run_tomorrow", node.get("run_tomorrow"), node
                ),
                source=self.source(file, str(level), node.get("source"), node),
                routine_cap=str(cap),
                quote=str(node.get("quote") or ""),
            )
        if tuple(levels) != LEVELS:
            self.fail(file, doc.get("levels"), f"levels must be {LEVELS}, lowest first")
        disclaimer = _mapping(doc.get("disclaimer"))
        self.source(file, "disclaimer", disclaimer.get("source"), disclaimer)
        return levels

    def read_red_flags(
        self, doc: Mapping[str, Any], flag_ids: tuple[str, ...]
    ) -> dict[str, RedFlag]:
        file = "triage_levels.yaml"
        nodes = _mapping(doc.get("red_flags"))
        flags: dict[str, RedFlag] = {}
        for flag in flag_ids:
            node = nodes.get(flag)
            if not isinstance(node, Mapping):
                self.fail(file, doc.get("red_flags"), f"red_flags.{flag}: missing `because`")
                continue
            flags[flag] = RedFlag(
                flag,
                self.locale_map(file, f"red_flags.{flag}.because", node.get("because"), node),
                self.source(file, f"red_flags.{flag}", node.get("source"), node),
            )
        for extra in set(nodes) - set(flag_ids):
            self.fail(file, nodes[extra], f"red_flags.{extra}: not a {RED_FLAG_FACT} value")
        return flags

    def read_advice(self) -> Mapping[str, Any]:
        file = "advice.yaml"
        doc = self.doc(file)
        for level, items in _mapping(doc.get("tonight")).items():
            if level != "all_levels" and level not in LEVELS:
                self.fail(file, doc.get("tonight"), f"tonight: unknown level {level!r}")
            for index, item in enumerate(_list(items)):
                self.statement(file, f"tonight.{level}[{index}]", item)
        run = _mapping(doc.get("run_tomorrow"))
        if set(run) != set(LEVELS):
            self.fail(file, doc.get("run_tomorrow"), "run_tomorrow needs every triage level")
        for level, item in run.items():
            self.statement(file, f"run_tomorrow.{level}", item, doc.get("run_tomorrow"))
            if _mapping(item).get("answer") not in RUN_ANSWERS:
                self.fail(file, item, f"run_tomorrow.{level}.answer must be one of {RUN_ANSWERS}")
        self.statement(file, "medication", doc.get("medication"), doc)
        return doc

    def read_prevention(self) -> dict[str, PreventionTopic]:
        file = "prevention.yaml"
        topics: dict[str, PreventionTopic] = {}
        for topic, node in _mapping(self.doc(file).get("topics")).items():
            node = _mapping(node)
            sources = tuple(
                self.source(file, topic, name, node) for name in _list(node.get("sources"))
            )
            if not sources or not str(node.get("text", "")).strip():
                self.fail(file, node, f"{topic}: needs text and sources")
                continue
            topics[topic] = PreventionTopic(
                topic, str(node["text"]), dict(_mapping(node.get("numbers"))), sources
            )
        return topics

    def read_cases(self, kb: Knowledge) -> tuple[Case, ...]:
        self.sources = dict(kb.sources)
        facts, condition_ids = kb.facts, kb.condition_ids
        cases: list[Case] = []
        seen: set[str] = set()
        for path in sorted((self.dir / "cases").glob("*.yaml")):
            file = f"cases/{path.name}"
            for node in _list(self.doc(file).get("cases")):
                node = _mapping(node)
                cid = node.get("id")
                if not isinstance(cid, str) or cid in seen:
                    self.fail(file, node, f"missing or duplicate case id {cid!r}")
                    continue
                seen.add(cid)
                findings = dict(_mapping(node.get("findings")))
                for name, value in findings.items():
                    if name not in facts or not facts[name].accepts(value):
                        self.fail(file, node, f"{cid}: invalid finding {name}={value!r}")
                levels = tuple(_list(node.get("triage")))
                if not levels or any(level not in LEVELS for level in levels):
                    self.fail(file, node, f"{cid}: triage must list levels from {LEVELS}")
                expected = node.get("expected_condition")
                if expected is not None and expected not in condition_ids:
                    self.fail(file, node, f"{cid}: unknown condition {expected!r}")
                cases.append(
                    Case(
                        id=cid,
                        file=file,
                        summary=str(node.get("summary", "")),
                        findings=findings,
                        triage=levels,
                        expected_condition=expected,
                        source=self.source(file, cid, node.get("source"), node),
                    )
                )
        self.problems.raise_if_any()
        return tuple(cases)


class _At:
    """A position for a problem found on an engine rule (which remembers its own line)."""

    def __init__(self, line: int | None) -> None:
        self.line = line


def _relative(path: str, content_dir: Path) -> str:
    try:
        return Path(path).resolve().relative_to(content_dir.resolve()).as_posix()
    except ValueError:
        return path


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
    # The pickle holds the engine's FactSpec objects too: a changed engine means a new cache.
    return "knowledge", content_dir, files, [Path(__file__), Path(inspect.getfile(FactSpec))]


def cache_spec() -> tuple[str, Path, list[Path], list[Path], Knowledge]:
    """What `hipcoach.tools.build_content_cache` pickles: the inputs and the validated value."""
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


def _sign(value: object) -> str | Mapping[str, str]:
    """A rule's meta.sign: a text, or texts by locale (anything else: none)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    return ""
