"""forwardrules: a YAML forward-chaining rules engine on durable-rules.

from forwardrules import load_rulebook
book = load_rulebook("rules/")
with book.session() as session:
    session.add({...})
    session.result().conclusions()

The rules themselves, for a host that builds on them (explanations, a question per askable fact):
book.vocabulary.inputs["pain_days"].accepts(3); book.vocabulary.askable; for rule in book.rules:
rule.id, rule.meta, rule.facts_tested, [(a.fact, a.key, a.constant) for a in rule.then].
load_yaml(path) reads a host's own YAML the way the rules are read: each mapping knows its `.line`.

Names are imported on first use (PEP 562): `import forwardrules` costs almost nothing until
the loader is needed.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import FactError, ForwardRulesError, RuleActionError, RulebookError
    from .loader import load_rulebook
    from .questions import Question
    from .results import Asserted, Firing, Result
    from .rulebook import Rulebook
    from .rules import Assertion, Rule
    from .session import Session
    from .vocabulary import Askable, FactSpec, FactType, Vocabulary
    from .yaml_source import load_yaml

# public name -> the submodule defining it
_WHERE = {
    "Askable": "vocabulary",
    "Asserted": "results",
    "Assertion": "rules",
    "FactError": "errors",
    "FactSpec": "vocabulary",
    "FactType": "vocabulary",
    "Firing": "results",
    "ForwardRulesError": "errors",
    "load_rulebook": "loader",
    "load_yaml": "yaml_source",
    "Question": "questions",
    "Result": "results",
    "Rule": "rules",
    "RuleActionError": "errors",
    "Rulebook": "rulebook",
    "RulebookError": "errors",
    "Session": "session",
    "Vocabulary": "vocabulary",
}
__all__ = [
    "Askable",
    "Asserted",
    "Assertion",
    "FactError",
    "FactSpec",
    "FactType",
    "Firing",
    "ForwardRulesError",
    "Question",
    "Result",
    "Rule",
    "RuleActionError",
    "Rulebook",
    "RulebookError",
    "Session",
    "Vocabulary",
    "load_rulebook",
    "load_yaml",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'forwardrules' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
