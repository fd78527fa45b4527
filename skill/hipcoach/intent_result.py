"""What Alexa's NLU hands the skill: an intent with its slots, each heard value and its resolution.

One shape for both sides of the model: the local stand-in for Alexa fills it while routing, and the
skill's own understanding fills it when it reads the runner's words against the catalogue. It sits
below both so neither imports the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class SlotValue:
    """One custom slot-type value: its id (a findings value; the name when it has none) and name."""

    id: str
    name: str


@dataclass(frozen=True)
class SlotFill:
    """A filled slot as Alexa reports it: the words heard and, for custom types, what they are."""

    value: str
    slot_type: str
    resolved: SlotValue | None = None

    @property
    def id(self) -> str:
        """The resolved id for custom types, the normalised value (7, P2W, 2025-11-18) otherwise."""
        return self.resolved.id if self.resolved else self.value


@dataclass(frozen=True)
class NluResult:
    """The intent with every slot it defines (None when unfilled), as an IntentRequest has it."""

    intent: str
    slots: Mapping[str, SlotFill | None]
    slot_types: Mapping[str, str]
    confidence: float
    utterance: str
    sample: str | None = None

    def slot(self, name: str) -> SlotFill | None:
        return self.slots.get(name)

    def slot_ids(self) -> dict[str, str]:
        """Filled slots only: name -> resolved id or value (for logs and the chat console)."""
        return {name: fill.id for name, fill in self.slots.items() if fill is not None}
