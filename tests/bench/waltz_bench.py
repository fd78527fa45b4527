"""Waltz (12 regions) side by side: forwardrules, CLIPS (clipspy, facts kept inside CLIPS) and
experta, CPU time of one run from the input records to the labelled drawing, best of 3.

forwardrules and CLIPS must give exactly the stored CLIPS output of the peer suite
(tests/engine/peers/programs/waltz); experta, which resolves conflicts depth first rather than
by LEX, must label the same number of edges each way. durable-rules has no port: its rulesets
have no salience-and-recency agenda to stage the program on (its WaltzDB is another program).
"""

from __future__ import annotations

import collections
import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PEERS = HERE.parents[0] / "engine" / "peers"
WALTZ = PEERS / "programs" / "waltz"
sys.path.insert(0, str(PEERS))

import peers  # noqa: E402
from waltz_experta import build as experta_waltz  # noqa: E402


def waltz_facts(regions: int) -> list[dict[str, Any]]:
    """The program's generate.py, loaded under its own name (Manners has a generate.py too)."""
    spec = importlib.util.spec_from_file_location("waltz_generate", WALTZ / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows: list[dict[str, Any]] = module.facts(regions)
    return rows


def _forwardrules() -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    book = peers.rulebook("waltz")

    def solve(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        with book.session() as session:
            session.insert(records)
            result = session.result()
            return [r.to_json() for r in result.records() if r.type in ("edge", "junction")]

    return solve


def _clips() -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None:
    try:
        import clips
    except ImportError:
        return None
    env = clips.Environment()
    env.eval("(set-strategy lex)")
    env.load(str(WALTZ / "program.clp"))

    def solve(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        env.reset()
        for row in records:
            slots = " ".join(f"({k} {peers.clips_value(v)})" for k, v in row.items() if k != "type")
            env.assert_string(f"({row['type']} {slots})")
        env.run()
        found = []
        for fact in env.facts():
            name = fact.template.name
            if name in ("edge", "junction"):
                found.append({"type": name, **{k: peers._python(v) for k, v in dict(fact).items()}})
        return found

    return solve


def _signature(rows: list[dict[str, Any]]) -> collections.Counter[tuple[Any, ...]]:
    return collections.Counter(
        (r["type"], r.get("label"), r.get("plotted"), r.get("kind")) for r in rows
    )


def waltz(regions: int = 12, repeats: int = 3) -> dict[str, float]:
    """Best CPU ms per engine; checked against CLIPS's stored output first."""
    records = waltz_facts(regions)
    expected = peers.expected("waltz") if regions == 12 else None
    solvers: dict[str, Callable[[list[dict[str, Any]]], Any] | None] = {
        "forwardrules": _forwardrules(),
        "clips": _clips(),
        "experta": experta_waltz(peers.functions("waltz")),
    }
    figures: dict[str, float] = {}
    for label, solve in solvers.items():
        if solve is None:
            continue
        best = float("inf")
        for _ in range(1 if label == "experta" else repeats):
            start = time.process_time()
            output = solve(records)
            best = min(best, time.process_time() - start)
        if expected is not None:
            if label == "experta":
                assert _signature(output) == _signature(expected), label
            else:
                assert peers.canonical(output) == expected, label
        figures[label] = best * 1000
    return figures


if __name__ == "__main__":
    print(waltz())
