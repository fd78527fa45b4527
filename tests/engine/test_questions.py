"""Question selection: the unknown fact that can still change an outcome, in priority order."""

from forwardrules import Question


def ask(book, facts, exhausted=()):
    with book.session() as session:
        session.add(facts)
        return session.next_question(exhausted)


def test_screening_question_comes_first(garden):
    assert ask(garden, {}) == Question("any_emergency", 100.0, ("pests_seen",))


def test_screen_answered_no_closes_its_facts(garden):
    with garden.session() as session:
        session.add({"any_emergency": False})
        assert session.facts["pests_seen"] is False
        assert session.next_question().fact == "soil"


def test_screen_answered_yes_asks_the_covered_facts(garden):
    assert ask(garden, {"any_emergency": True}).fact == "pests_seen"


def test_priority_order_among_useful_facts(garden):
    assert ask(garden, {"any_emergency": False}, exhausted={"soil"}).fact == "leaf_colour"


def test_facts_that_cannot_change_anything_are_not_asked(garden):
    # Soggy soil with yellow drooping leaves: urgency is at its top ("now"); what else is left
    # cannot overturn overwatering as the leading problem except pests (4 > 3) and light.
    facts = {"any_emergency": False, "soil": "soggy", "leaf_colour": "yellow", "drooping": True}
    question = ask(garden, facts)
    assert question is None or question.fact in {"light_hours"}
    # watered_days_ago only matters for dry soil; with soggy soil it is never worth asking
    assert ask(garden, facts, exhausted={"light_hours"}) is None


def test_nothing_left_returns_none(garden):
    facts = {
        "any_emergency": True,
        "pests_seen": True,
        "soil": "soggy",
        "leaf_colour": "brown",
        "drooping": True,
        "light_hours": 9,
        "watered_days_ago": 0,
        "pot_has_drainage": True,
    }
    assert ask(garden, facts) is None


def test_dont_know_moves_on(garden):
    first = ask(garden, {"any_emergency": False})
    second = ask(garden, {"any_emergency": False}, exhausted={first.fact})
    assert second is not None and second.fact != first.fact
