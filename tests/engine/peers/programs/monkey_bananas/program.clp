; Monkey and Bananas (CLIPS's mab.clp, the planning example), restated for the peer suite: the
; starting state comes from facts.json (every slot given), places and names are strings, and
; each rule that acts records an (event) instead of printing, so the plan itself is compared.
(deftemplate monkey (slot location) (slot on_top_of) (slot holding))
(deftemplate thing (slot name) (slot location) (slot on_top_of) (slot weight))
(deftemplate chest (slot name) (slot contents) (slot unlocked_by))
(deftemplate goal (slot action) (slot target) (slot location))
(deftemplate event (slot rule) (slot subject))

; ---- unlocking a chest
(defrule hold-chest-to-put-on-floor
  (goal (action "unlock") (target ?chest))
  (thing (name ?chest) (on_top_of ~"floor") (weight "light"))
  (monkey (holding ~?chest))
  (not (goal (action "hold") (target ?chest)))
  =>
  (assert (goal (action "hold") (target ?chest) (location "unspecified"))))

(defrule put-chest-on-floor
  (goal (action "unlock") (target ?chest))
  ?m <- (monkey (location ?place) (holding ?chest))
  ?t <- (thing (name ?chest))
  =>
  (assert (event (rule "put-chest-on-floor") (subject ?chest)))
  (modify ?m (holding "blank"))
  (modify ?t (location ?place) (on_top_of "floor")))

(defrule get-key-to-unlock
  (goal (action "unlock") (target ?chest))
  (thing (name ?chest) (on_top_of "floor"))
  (chest (name ?chest) (unlocked_by ?key))
  (monkey (holding ~?key))
  (not (goal (action "hold") (target ?key)))
  =>
  (assert (goal (action "hold") (target ?key) (location "unspecified"))))

(defrule move-to-chest-with-key
  (goal (action "unlock") (target ?chest))
  (monkey (location ?here) (holding ?key))
  (thing (name ?chest) (location ?there&~?here) (on_top_of "floor"))
  (chest (name ?chest) (unlocked_by ?key))
  (not (goal (action "walk_to") (location ?there)))
  =>
  (assert (goal (action "walk_to") (target "unspecified") (location ?there))))

(defrule unlock-chest-with-key
  ?g <- (goal (action "unlock") (target ?chest))
  ?c <- (chest (name ?chest) (contents ?inside) (unlocked_by ?key))
  (thing (name ?chest) (location ?place) (on_top_of ?on))
  (monkey (location ?place) (on_top_of ?on) (holding ?key))
  =>
  (assert (event (rule "unlock-chest-with-key") (subject ?chest)))
  (assert (thing (name ?inside) (location ?place) (on_top_of ?chest) (weight "light")))
  (modify ?c (contents "nothing"))
  (retract ?g))

; ---- holding something
(defrule unlock-chest-to-hold-object
  (goal (action "hold") (target ?object))
  (chest (name ?chest) (contents ?object))
  (not (goal (action "unlock") (target ?chest)))
  =>
  (assert (goal (action "unlock") (target ?chest) (location "unspecified"))))

(defrule use-ladder-to-hold
  (goal (action "hold") (target ?object))
  (thing (name ?object) (location ?place) (on_top_of "ceiling") (weight "light"))
  (not (thing (name "ladder") (location ?place)))
  (not (goal (action "move") (target "ladder") (location ?place)))
  =>
  (assert (goal (action "move") (target "ladder") (location ?place))))

(defrule climb-ladder-to-hold
  (goal (action "hold") (target ?object))
  (thing (name ?object) (location ?place) (on_top_of "ceiling") (weight "light"))
  (thing (name "ladder") (location ?place) (on_top_of "floor"))
  (monkey (on_top_of ~"ladder"))
  (not (goal (action "on") (target "ladder")))
  =>
  (assert (goal (action "on") (target "ladder") (location "unspecified"))))

(defrule grab-object-from-ladder
  ?g <- (goal (action "hold") (target ?object))
  ?t <- (thing (name ?object) (location ?place) (on_top_of "ceiling") (weight "light"))
  (thing (name "ladder") (location ?place))
  ?m <- (monkey (location ?place) (on_top_of "ladder") (holding "blank"))
  =>
  (assert (event (rule "grab-object-from-ladder") (subject ?object)))
  (modify ?t (location "held") (on_top_of "held"))
  (modify ?m (holding ?object))
  (retract ?g))

(defrule climb-to-hold
  (goal (action "hold") (target ?object))
  (thing (name ?object) (location ?place) (on_top_of ?on&~"ceiling") (weight "light"))
  (monkey (location ?place) (on_top_of ~?on))
  (not (goal (action "on") (target ?on)))
  =>
  (assert (goal (action "on") (target ?on) (location "unspecified"))))

(defrule walk-to-hold
  (goal (action "hold") (target ?object))
  (thing (name ?object) (location ?place) (on_top_of ~"ceiling") (weight "light"))
  (monkey (location ~?place))
  (not (goal (action "walk_to") (location ?place)))
  =>
  (assert (goal (action "walk_to") (target "unspecified") (location ?place))))

(defrule drop-to-hold
  (goal (action "hold") (target ?object))
  (thing (name ?object) (location ?place) (on_top_of ?on) (weight "light"))
  (monkey (location ?place) (on_top_of ?on) (holding ~"blank"))
  (not (goal (action "hold") (target "blank")))
  =>
  (assert (goal (action "hold") (target "blank") (location "unspecified"))))

(defrule grab-object
  ?g <- (goal (action "hold") (target ?object))
  ?t <- (thing (name ?object) (location ?place) (on_top_of ?on) (weight "light"))
  ?m <- (monkey (location ?place) (on_top_of ?on) (holding "blank"))
  =>
  (assert (event (rule "grab-object") (subject ?object)))
  (modify ?t (location "held") (on_top_of "held"))
  (modify ?m (holding ?object))
  (retract ?g))

(defrule drop-object
  ?g <- (goal (action "hold") (target "blank"))
  ?m <- (monkey (location ?place) (on_top_of ?on) (holding ?object&~"blank"))
  ?t <- (thing (name ?object))
  =>
  (assert (event (rule "drop-object") (subject ?object)))
  (modify ?m (holding "blank"))
  (modify ?t (location ?place) (on_top_of ?on))
  (retract ?g))

; ---- moving something
(defrule unlock-chest-to-move-object
  (goal (action "move") (target ?object))
  (chest (name ?chest) (contents ?object))
  (not (goal (action "unlock") (target ?chest)))
  =>
  (assert (goal (action "unlock") (target ?chest) (location "unspecified"))))

(defrule hold-object-to-move
  (goal (action "move") (target ?object) (location ?place))
  (thing (name ?object) (location ~?place) (weight "light"))
  (monkey (holding ~?object))
  (not (goal (action "hold") (target ?object)))
  =>
  (assert (goal (action "hold") (target ?object) (location "unspecified"))))

(defrule move-object-to-place
  (goal (action "move") (target ?object) (location ?place))
  (monkey (location ~?place) (holding ?object))
  (not (goal (action "walk_to") (location ?place)))
  =>
  (assert (goal (action "walk_to") (target "unspecified") (location ?place))))

(defrule drop-object-once-moved
  ?g <- (goal (action "move") (target ?object) (location ?place))
  ?m <- (monkey (location ?place) (holding ?object))
  ?t <- (thing (name ?object) (weight "light"))
  =>
  (assert (event (rule "drop-object-once-moved") (subject ?object)))
  (modify ?m (holding "blank"))
  (modify ?t (location ?place) (on_top_of "floor"))
  (retract ?g))

(defrule already-moved-object
  ?g <- (goal (action "move") (target ?object) (location ?place))
  (thing (name ?object) (location ?place))
  =>
  (retract ?g))

; ---- walking somewhere
(defrule already-at-place
  ?g <- (goal (action "walk_to") (location ?place))
  (monkey (location ?place))
  =>
  (retract ?g))

(defrule get-on-floor-to-walk
  (goal (action "walk_to") (location ?place))
  (monkey (location ~?place) (on_top_of ~"floor"))
  (not (goal (action "on") (target "floor")))
  =>
  (assert (goal (action "on") (target "floor") (location "unspecified"))))

(defrule walk-holding-nothing
  ?g <- (goal (action "walk_to") (location ?place))
  ?m <- (monkey (location ~?place) (on_top_of "floor") (holding "blank"))
  =>
  (assert (event (rule "walk-holding-nothing") (subject ?place)))
  (modify ?m (location ?place))
  (retract ?g))

(defrule walk-holding-object
  ?g <- (goal (action "walk_to") (location ?place))
  ?m <- (monkey (location ~?place) (on_top_of "floor") (holding ~"blank"))
  =>
  (assert (event (rule "walk-holding-object") (subject ?place)))
  (modify ?m (location ?place))
  (retract ?g))

; ---- getting on top of something
(defrule jump-onto-floor
  ?g <- (goal (action "on") (target "floor"))
  ?m <- (monkey (on_top_of ?on&~"floor"))
  =>
  (assert (event (rule "jump-onto-floor") (subject ?on)))
  (modify ?m (on_top_of "floor"))
  (retract ?g))

(defrule walk-to-place-to-climb
  (goal (action "on") (target ?object))
  (thing (name ?object) (location ?place))
  (monkey (location ~?place))
  (not (goal (action "walk_to") (location ?place)))
  =>
  (assert (goal (action "walk_to") (target "unspecified") (location ?place))))

(defrule drop-to-climb
  (goal (action "on") (target ?object))
  (thing (name ?object) (location ?place))
  (monkey (location ?place) (holding ~"blank"))
  (not (goal (action "hold") (target "blank")))
  =>
  (assert (goal (action "hold") (target "blank") (location "unspecified"))))

(defrule climb-indirectly
  (goal (action "on") (target ?object))
  (thing (name ?object) (location ?place) (on_top_of ?on))
  (monkey (location ?place) (on_top_of ~?on&~?object) (holding "blank"))
  (not (goal (action "on") (target ?on)))
  =>
  (assert (goal (action "on") (target ?on) (location "unspecified"))))

(defrule climb-directly
  ?g <- (goal (action "on") (target ?object))
  (thing (name ?object) (location ?place) (on_top_of ?on))
  ?m <- (monkey (location ?place) (on_top_of ?on) (holding "blank"))
  =>
  (assert (event (rule "climb-directly") (subject ?object)))
  (modify ?m (on_top_of ?object))
  (retract ?g))

(defrule already-on-object
  ?g <- (goal (action "on") (target ?object))
  (monkey (on_top_of ?object))
  =>
  (retract ?g))

; ---- eating
(defrule hold-to-eat
  (goal (action "eat") (target ?object))
  (monkey (holding ~?object))
  (not (goal (action "hold") (target ?object)))
  =>
  (assert (goal (action "hold") (target ?object) (location "unspecified"))))

(defrule satisfy-hunger
  ?g <- (goal (action "eat") (target ?object))
  ?m <- (monkey (holding ?object))
  ?t <- (thing (name ?object))
  =>
  (assert (event (rule "satisfy-hunger") (subject ?object)))
  (modify ?m (holding "blank"))
  (retract ?g ?t))
