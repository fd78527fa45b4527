"""The garden rules (tests/data/garden) written by hand for durable-rules and for CLIPS (clipspy),
both giving the engine's answers.

durable-rules, correctly: `none(...)` holds until the fact it negates arrives, and a durable-rules
activation is not withdrawn when it does (even for a later fact of the same batch), so the three
rules with `none` wait for a phase marker asserted once every input and the first phase's derived
facts are in; and a
fact asserted twice is an error inside an action (swallowed), so `overwatered` is asserted once.
CLIPS withdraws activations itself and ignores duplicate facts. Facts stay inside CLIPS: the
conclusions are read through globals, never as Fact objects.
"""

from __future__ import annotations

import itertools
from typing import Any

from durable.engine import Host
from durable.lang import c, m, none, pri, ruleset, when_all

ORDER = ["fine", "soon", "now"]
KEYS = ["overwatering", "underwatering", "low_light", "pests"]
WARNINGS = ["root_rot", "pests"]
_names = itertools.count()


class _Timerless(Host):
    def _run(self) -> None:
        pass


class DurableGarden:
    def __init__(self) -> None:
        out: dict[str, Any] = {}
        self.out = out

        def score(key: str, amount: float) -> None:
            out["score"][key] += amount

        def urgency(level: str) -> None:
            if ORDER.index(level) > ORDER.index(out["urgency"]):
                out["urgency"] = level

        def overwatered(c: Any) -> None:
            if not out["overwatered"]:
                out["overwatered"] = True
                c.assert_fact({"id": "overwatered", "overwatered": True})

        name = f"garden_hand_{next(_names)}"
        with ruleset(name):

            @when_all(pri(5), m.soil == "soggy")
            def soggy(c: Any) -> None:
                overwatered(c)

            @when_all(pri(5), c.a << (m.watered_days_ago < 2), c.b << (m.pot_has_drainage == False))  # noqa: E712
            def recent_no_drain(c: Any) -> None:
                overwatered(c)

            @when_all(pri(5), m.overwatered == True)  # noqa: E712
            def overwatered_scores(c: Any) -> None:
                score("overwatering", 3)
                urgency("soon")

            @when_all(
                pri(0),
                c.a << (m.overwatered == True),  # noqa: E712
                c.b << ((m.leaf_colour == "yellow") | (m.leaf_colour == "brown")),
                c.d << (m.drooping == True),  # noqa: E712
            )
            def root_rot(c: Any) -> None:
                urgency("now")
                out["warnings"].add("root_rot")

            @when_all(pri(5), c.a << (m.soil == "dry"), c.b << (m.drooping == True))  # noqa: E712
            def dry(c: Any) -> None:
                c.assert_fact({"id": "water_stress", "water_stress": True})
                score("underwatering", 3)

            @when_all(pri(5), c.a << (m.water_stress == True), c.b << (m.watered_days_ago >= 3))  # noqa: E712
            def water_soon(c: Any) -> None:
                out["days_until_water"] = max(0, 7 - c.b.watered_days_ago)
                urgency("soon")

            @when_all(pri(5), m.light_hours < 4)
            def little_light(c: Any) -> None:
                score("low_light", 2)

            @when_all(
                pri(5), c.p << (m.phase == 1), c.a << (m.light_hours >= 8),
                none(m.leaf_colour == "spotted"),
            )  # fmt: skip
            def bright(c: Any) -> None:
                score("low_light", -1)

            @when_all(pri(5), m.pests_seen == True)  # noqa: E712
            def bugs(c: Any) -> None:
                score("pests", 4)
                urgency("soon")
                out["warnings"].add("pests")

            @when_all(
                pri(5), c.p << (m.phase == 1), c.a << (m.leaf_colour == "spotted"),
                none(+m.pests_seen),
            )  # fmt: skip
            def spotted(c: Any) -> None:
                score("pests", 1)

            @when_all(pri(5), c.p << (m.phase == 1), c.a << (+m.soil), none(m.overwatered == True))  # noqa: E712
            def healthy(c: Any) -> None:
                score("overwatering", -1)

            @when_all(pri(9), c.p << (m.phase == 1), c.q << (m.never == 1))
            def phase_sink(c: Any) -> None:  # the marker must match some rule on its own
                pass

            @when_all(pri(9), c.z << (m.sink == 1), c.q << (m.never == 1))
            def input_sink(c: Any) -> None:  # so must facts no rule tests (MessageNotHandled)
                pass

        from durable.lang import _rulesets

        self.name = name
        self.host = _Timerless()
        self.host.register_rulesets({name: _rulesets[name].define()[1]})
        self.ids = itertools.count()

    def session(self, facts: dict[str, Any]) -> dict[str, Any]:
        out = self.out
        out.clear()
        out.update(urgency="fine", score=dict.fromkeys(KEYS, 0.0), warnings=set())
        out["overwatered"] = False
        sid = f"h{next(self.ids)}"
        batch = [{"sid": sid, "id": k, k: v, "sink": 1} for k, v in facts.items()]
        self.host.assert_facts(self.name, batch)
        self.host.assert_fact(self.name, {"sid": sid, "id": "$phase", "phase": 1})
        self.host.delete_state(self.name, sid)
        return answers(out)


def answers(out: dict[str, Any]) -> dict[str, Any]:
    ranking = sorted(out["score"].items(), key=lambda kv: (-kv[1], KEYS.index(kv[0])))
    return {
        "urgency": out["urgency"],
        "problem_score": dict(ranking),
        "warnings": tuple(w for w in WARNINGS if w in out["warnings"]),
        "days_until_water": out.get("days_until_water"),
    }


CLIPS_GARDEN = """
(defglobal ?*urgency* = 0 ?*days* = nil ?*warnings* = (create$)
           ?*overwatering* = 0 ?*underwatering* = 0 ?*low_light* = 0 ?*pests* = 0)
(deffunction urgency (?level) (if (> ?level ?*urgency*) then (bind ?*urgency* ?level)))
(deffunction warn (?w) (if (not (member$ ?w ?*warnings*)) then
   (bind ?*warnings* (create$ ?*warnings* ?w))))
(defrule soggy (soil soggy) => (assert (overwatered)))
(defrule recent-no-drain (watered_days_ago ?d&:(< ?d 2)) (pot_has_drainage FALSE)
   => (assert (overwatered)))
(defrule overwatered-scores (overwatered)
   => (bind ?*overwatering* (+ ?*overwatering* 3)) (urgency 1))
(defrule root-rot (overwatered) (leaf_colour yellow|brown) (drooping TRUE)
   => (urgency 2) (warn root_rot))
(defrule dry (soil dry) (drooping TRUE)
   => (assert (water_stress)) (bind ?*underwatering* (+ ?*underwatering* 3)))
(defrule water-soon (water_stress) (watered_days_ago ?d&:(>= ?d 3))
   => (bind ?*days* (max 0 (- 7 ?d))) (urgency 1))
(defrule little-light (light_hours ?h&:(< ?h 4)) => (bind ?*low_light* (+ ?*low_light* 2)))
(defrule bright (light_hours ?h&:(>= ?h 8)) (not (leaf_colour spotted))
   => (bind ?*low_light* (- ?*low_light* 1)))
(defrule bugs (pests_seen TRUE)
   => (bind ?*pests* (+ ?*pests* 4)) (urgency 1) (warn pests))
(defrule spotted (leaf_colour spotted) (not (pests_seen ?))
   => (bind ?*pests* (+ ?*pests* 1)))
(defrule healthy (soil ?) (not (overwatered))
   => (bind ?*overwatering* (- ?*overwatering* 1)))
(deffunction answers () (create$ ?*urgency* ?*days* ?*overwatering* ?*underwatering*
   ?*low_light* ?*pests* ?*warnings*))
"""


def clips_value(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


class ClipsGarden:
    def __init__(self) -> None:
        import clips

        self.env = clips.Environment()
        for construct in _constructs(CLIPS_GARDEN):
            self.env.build(construct)

    def session(self, facts: dict[str, Any]) -> dict[str, Any]:
        env = self.env
        env.reset()
        if facts:
            env.eval(
                "(assert " + " ".join(f"({k} {clips_value(v)})" for k, v in facts.items()) + ")"
            )
        env.run()
        urgency, days, *scores = env.eval("(answers)")[:6]
        warnings = env.eval("?*warnings*")
        out = {
            "urgency": ORDER[int(urgency)],
            "score": {k: float(v) for k, v in zip(KEYS, scores, strict=True)},
            "warnings": {str(w) for w in warnings},
        }
        if str(days) != "nil":
            out["days_until_water"] = int(days)
        return answers(out)


def _constructs(text: str) -> list[str]:
    """Split CLIPS source into top-level constructs (env.build takes one at a time)."""
    found, depth, start = [], 0, None
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = index
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and start is not None:
                found.append(text[start : index + 1])
    return found
