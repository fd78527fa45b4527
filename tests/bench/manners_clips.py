"""Miss Manners for CLIPS (clipspy): the classic rules, with the same saliences as
engine/examples/manners/rules.yaml. Facts stay inside CLIPS; the seats come back through one
function call."""

from __future__ import annotations

from typing import Any

from garden_hand import _constructs

MANNERS = """
(deftemplate guest (slot name) (slot sex) (slot hobby))
(deftemplate last_seat (slot seat))
(deftemplate seating (slot id) (slot pid) (slot seat1) (slot name1) (slot seat2) (slot name2)
   (slot path_done))
(deftemplate context (slot state))
(deftemplate path (slot id) (slot name) (slot seat))
(deftemplate chosen (slot id) (slot name) (slot hobby))
(deftemplate count (slot c))
(deftemplate seat (slot seat) (slot guest))
(defrule assign_first_seat
   ?ctx <- (context (state start)) (guest (name ?n)) ?f <- (count (c ?c))
   =>
   (assert (seating (id ?c) (pid 0) (seat1 1) (name1 ?n) (seat2 1) (name2 ?n) (path_done yes)))
   (assert (path (id ?c) (name ?n) (seat 1)))
   (modify ?f (c (+ ?c 1))) (modify ?ctx (state assign_seats)))
(defrule find_seating
   ?ctx <- (context (state assign_seats))
   (seating (id ?id) (seat2 ?seat2) (name2 ?n2) (path_done yes))
   (guest (name ?n2) (sex ?s1) (hobby ?h1))
   (guest (name ?g2) (sex ~?s1) (hobby ?h1))
   ?f <- (count (c ?c))
   (not (path (id ?id) (name ?g2)))
   (not (chosen (id ?id) (name ?g2) (hobby ?h1)))
   =>
   (assert (seating (id ?c) (pid ?id) (seat1 ?seat2) (name1 ?n2) (seat2 (+ ?seat2 1))
                    (name2 ?g2) (path_done no)))
   (assert (path (id ?c) (name ?g2) (seat (+ ?seat2 1))))
   (assert (chosen (id ?id) (name ?g2) (hobby ?h1)))
   (modify ?f (c (+ ?c 1))) (modify ?ctx (state make_path)))
(defrule make_path
   (context (state make_path))
   (seating (id ?id) (pid ?pid) (path_done no))
   (path (id ?pid) (name ?n1) (seat ?s))
   (not (path (id ?id) (name ?n1)))
   =>
   (assert (path (id ?id) (name ?n1) (seat ?s))))
(defrule path_done (declare (salience -1))
   ?ctx <- (context (state make_path)) ?s <- (seating (path_done no))
   =>
   (modify ?s (path_done yes)) (modify ?ctx (state check_done)))
(defrule are_we_done (declare (salience 1))
   ?ctx <- (context (state check_done)) (last_seat (seat ?l)) (seating (seat2 ?l))
   =>
   (modify ?ctx (state print_results)))
(defrule continue
   ?ctx <- (context (state check_done))
   =>
   (modify ?ctx (state assign_seats)))
(defrule print_results
   (context (state print_results)) (last_seat (seat ?l)) (seating (id ?id) (seat2 ?l))
   (path (id ?id) (name ?n) (seat ?s))
   =>
   (assert (seat (seat ?s) (guest ?n))))
(deffunction seats () (bind ?r (create$))
   (do-for-all-facts ((?f seat)) TRUE (bind ?r (create$ ?r ?f:seat ?f:guest))) ?r)
"""


class ClipsManners:
    def __init__(self) -> None:
        import clips

        self.env = clips.Environment()
        for construct in _constructs(MANNERS):
            self.env.build(construct)

    def run(self, records: list[dict[str, Any]]) -> list[tuple[int, str]]:
        env = self.env
        env.reset()
        guests = [r for r in records if r["type"] == "guest"]
        asserts = [
            f"(guest (name {g['name']}) (sex {g['sex']}) (hobby {g['hobby']}))" for g in guests
        ]
        asserts += [
            f"(last_seat (seat {len({g['name'] for g in guests})}))",
            "(count (c 1))",
            "(context (state start))",
        ]
        env.eval("(assert " + " ".join(asserts) + ")")
        env.run()
        flat = env.eval("(seats)")
        return sorted((int(flat[i]), str(flat[i + 1])) for i in range(0, len(flat), 2))
