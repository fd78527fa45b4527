"""Sharp pain on weight bearing (an urgent warning sign) said with the leg named instead of "it"
("when I stand on this leg"): recorded, and denied when negated. A held-out runner's "every time
I put weight on that leg it's sharp" was recorded only as sharp pain."""

from __future__ import annotations

from datetime import date

import pytest

from hipcoach.understanding import understand
from hipcoach.understanding.acts import Context

SCREEN = Context(today=date(2026, 11, 16), mode="interview", asking="urgent_screen")


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("ugh, it really hurts when i put weight on this leg", True),
        ("yeah when I stand on the leg it's sharp", True),
        ("honestly whenever i put weight on my leg it stabs", True),
        ("no, it doesn't hurt when i stand on my leg", False),
        ("it doesn't hurt when i put weight on that leg, no", False),
    ],
)
def test_weight_bearing_with_the_leg_named(said: str, value: bool) -> None:
    heard = understand(said, "UtteranceIntent", {"words": said}, SCREEN)
    assert heard.values().get("pain_on_weight_bearing") is value, (heard.intent, heard.values())
