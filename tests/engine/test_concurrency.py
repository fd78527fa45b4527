"""Many threads, thousands of sessions: the same answers as a serial run, no crash."""

import itertools
import random
import threading
from concurrent.futures import ThreadPoolExecutor

VALUES = {
    "leaf_colour": ["green", "yellow", "brown", "spotted"],
    "soil": ["dry", "moist", "soggy"],
    "watered_days_ago": [0, 1, 3, 10],
    "light_hours": [2, 6, 9],
    "pests_seen": [True, False],
    "drooping": [True, False],
    "pot_has_drainage": [True, False],
}


def cases(count: int, seed: int = 7):
    rng = random.Random(seed)
    for _ in range(count):
        yield {k: rng.choice(v) for k, v in VALUES.items() if rng.random() < 0.7}


def outcome(book, facts):
    with book.session() as session:
        session.add(facts)
        result = session.result()
        question = session.next_question()
        return (
            result.conclusions(),
            [f.rule for f in result.firings],
            question.fact if question else None,
        )


def test_eight_threads_match_a_serial_run(garden):
    facts = list(cases(3000))
    serial = [outcome(garden, f) for f in facts]
    threads_before = threading.active_count()
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda f: outcome(garden, f), facts))
    assert parallel == serial
    assert threading.active_count() == threads_before


def test_interleaved_sessions_do_not_see_each_other(garden):
    sessions = [garden.session() for _ in range(50)]
    for index, session in enumerate(sessions):
        session.add({"pests_seen": index % 2 == 0})
    for index, session in zip(itertools.count(), sessions, strict=False):
        expected = ("pests",) if index % 2 == 0 else ()
        assert session.result().value("warnings") == expected
        session.close()


def test_record_sessions_in_eight_threads_match_a_serial_run():
    from pathlib import Path

    from forwardrules import load_rulebook

    fraud = load_rulebook(Path(__file__).resolve().parents[2] / "engine" / "examples" / "fraud")
    rng = random.Random(11)

    def case(seed):
        rng = random.Random(seed)
        return [
            {"type": "transaction", "id": f"t{i}", "card": rng.choice("abc"),
             "country": rng.choice(["US", "FR"]), "minute": rng.randint(0, 300),
             "amount": rng.choice([10, 4000])}
            for i in range(rng.randint(1, 12))
        ]  # fmt: skip

    def alerts(records):
        with fraud.session() as session:
            session.insert(records)
            return sorted((r["card"], r["kind"]) for r in session.result().records("alert"))

    cases = [case(rng.randint(0, 10**6)) for _ in range(300)]
    serial = [alerts(c) for c in cases]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(alerts, cases)) == serial
