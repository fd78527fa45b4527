"""The skill's own understanding: the runner's whole words to what they did and said.

`understand(words, intent, slots, context)` is a pure function (hipcoach.understanding.reading);
its result types are in hipcoach.understanding.acts. Importing this package loads no catalogue,
no rapidfuzz and no ask-sdk: the first call loads what it needs (docs/understanding.md).
"""

from __future__ import annotations

from hipcoach.understanding.acts import Context, SaidFinding, SlotValue, Understanding
from hipcoach.understanding.reading import understand

__all__ = ["Context", "SaidFinding", "SlotValue", "Understanding", "understand"]
