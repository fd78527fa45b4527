"""Miss Manners hand-written for durable-rules (decorators, as a durable-rules user writes it).

The same rules as engine/examples/manners/rules.yaml. durable-rules has no modify: a change is a
retract and an assert. It has no aggregate either, so the number of seats comes in as a fact.
"""

from __future__ import annotations

import itertools
from typing import Any

from durable.engine import Host
from durable.lang import c, m, none, pri, ruleset, when_all

_names = itertools.count()


class _Timerless(Host):
    def _run(self) -> None:
        pass


def build() -> tuple[Host, str, list[tuple[int, str]]]:
    seats: list[tuple[int, str]] = []
    name = f"manners_hand_{next(_names)}"
    with ruleset(name):

        @when_all(
            c.ctx << ((m.t == "context") & (m.state == "start")),
            c.g << (m.t == "guest"),
            c.cnt << (m.t == "count"),
        )
        def assign_first_seat(c: Any) -> None:
            n, g = c.cnt.value, c.g.name
            c.assert_fact({"t": "seating", "no": n, "pid": 0, "seat1": 1, "name1": g,
                           "seat2": 1, "name2": g, "done": True})  # fmt: skip
            c.assert_fact({"t": "path", "no": n, "name": g, "seat": 1})
            c.retract_fact(c.cnt)
            c.assert_fact({"t": "count", "value": n + 1})
            c.retract_fact(c.ctx)
            c.assert_fact({"t": "context", "state": "assign_seats"})

        @when_all(
            c.ctx << ((m.t == "context") & (m.state == "assign_seats")),
            c.st << ((m.t == "seating") & (m.done == True)),  # noqa: E712
            c.g1 << ((m.t == "guest") & (m.name == c.st.name2)),
            c.g2 << ((m.t == "guest") & (m.sex != c.g1.sex) & (m.hobby == c.g1.hobby)),
            c.cnt << (m.t == "count"),
            none((m.t == "path") & (m.no == c.st.no) & (m.name == c.g2.name)),
            none(
                (m.t == "chosen") & (m.no == c.st.no) & (m.name == c.g2.name)
                & (m.hobby == c.g1.hobby)
            ),
        )  # fmt: skip
        def find_seating(c: Any) -> None:
            n, s = c.cnt.value, c.st
            c.assert_fact({"t": "seating", "no": n, "pid": s.no, "seat1": s.seat2,
                           "name1": s.name2, "seat2": s.seat2 + 1, "name2": c.g2.name,
                           "done": False})  # fmt: skip
            c.assert_fact({"t": "path", "no": n, "name": c.g2.name, "seat": s.seat2 + 1})
            c.assert_fact({"t": "chosen", "no": s.no, "name": c.g2.name, "hobby": c.g1.hobby})
            c.retract_fact(c.cnt)
            c.assert_fact({"t": "count", "value": n + 1})
            c.retract_fact(c.ctx)
            c.assert_fact({"t": "context", "state": "make_path"})

        @when_all(
            pri(1),
            c.ctx << ((m.t == "context") & (m.state == "make_path")),
            c.st << ((m.t == "seating") & (m.done == False)),  # noqa: E712
            c.p << ((m.t == "path") & (m.no == c.st.pid)),
            none((m.t == "path") & (m.no == c.st.no) & (m.name == c.p.name)),
        )
        def make_path(c: Any) -> None:
            c.assert_fact({"t": "path", "no": c.st.no, "name": c.p.name, "seat": c.p.seat})

        @when_all(
            pri(2),
            c.ctx << ((m.t == "context") & (m.state == "make_path")),
            c.st << ((m.t == "seating") & (m.done == False)),  # noqa: E712
        )
        def path_done(c: Any) -> None:
            c.retract_fact(c.st)
            c.assert_fact({**c.st._d, "done": True})
            c.retract_fact(c.ctx)
            c.assert_fact({"t": "context", "state": "check_done"})

        @when_all(
            pri(1),
            c.ctx << ((m.t == "context") & (m.state == "check_done")),
            c.last << (m.t == "last_seat"),
            c.st << ((m.t == "seating") & (m.seat2 == c.last.seat)),
        )
        def are_we_done(c: Any) -> None:
            c.retract_fact(c.ctx)
            c.assert_fact({"t": "context", "state": "print_results", "no": c.st.no})

        @when_all(pri(2), c.ctx << ((m.t == "context") & (m.state == "check_done")))
        def go_on(c: Any) -> None:
            c.retract_fact(c.ctx)
            c.assert_fact({"t": "context", "state": "assign_seats"})

        @when_all(
            c.ctx << ((m.t == "context") & (m.state == "print_results")),
            c.p << ((m.t == "path") & (m.no == c.ctx.no)),
        )
        def print_results(c: Any) -> None:
            seats.append((c.p.seat, c.p.name))

    from durable.lang import _rulesets

    definition = _rulesets[name].define()[1]
    host = _Timerless()
    host.register_rulesets({name: definition})
    return host, name, seats


def run(
    records: list[dict[str, Any]], built: tuple[Host, str, list[tuple[int, str]]]
) -> list[tuple[int, str]]:
    host, name, seats = built
    seats.clear()
    guests = [r for r in records if r["type"] == "guest"]
    facts: list[dict[str, Any]] = [
        {"t": "guest", "name": g["name"], "sex": g["sex"], "hobby": g["hobby"]} for g in guests
    ]
    facts.append({"t": "last_seat", "seat": len({g["name"] for g in guests})})
    facts.append({"t": "count", "value": 1})
    facts.append({"t": "context", "state": "start"})
    sid = f"s{next(_names)}"
    host.assert_facts(name, [{"sid": sid, **f} for f in facts])
    host.delete_state(name, sid)
    return sorted(seats)
