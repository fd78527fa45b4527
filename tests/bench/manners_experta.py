"""Miss Manners for experta (a pure-Python RETE), the same rules as
engine/examples/manners/rules.yaml; the number of seats comes in as a fact (experta has no
count element). experta 1.9.4 imports on Python 3.11 only with collections.Mapping restored."""

from __future__ import annotations

import collections
import collections.abc
from typing import Any


def _experta() -> Any:
    collections.Mapping = collections.abc.Mapping  # type: ignore[attr-defined]
    import experta

    return experta


def build() -> Any:
    """The engine class, or None when experta is not installed."""
    try:
        ex = _experta()
    except ImportError:
        return None
    AS, MATCH, NOT, TEST, Fact, Rule = ex.AS, ex.MATCH, ex.NOT, ex.TEST, ex.Fact, ex.Rule

    class Guest(Fact):  # type: ignore[misc,valid-type]
        pass

    class Count(Fact):  # type: ignore[misc,valid-type]
        pass

    class Context(Fact):  # type: ignore[misc,valid-type]
        pass

    class LastSeat(Fact):  # type: ignore[misc,valid-type]
        pass

    class Seating(Fact):  # type: ignore[misc,valid-type]
        pass

    class Path(Fact):  # type: ignore[misc,valid-type]
        pass

    class Chosen(Fact):  # type: ignore[misc,valid-type]
        pass

    class Manners(ex.KnowledgeEngine):  # type: ignore[misc,name-defined]
        seats: list[tuple[int, str]]

        @Rule(AS.ctx << Context(state="start"), Guest(name=MATCH.n), AS.c << Count(value=MATCH.v))
        def assign_first_seat(self, ctx: Any, n: str, c: Any, v: int) -> None:
            self.declare(Seating(id=v, pid=0, seat1=1, name1=n, seat2=1, name2=n, done=True))
            self.declare(Path(id=v, name=n, seat=1))
            self.modify(c, value=v + 1)
            self.modify(ctx, state="assign_seats")

        @Rule(
            AS.ctx << Context(state="assign_seats"),
            Seating(id=MATCH.id, seat2=MATCH.seat2, name2=MATCH.n2, done=True),
            Guest(name=MATCH.n2, sex=MATCH.s1, hobby=MATCH.h1),
            Guest(name=MATCH.g2, sex=MATCH.s2, hobby=MATCH.h1),
            TEST(lambda s1, s2: s1 != s2),
            AS.c << Count(value=MATCH.v),
            NOT(Path(id=MATCH.id, name=MATCH.g2)),
            NOT(Chosen(id=MATCH.id, name=MATCH.g2, hobby=MATCH.h1)),
        )
        def find_seating(
            self, ctx: Any, id: int, seat2: int, n2: str, h1: str, g2: str, c: Any, v: int, **_: Any
        ) -> None:
            self.declare(
                Seating(id=v, pid=id, seat1=seat2, name1=n2, seat2=seat2 + 1, name2=g2, done=False)
            )
            self.declare(Path(id=v, name=g2, seat=seat2 + 1))
            self.declare(Chosen(id=id, name=g2, hobby=h1))
            self.modify(c, value=v + 1)
            self.modify(ctx, state="make_path")

        @Rule(
            Context(state="make_path"),
            Seating(id=MATCH.id, pid=MATCH.pid, done=False),
            Path(id=MATCH.pid, name=MATCH.n1, seat=MATCH.s),
            NOT(Path(id=MATCH.id, name=MATCH.n1)),
        )
        def make_path(self, id: int, n1: str, s: int, **_: Any) -> None:
            self.declare(Path(id=id, name=n1, seat=s))

        @Rule(AS.ctx << Context(state="make_path"), AS.s << Seating(done=False), salience=-1)
        def path_done(self, ctx: Any, s: Any) -> None:
            self.modify(s, done=True)
            self.modify(ctx, state="check_done")

        @Rule(
            AS.ctx << Context(state="check_done"),
            LastSeat(seat=MATCH.last),
            Seating(seat2=MATCH.last),
            salience=1,
        )
        def are_we_done(self, ctx: Any, **_: Any) -> None:
            self.modify(ctx, state="print_results")

        @Rule(AS.ctx << Context(state="check_done"))
        def carry_on(self, ctx: Any) -> None:
            self.modify(ctx, state="assign_seats")

        @Rule(
            Context(state="print_results"),
            LastSeat(seat=MATCH.last),
            Seating(id=MATCH.id, seat2=MATCH.last),
            Path(id=MATCH.id, name=MATCH.n, seat=MATCH.s),
        )
        def print_results(self, n: str, s: int, **_: Any) -> None:
            self.seats.append((s, n))

    def solve(records: list[dict[str, Any]]) -> list[tuple[int, str]]:
        engine = Manners()
        engine.seats = []
        engine.reset()
        guests = [r for r in records if r["type"] == "guest"]
        for g in guests:
            engine.declare(Guest(name=g["name"], sex=g["sex"], hobby=g["hobby"]))
        engine.declare(LastSeat(seat=len({g["name"] for g in guests})))
        engine.declare(Count(value=1))
        engine.declare(Context(state="start"))
        engine.run()
        return sorted(engine.seats)

    return solve
