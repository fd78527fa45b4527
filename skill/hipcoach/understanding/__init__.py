"""The skill's own understanding: the runner's whole words to what they did and said.

`understand(words, intent, slots, context)` is a pure function (hipcoach.understanding.reading);
its result types are in hipcoach.understanding.acts. Importing this package loads no catalogue,
no rapidfuzz and no ask-sdk: the first call loads what it needs (docs/understanding.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hipcoach.understanding.acts import Context, SaidFinding, SlotValue, Understanding

if TYPE_CHECKING:
    from hipcoach.understanding.reading import understand


def __getattr__(name: str) -> Any:
    # the reading (its rules, the word parsers) loads on first use: a launch reads no words
    if name == "understand":
        from hipcoach.understanding.reading import understand

        return understand
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Context", "SaidFinding", "SlotValue", "Understanding", "understand"]
