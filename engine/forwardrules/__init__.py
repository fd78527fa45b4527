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
"""

from .errors import FactError, ForwardRulesError, RuleActionError, RulebookError
from .loader import load_rulebook
from .questions import Question
from .results import Asserted, Firing, Result
from .rulebook import Rulebook
from .rules import Assertion, Rule
from .session import Session
from .vocabulary import Askable, FactSpec, FactType, Vocabulary
from .yaml_source import load_yaml

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
