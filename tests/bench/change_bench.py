"""One change in a big session: insert, modify or retract one record, then `result()`.

The fraud rules (engine/examples/fraud) over N transactions on N/20 cards, most with a card
holder. forwardrules keeps matches incrementally; CLIPS (clipspy) is the reference, its facts kept
inside CLIPS (without `many` and `big_spender`: CLIPS has no count or sum element). Figures are
medians of CPU time in milliseconds (the machine is shared), printed, never asserted.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path
from typing import Any

from forwardrules import load_rulebook

ROOT = Path(__file__).resolve().parents[2]
FRAUD = ROOT / "engine" / "examples" / "fraud"
COUNTRIES = ("FR", "DE", "ES", "IT")


def transactions(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    cards = max(1, count // 20)
    rows: list[dict[str, Any]] = [
        {"type": "card_holder", "card": f"c{n}", "name": f"h{n}"}
        for n in range(cards - cards // 10)
    ]
    for n in range(count):
        rows.append(
            {
                "type": "transaction",
                "id": f"t{n}",
                "card": f"c{rng.randrange(cards)}",
                "country": rng.choice(COUNTRIES),
                "minute": rng.randrange(100_000),
                "amount": rng.randrange(1, 900),
            }
        )
    return rows


def forwardrules_per_change(count: int, changes: int = 200) -> dict[str, float]:
    book = load_rulebook(FRAUD)
    rng = random.Random(1)
    timings: dict[str, list[float]] = {"insert": [], "modify": [], "retract": []}
    with book.session() as session:
        session.insert(transactions(count))
        session.result()
        cards = max(1, count // 20)
        for n in range(changes):
            start = time.process_time()
            session.insert(
                [
                    {
                        "type": "transaction",
                        "id": f"new{n}",
                        "card": f"c{rng.randrange(cards)}",
                        "country": rng.choice(COUNTRIES),
                        "minute": rng.randrange(100_000),
                        "amount": rng.randrange(1, 900),
                    }
                ]
            )
            result = session.result()
            timings["insert"].append(time.process_time() - start)
            ids = [r.id for r in result.records("transaction")]
            target = rng.choice(ids)
            start = time.process_time()
            session.modify(target, {"amount": rng.randrange(1, 900)})
            result = session.result()
            timings["modify"].append(time.process_time() - start)
            start = time.process_time()
            session.remove(rng.choice(ids[:-1] if len(ids) > 1 else ids))
            session.result()
            timings["retract"].append(time.process_time() - start)
    return {kind: statistics.median(values) * 1000 for kind, values in timings.items()}


CLIPS_RULES = """
(deftemplate card_holder (slot card) (slot name))
(deftemplate transaction (slot id) (slot card) (slot country) (slot minute) (slot amount))
(deftemplate alert (slot card) (slot kind))
(defrule two_countries
  (transaction (card ?c) (country ?x) (minute ?m))
  (transaction (card ?c) (country ?y&~?x) (minute ?n&:(>= ?n ?m)&:(< ?n (+ ?m 60))))
  => (assert (alert (card ?c) (kind two_countries))))
(defrule unknown_card
  (transaction (card ?c))
  (not (card_holder (card ?c)))
  => (assert (alert (card ?c) (kind unknown_card))))
"""


def clips_per_change(count: int, changes: int = 200) -> dict[str, float] | None:
    try:
        import clips
    except ImportError:
        return None
    env = clips.Environment()
    for construct in CLIPS_RULES.strip().split("\n(def"):
        env.build(construct if construct.startswith("(") else "(def" + construct)
    for row in transactions(count):
        kind = row.pop("type")
        slots = " ".join(
            f"({k} {v if isinstance(v, int) else repr(str(v)).replace(chr(39), chr(34))})"
            for k, v in row.items()
        )
        env.assert_string(f"({kind} {slots})")
    env.run()
    rng = random.Random(1)
    cards = max(1, count // 20)
    timings: dict[str, list[float]] = {"insert": [], "retract": []}
    for n in range(changes):
        start = time.process_time()
        fact = env.assert_string(
            f'(transaction (id "new{n}") (card "c{rng.randrange(cards)}") (country "FR")'
            f" (minute {rng.randrange(100_000)}) (amount 5))"
        )
        env.run()
        timings["insert"].append(time.process_time() - start)
        start = time.process_time()
        fact.retract()
        env.run()
        timings["retract"].append(time.process_time() - start)
    return {kind: statistics.median(values) * 1000 for kind, values in timings.items()}


def main() -> None:
    print("one change in a session of N records (fraud rules), median ms")
    for count in (1_000, 10_000):
        ours = forwardrules_per_change(count)
        line = ", ".join(f"{k} {v:.3f}" for k, v in ours.items())
        print(f"  forwardrules N={count:>6}: {line}")
        theirs = clips_per_change(count)
        if theirs:
            line = ", ".join(f"{k} {v:.3f}" for k, v in theirs.items())
            print(f"  CLIPS        N={count:>6}: {line}")


if __name__ == "__main__":
    main()
