"""Numbers that json.dumps writes with a bare negative exponent ("1e-05") reach durable-rules
readable: no fact is lost, so no red flag is dropped by an unrelated tiny value."""

from __future__ import annotations

import pytest

from forwardrules import load_rulebook
from hipcoach.content_location import CONTENT_DIR


@pytest.mark.parametrize("tiny", [1e-09, 1e-05, 3e-05, 1e-300, 5e-324, -1e-05])
def test_a_tiny_number_never_hides_a_red_flag(tiny):
    book = load_rulebook(CONTENT_DIR / "rules")
    with book.session() as session:
        session.add({"fever_or_chills": True, "sudden_swelling": True, "shoe_miles": abs(tiny)})
        assert session.result().value("triage") == "emergency"
