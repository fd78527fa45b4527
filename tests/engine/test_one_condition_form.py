"""One compiled form of a condition: the DNF alternatives durable-rules runs (one durable rule
each) are what question selection judges too, with one evaluator (`compile_alternatives`).
Checked against Kleene three-valued logic on the condition as written, over random conditions
and random atom truths."""

import random

from forwardrules.conditions import All, AnyOf, Atom, Not, Truth, compile_alternatives, dnf, holds

ATOMS = [Atom("f", "eq", v) for v in "abcde"] + [Atom("g", "present")]


def kleene(condition, truth):
    if isinstance(condition, Atom):
        if condition.op == "absent":
            return ~truth[Atom(condition.fact, "present")]
        return truth[condition]
    if isinstance(condition, Not):
        return ~kleene(condition.part, truth)
    values = [kleene(part, truth) for part in condition.parts]
    return min(values) if isinstance(condition, All) else max(values)


def random_condition(rng, depth=0):
    roll = rng.random()
    if depth > 2 or roll < 0.3:
        atom = rng.choice(ATOMS)
        if atom.op == "present" and rng.random() < 0.3:
            return Atom(atom.fact, "absent")
        return atom
    if roll < 0.45:
        return Not(random_condition(rng, depth + 1))
    parts = tuple(random_condition(rng, depth + 1) for _ in range(rng.randint(1, 3)))
    return All(parts) if roll < 0.75 else AnyOf(parts)


def test_the_compiled_form_judges_as_the_condition_reads():
    rng = random.Random(24)
    slots = {atom: index for index, atom in enumerate(ATOMS)}
    checked = 0
    for _ in range(400):
        condition = random_condition(rng)
        judge = compile_alternatives(tuple(dnf(condition)), slots.__getitem__)
        for _ in range(8):
            truth = {atom: rng.choice(list(Truth)) for atom in ATOMS}
            expected = kleene(condition, truth)
            assert judge([None] * len(ATOMS), lambda atom, t=truth: t[atom]) is expected, condition
            checked += 1
            if Truth.UNKNOWN not in truth.values():
                assert holds(
                    tuple(dnf(condition)), lambda atom, t=truth: t[atom] is Truth.TRUE
                ) == (expected is Truth.TRUE)
    assert checked == 3200


def test_question_selection_reads_the_rules_compiled_conditions(garden):
    """Every judge is built from the rule's alternatives, the durable-rules form."""
    for rule in garden.rules:
        assert rule.alternatives  # the compiled form every reader uses
    assert set(garden.judges) == {rule.id for rule in garden.rules}
    assert set(garden.atom_index) == {
        lit.atom for rule in garden.rules for alt in rule.alternatives for lit in alt
    }


def test_dnf_of_a_plain_conjunction_is_the_general_walks():
    """dnf's shortcut for an `all` of tests and negated tests gives what the general walk gives,
    on random conditions of every shape."""
    import random

    from forwardrules.conditions import All, AnyOf, Atom, Not, _dnf_walk, dnf

    leaves = [Atom("a", "eq", 1), Atom("b", "absent"), Atom("c", "present"), Atom("d", "gt", 2)]

    def condition(depth, rng):
        roll = rng.random()
        if depth == 0 or roll < 0.4:
            return rng.choice(leaves)
        if roll < 0.55:
            return Not(condition(depth - 1, rng))
        kind = rng.choice([All, AnyOf])
        return kind(tuple(condition(depth - 1, rng) for _ in range(rng.randint(1, 3))))

    rng = random.Random(7)
    for _ in range(3000):
        tested = condition(3, rng)
        assert dnf(tested) == _dnf_walk(tested, True, 256), tested
    assert dnf(All((leaves[0], Not(leaves[1])))) == _dnf_walk(
        All((leaves[0], Not(leaves[1]))), True, 256
    )
