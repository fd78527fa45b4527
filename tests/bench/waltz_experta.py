"""Waltz for experta (a pure-Python RETE): the rules of tests/engine/peers/programs/waltz,
written for experta (inequalities as TEST elements), the geometry from the same functions.py.
experta resolves conflicts depth-first, not by LEX: its labels are checked against CLIPS's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from manners_experta import _experta


def build(functions: dict[str, Callable[..., Any]]) -> Callable[[list[dict[str, Any]]], Any] | None:
    """A solver returning the edges and junctions as records, or None without experta."""
    try:
        ex = _experta()
    except ImportError:
        return None
    AS, MATCH, NOT, TEST = ex.AS, ex.MATCH, ex.NOT, ex.TEST
    Fact, Rule = ex.Fact, ex.Rule
    kind_of, barb1 = functions["junction_type"], functions["junction_barb1"]
    shaft_of, barb2 = functions["junction_shaft"], functions["junction_barb2"]

    class Stage(Fact):  # type: ignore[misc,valid-type]
        pass

    class Line(Fact):  # type: ignore[misc,valid-type]
        pass

    class Edge(Fact):  # type: ignore[misc,valid-type]
        pass

    class Junction(Fact):  # type: ignore[misc,valid-type]
        pass

    running: list[Any] = []

    def junctions() -> list[int]:
        """Base points of the junctions: experta has no TEST inside NOT, so `no junction with
        a higher base point` is asked of working memory directly (junctions no longer change
        by then)."""
        return [f["base_point"] for f in running[0].facts.values() if isinstance(f, Junction)]

    def stale(engine: Any, *facts: Any) -> bool:
        """experta 1.9.4 can leave an activation on its agenda after a fact it matched was
        modified (through a TEST node); such an activation must not fire (CLIPS drops it)."""
        return any(f.__factid__ not in engine.facts for f in facts)

    def edge(p1: int, p2: int) -> Any:
        return Edge(p1=p1, p2=p2, joined=False, label="nil", plotted="nil")

    class Waltz(ex.KnowledgeEngine):  # type: ignore[misc,name-defined]
        @Rule(Stage(value="duplicate"), AS.line << Line(p1=MATCH.p1, p2=MATCH.p2))
        def reverse_edges(self, line: Any, p1: int, p2: int) -> None:
            self.declare(edge(p1, p2))
            self.declare(edge(p2, p1))
            self.retract(line)

        @Rule(AS.s << Stage(value="duplicate"), NOT(Line()), salience=-10)
        def done_reversing(self, s: Any) -> None:
            self.modify(s, value="detect_junctions")

        @Rule(
            Stage(value="detect_junctions"),
            AS.e1 << Edge(p1=MATCH.b, p2=MATCH.p1, joined=False),
            AS.e2 << Edge(p1=MATCH.b, p2=MATCH.p2, joined=False),
            TEST(lambda p1, p2: p1 != p2),
            AS.e3 << Edge(p1=MATCH.b, p2=MATCH.p3, joined=False),
            TEST(lambda p1, p2, p3: p3 != p1 and p3 != p2),
            salience=10,
        )
        def make_3_junction(
            self, e1: Any, e2: Any, e3: Any, b: int, p1: int, p2: int, p3: int
        ) -> None:
            if stale(self, e1, e2, e3):
                return
            self.declare(
                Junction(
                    base_point=b, kind=kind_of(b, p1, p2, p3), p1=barb1(b, p1, p2, p3),
                    p2=shaft_of(b, p1, p2, p3), p3=barb2(b, p1, p2, p3),
                )
            )  # fmt: skip
            for e in (e1, e2, e3):
                self.modify(e, joined=True)

        @Rule(
            Stage(value="detect_junctions"),
            AS.e1 << Edge(p1=MATCH.b, p2=MATCH.p1, joined=False),
            AS.e2 << Edge(p1=MATCH.b, p2=MATCH.p2, joined=False),
            TEST(lambda p1, p2: p1 != p2),
            NOT(Edge(p1=MATCH.b, p2=~MATCH.p1 & ~MATCH.p2)),
        )
        def make_L(self, e1: Any, e2: Any, b: int, p1: int, p2: int, **_: Any) -> None:
            if stale(self, e1, e2):
                return
            self.declare(Junction(base_point=b, kind="L", p1=p1, p2=p2, p3=0))
            self.modify(e1, joined=True)
            self.modify(e2, joined=True)

        @Rule(AS.s << Stage(value="detect_junctions"), salience=-10)
        def done_detecting(self, s: Any) -> None:
            self.modify(s, value="find_initial_boundary")

        def boundary(self, s: Any, edges: list[tuple[Any, str]], stage: str) -> None:
            if stale(self, s, *(e for e, _ in edges)):
                return
            for e, label in edges:
                self.modify(e, label=label)
            self.modify(s, value=stage)

        @Rule(
            AS.s << Stage(value="find_initial_boundary"),
            Junction(kind="L", base_point=MATCH.b, p1=MATCH.p1, p2=MATCH.p2),
            AS.e1 << Edge(p1=MATCH.b, p2=MATCH.p1),
            AS.e2 << Edge(p1=MATCH.b, p2=MATCH.p2),
            TEST(lambda b: b == max(junctions())),
        )
        def initial_boundary_junction_L(self, s: Any, e1: Any, e2: Any, **_: Any) -> None:
            self.boundary(s, [(e1, "B"), (e2, "B")], "find_second_boundary")

        @Rule(
            AS.s << Stage(value="find_initial_boundary"),
            Junction(kind="arrow", base_point=MATCH.b, p1=MATCH.p1, p2=MATCH.p2, p3=MATCH.p3),
            AS.e1 << Edge(p1=MATCH.b, p2=MATCH.p1),
            AS.e2 << Edge(p1=MATCH.b, p2=MATCH.p2),
            AS.e3 << Edge(p1=MATCH.b, p2=MATCH.p3),
            TEST(lambda b: b == max(junctions())),
        )
        def initial_boundary_junction_arrow(
            self, s: Any, e1: Any, e2: Any, e3: Any, **_: Any
        ) -> None:
            self.boundary(s, [(e1, "B"), (e2, "+"), (e3, "B")], "find_second_boundary")

        @Rule(
            AS.s << Stage(value="find_second_boundary"),
            Junction(kind="L", base_point=MATCH.b, p1=MATCH.p1, p2=MATCH.p2),
            AS.e1 << Edge(p1=MATCH.b, p2=MATCH.p1),
            AS.e2 << Edge(p1=MATCH.b, p2=MATCH.p2),
            TEST(lambda b: b == min(junctions())),
        )
        def second_boundary_junction_L(self, s: Any, e1: Any, e2: Any, **_: Any) -> None:
            self.boundary(s, [(e1, "B"), (e2, "B")], "labeling")

        @Rule(
            AS.s << Stage(value="find_second_boundary"),
            Junction(kind="arrow", base_point=MATCH.b, p1=MATCH.p1, p2=MATCH.p2, p3=MATCH.p3),
            AS.e1 << Edge(p1=MATCH.b, p2=MATCH.p1),
            AS.e2 << Edge(p1=MATCH.b, p2=MATCH.p2),
            AS.e3 << Edge(p1=MATCH.b, p2=MATCH.p3),
            TEST(lambda b: b == min(junctions())),
        )
        def second_boundary_junction_arrow(
            self, s: Any, e1: Any, e2: Any, e3: Any, **_: Any
        ) -> None:
            self.boundary(s, [(e1, "B"), (e2, "+"), (e3, "B")], "labeling")

        @Rule(
            Stage(value="labeling"),
            AS.e1 << Edge(p1=MATCH.p1, p2=MATCH.p2, label=MATCH.lab),
            TEST(lambda lab: lab in ("+", "-", "B")),
            AS.e2 << Edge(p1=MATCH.p2, p2=MATCH.p1, label="nil"),
        )
        def match_edge(self, e1: Any, e2: Any, lab: str, **_: Any) -> None:
            if stale(self, e1, e2):
                return
            self.modify(e1, plotted="t")
            self.modify(e2, label=lab, plotted="t")

        @Rule(
            Stage(value="labeling"),
            Junction(kind="L", base_point=MATCH.b),
            Edge(p1=MATCH.b, p2=MATCH.p2, label=MATCH.lab),
            TEST(lambda lab: lab in ("+", "-")),
            AS.e2 << Edge(p1=MATCH.b, p2=MATCH.o, label="nil"),
            TEST(lambda o, p2: o != p2),
        )
        def label_L(self, e2: Any, **_: Any) -> None:
            if stale(self, e2):
                return
            self.modify(e2, label="B")

        @Rule(
            Stage(value="labeling"),
            Junction(kind="tee", base_point=MATCH.b, p1=MATCH.p1, p3=MATCH.p3),
            AS.e1 << Edge(p1=MATCH.b, p2=MATCH.p1, label="nil"),
            AS.e2 << Edge(p1=MATCH.b, p2=MATCH.p3),
            salience=5,
        )
        def label_tee_A(self, e1: Any, e2: Any, **_: Any) -> None:
            if stale(self, e1, e2):
                return
            self.modify(e1, label="B")
            self.modify(e2, label="B")

        @Rule(
            Stage(value="labeling"),
            Junction(kind="tee", base_point=MATCH.b, p1=MATCH.p1, p3=MATCH.p3),
            AS.e1 << Edge(p1=MATCH.b, p2=MATCH.p1),
            AS.e2 << Edge(p1=MATCH.b, p2=MATCH.p3, label="nil"),
        )
        def label_tee_B(self, e1: Any, e2: Any, **_: Any) -> None:
            if stale(self, e1, e2):
                return
            self.modify(e1, label="B")
            self.modify(e2, label="B")

    # The fork and arrow rules follow one pattern each: made in a loop, as rules.yaml lists them.
    def fork_rule(name: str, l1: str, l2: str, l3: str | None, new: tuple[str | None, str]) -> None:
        tests = [
            Stage(value="labeling"),
            Junction(kind="fork", base_point=MATCH.b),
            AS.e1 << Edge(p1=MATCH.b, p2=MATCH.p1, label=l1),
            AS.e2
            << (Edge(p1=MATCH.b, p2=MATCH.p2, label=l2) if l2 else Edge(p1=MATCH.b, p2=MATCH.p2)),
            TEST(lambda p1, p2: p1 != p2),
            AS.e3
            << (Edge(p1=MATCH.b, p2=MATCH.p3, label=l3) if l3 else Edge(p1=MATCH.b, p2=MATCH.p3)),
            TEST(lambda p1, p2, p3: p3 not in (p1, p2)),
        ]

        def action(self: Any, e2: Any, e3: Any, **_: Any) -> None:
            if stale(self, e2, e3):
                return
            if new[0] is not None:
                self.modify(e2, label=new[0])
            self.modify(e3, label=new[1])

        action.__name__ = name
        setattr(Waltz, name, Rule(*tests)(action))

    fork_rule("label_fork_1", "+", "nil", None, ("+", "+"))
    fork_rule("label_fork_2", "B", "-", "nil", (None, "B"))
    fork_rule("label_fork_3", "B", "B", "nil", (None, "-"))
    fork_rule("label_fork_4", "-", "-", "nil", (None, "-"))

    def arrow_rule(
        name: str, salience: int, known: str, labels: tuple[str, ...], sides: tuple[str, str],
        nil_first: bool, new: tuple[str, str | None],
    ) -> None:  # fmt: skip
        first = {"p2": getattr(MATCH, sides[0])} | ({"label": "nil"} if nil_first else {})
        second = {"p2": getattr(MATCH, sides[1])} | ({} if nil_first else {"label": "nil"})
        tests = [
            Stage(value="labeling"),
            Junction(kind="arrow", base_point=MATCH.b, p1=MATCH.p1, p2=MATCH.p2, p3=MATCH.p3),
            Edge(p1=MATCH.b, p2=getattr(MATCH, known), label=MATCH.lab),
            TEST(lambda lab: lab in labels),
            AS.f4 << Edge(p1=MATCH.b, **first),
            AS.f5 << Edge(p1=MATCH.b, **second),
        ]

        def action(self: Any, f4: Any, f5: Any, lab: str, **_: Any) -> None:
            if stale(self, f4, f5):
                return
            self.modify(f4, label=new[0])
            self.modify(f5, label=new[1] if new[1] is not None else lab)

        action.__name__ = name
        setattr(Waltz, name, Rule(*tests, salience=salience)(action))

    bm = ("B", "-")
    arrow_rule("label_arrow_1A", 5, "p1", bm, ("p2", "p3"), True, ("+", None))
    arrow_rule("label_arrow_1B", 0, "p1", bm, ("p2", "p3"), False, ("+", None))
    arrow_rule("label_arrow_2A", 5, "p3", bm, ("p2", "p1"), True, ("+", None))
    arrow_rule("label_arrow_2B", 0, "p3", bm, ("p2", "p1"), False, ("+", None))
    arrow_rule("label_arrow_3A", 5, "p1", ("+",), ("p2", "p3"), True, ("-", "+"))
    arrow_rule("label_arrow_3B", 0, "p1", ("+",), ("p2", "p3"), False, ("-", "+"))
    arrow_rule("label_arrow_4A", 5, "p3", ("+",), ("p2", "p1"), True, ("-", "+"))
    arrow_rule("label_arrow_4B", 0, "p3", ("+",), ("p2", "p1"), False, ("-", "+"))
    arrow_rule("label_arrow_5A", 5, "p2", ("-",), ("p1", "p3"), False, ("+", "+"))
    arrow_rule("label_arrow_5B", 0, "p2", ("-",), ("p1", "p3"), True, ("+", "+"))

    class Late(Waltz):  # type: ignore[misc,valid-type]
        @Rule(AS.s << Stage(value="labeling"), salience=-10)
        def done_labeling(self, s: Any) -> None:
            self.modify(s, value="plot_remaining_edges")

        @Rule(
            Stage(value="plot_remaining_edges"),
            AS.e << Edge(plotted="nil", label=MATCH.lab),
            TEST(lambda lab: lab != "nil"),
        )
        def plot_remaining(self, e: Any, **_: Any) -> None:
            if stale(self, e):
                return
            self.modify(e, plotted="t")

        @Rule(Stage(value="plot_remaining_edges"), AS.e << Edge(plotted="nil", label="nil"))
        def plot_boundaries(self, e: Any) -> None:
            if stale(self, e):
                return
            self.modify(e, plotted="t")

        @Rule(AS.s << Stage(value="plot_remaining_edges"), salience=-10)
        def done_plotting(self, s: Any) -> None:
            self.modify(s, value="done")

    def solve(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        engine = Late()
        running[:] = [engine]
        engine.reset()
        for row in records:
            fields = {k: v for k, v in row.items() if k != "type"}
            engine.declare(Stage(**fields) if row["type"] == "stage" else Line(**fields))
        engine.run()
        found = []
        for fact in engine.facts.values():
            name = type(fact).__name__.lower()
            if name in ("edge", "junction"):
                found.append({"type": name, **{k: v for k, v in fact.items() if k != "__factid__"}})
        return found

    return solve
