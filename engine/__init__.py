"""forwardrules: a YAML forward-chaining rules engine on durable-rules.

from forwardrules import load_rulebook
book = load_rulebook("rules/")
with book.session() as session:
    session.add({...})
    session.result().conclusions()
"""

from .errors import FactError, ForwardRulesError, RuleActionError, RulebookError
from .loader import load_rulebook
from .questions import Question
from .results import Asserted, Firing, Result
from .rulebook import Rulebook
from .session import Session

__all__ = [
    "Asserted",
    "FactError",
    "Firing",
    "ForwardRulesError",
    "Question",
    "Result",
    "RuleActionError",
    "Rulebook",
    "RulebookError",
    "Session",
    "load_rulebook",
]
