"""The examples in engine/examples: fraud alerts, Miss Manners, Monkey and Bananas and wine."""

import itertools
import json
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from forwardrules import load_rulebook

EXAMPLES = Path(__file__).resolve().parents[2] / "engine" / "examples"
sys.path.insert(0, str(EXAMPLES / "manners"))
from generate import facts as manners_facts  # noqa: E402

CLI = [sys.executable, "-m", "forwardrules.cli"]


def expected_alerts(records):
    """The alerts, computed directly from their definitions."""
    holders = {r["card"] for r in records if r["type"] == "card_holder"}
    by_card = defaultdict(list)
    for r in records:
        if r["type"] == "transaction":
            by_card[r["card"]].append(r)
    alerts = set()
    for card, rows in by_card.items():
        if len(rows) > 5:
            alerts.add((card, "many"))
        if sum(r["amount"] for r in rows) > 10_000:
            alerts.add((card, "big_spender"))
        if card not in holders:
            alerts.add((card, "unknown_card"))
        for a, b in itertools.combinations(rows, 2):
            if a["country"] != b["country"] and abs(a["minute"] - b["minute"]) < 60:
                alerts.add((card, "two_countries"))
    return alerts


def random_transactions(seed):
    rng = random.Random(seed)
    cards = [f"c{i}" for i in range(6)]
    records = [{"type": "card_holder", "card": c, "name": c.upper()} for c in cards[:4]]
    for index in range(rng.randint(5, 30)):
        records.append(
            {
                "type": "transaction",
                "id": f"t{index}",
                "card": rng.choice(cards),
                "country": rng.choice(["US", "FR", "DE"]),
                "minute": rng.randint(0, 600),
                "amount": rng.choice([5, 50, 500, 2500, 6000]),
            }
        )
    return records


@pytest.fixture(scope="module")
def fraud():
    return load_rulebook(EXAMPLES / "fraud")


def alerts_of(result):
    return {(r["card"], r["kind"]) for r in result.records("alert")}


@pytest.mark.parametrize("seed", range(12))
def test_fraud_alerts_match_their_definitions(fraud, seed):
    records = random_transactions(seed)
    with fraud.session() as session:
        session.insert(records)
        result = session.result()
        assert alerts_of(result) == expected_alerts(records)
        assert len(result.records("alert")) == len(alerts_of(result))  # one per card and kind


def test_fraud_alerts_go_when_their_transactions_do(fraud):
    records = json.loads((EXAMPLES / "fraud" / "transactions.json").read_text())
    with fraud.session() as session:
        session.insert(records)
        assert ("4000-1", "two_countries") in alerts_of(session.result())
        t2 = next(r for r in session.records("transaction") if r["id"] == "t2")
        session.remove(t2.id)
        result = session.result()
        assert ("4000-1", "two_countries") not in alerts_of(result)
        remaining = [r.to_json() for r in result.records() if r.type != "alert"]
        assert alerts_of(result) == expected_alerts(remaining)


def test_fraud_from_the_command_line():
    done = subprocess.run(
        [*CLI, "run", str(EXAMPLES / "fraud"), str(EXAMPLES / "fraud" / "transactions.json")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout)["facts"]
    assert sorted((f["card"], f["kind"]) for f in facts if f["type"] == "alert") == [
        ("4000-1", "two_countries"),
        ("4000-2", "big_spender"),
        ("9999-9", "unknown_card"),
    ]


def check_seating(guests, seats):
    hobbies = defaultdict(set)
    sex = {}
    for g in guests:
        hobbies[g["name"]].add(g["hobby"])
        sex[g["name"]] = g["sex"]
    assert sorted(s for s, _ in seats) == list(range(1, len(sex) + 1))
    order = [name for _, name in sorted(seats)]
    assert sorted(order) == sorted(sex)  # each guest exactly once
    for left, right in itertools.pairwise(order):
        assert sex[left] != sex[right], (left, right)
        assert hobbies[left] & hobbies[right], (left, right)


@pytest.mark.parametrize("guests", [16, 32])
def test_manners_seats_every_guest_next_to_a_compatible_neighbour(guests):
    book = load_rulebook(EXAMPLES / "manners")
    records = manners_facts(guests, seed=guests)
    with book.session() as session:
        session.insert(records)
        result = session.result()
    seats = [(r["seat"], r["guest"]) for r in result.records("seat")]
    check_seating([r for r in records if r["type"] == "guest"], seats)


def test_manners_from_the_command_line(tmp_path):
    path = tmp_path / "guests.json"
    path.write_text(json.dumps(manners_facts(16)))
    done = subprocess.run(
        [*CLI, "run", str(EXAMPLES / "manners"), str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    seats = [
        (f["seat"], f["guest"]) for f in json.loads(done.stdout)["facts"] if f["type"] == "seat"
    ]
    check_seating([r for r in manners_facts(16) if r["type"] == "guest"], seats)


def test_a_bad_record_on_the_command_line_exits_2(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"type": "transaction", "id": "t1", "card": "x"}]))
    done = subprocess.run(
        [*CLI, "run", str(EXAMPLES / "fraud"), str(path)], capture_output=True, text=True
    )
    assert done.returncode == 2 and done.stdout == ""
    assert "missing field 'country'" in done.stderr and len(done.stderr.splitlines()) == 1


@pytest.mark.parametrize("guests", [8, 16, 32])
def test_best_first_search_fires_exactly_what_full_matching_fires(guests):
    """Rules matched lazily (best activation only) follow the same agenda as full matching."""
    from forwardrules.inference import RecordEngine

    book = load_rulebook(EXAMPLES / "manners")
    runs = []
    for best_first in (True, False):
        engine = RecordEngine(book.vocabulary.records, book.record_rules, best_first=best_first)
        for record in manners_facts(guests, seed=guests + 1):
            fields = {k: v for k, v in record.items() if k != "type"}
            engine.insert(record["type"], fields)
        engine.run()
        runs.append(
            [(f.rule, sorted((r.id, r.stamp) for r in f.matched.values())) for f in engine.firings]
        )
    assert runs[0] == runs[1]


@pytest.mark.parametrize("name", ["monkey_bananas", "wine"])
def test_ported_examples_are_the_peer_programs(name):
    """The wheel's ports of CLIPS's examples are the programs the peer suite compares with CLIPS
    (tests/engine/peers)."""
    peer = Path(__file__).resolve().parent / "peers" / "programs" / name
    for file in ("rules.yaml", "facts.json"):
        assert (EXAMPLES / name / file).read_text() == (peer / file).read_text()


def test_monkey_bananas_eats_the_bananas():
    with load_rulebook(EXAMPLES / "monkey_bananas").session() as session:
        session.insert(json.loads((EXAMPLES / "monkey_bananas" / "facts.json").read_text()))
        result = session.result()
    assert not result.records("goal")  # every goal met, the bananas eaten
    assert not [t for t in result.records("thing") if t["name"] == "bananas"]


def test_wine_ranks_the_wines_for_the_meal():
    with load_rulebook(EXAMPLES / "wine").session() as session:
        session.insert(json.loads((EXAMPLES / "wine" / "facts.json").read_text()))
        wines = [c for c in session.result().records("conclusion") if c["name"] == "wine"]
    best = max(wines, key=lambda c: c["certainty"])
    assert (best["value"], best["certainty"]) == ("Gamay", 97.44)
