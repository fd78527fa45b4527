;; CLIPS's wine.clp (WINEX, certainty factors) restated for the peer suite; see rules.yaml for
;; what differs from the original and why. The answers come from facts.json.
(deftemplate attribute (slot name) (slot value) (slot certainty) (slot source))
(deftemplate wine (slot name) (multislot color) (multislot body) (multislot sweetness))
(deftemplate conclusion (slot name) (slot value) (slot certainty))

;; Two findings of one attribute value combine: cf1 + cf2 - cf1 * cf2 / 100.
(defrule combine-certainties
  (declare (salience 100))
  ?a1 <- (attribute (name ?n) (value ?v) (certainty ?p1) (source ?s1))
  ?a2 <- (attribute (name ?n) (value ?v) (certainty ?p2) (source ?s2))
  (or (test (neq ?s1 ?s2)) (test (neq ?p1 ?p2)))
  =>
  (retract ?a1)
  (modify ?a2 (certainty (/ (- (* 100 (+ ?p1 ?p2)) (* ?p1 ?p2)) 100))))

(defrule body_spicy
  (attribute (name "has-sauce") (value "yes") (certainty ?c1))
  (attribute (name "sauce") (value "spicy") (certainty ?c2))
  =>
  (assert (attribute (name "best-body") (value "full") (certainty (min ?c1 ?c2)) (source "body_spicy"))))

(defrule body_delicate
  (attribute (name "tastiness") (value "delicate") (certainty ?c1))
  =>
  (assert (attribute (name "best-body") (value "light") (certainty ?c1) (source "body_delicate"))))

(defrule body_average
  (attribute (name "tastiness") (value "average") (certainty ?c1))
  =>
  (assert (attribute (name "best-body") (value "light") (certainty (/ (* ?c1 30) 100)) (source "body_average")))
  (assert (attribute (name "best-body") (value "medium") (certainty (/ (* ?c1 60) 100)) (source "body_average")))
  (assert (attribute (name "best-body") (value "full") (certainty (/ (* ?c1 30) 100)) (source "body_average"))))

(defrule body_strong
  (attribute (name "tastiness") (value "strong") (certainty ?c1))
  =>
  (assert (attribute (name "best-body") (value "medium") (certainty (/ (* ?c1 40) 100)) (source "body_strong")))
  (assert (attribute (name "best-body") (value "full") (certainty (/ (* ?c1 80) 100)) (source "body_strong"))))

(defrule body_cream
  (attribute (name "has-sauce") (value "yes") (certainty ?c1))
  (attribute (name "sauce") (value "cream") (certainty ?c2))
  =>
  (assert (attribute (name "best-body") (value "medium") (certainty (/ (* (min ?c1 ?c2) 40) 100)) (source "body_cream")))
  (assert (attribute (name "best-body") (value "full") (certainty (/ (* (min ?c1 ?c2) 60) 100)) (source "body_cream"))))

(defrule body_prefer_full
  (attribute (name "preferred-body") (value "full") (certainty ?c1))
  =>
  (assert (attribute (name "best-body") (value "full") (certainty (/ (* ?c1 40) 100)) (source "body_prefer_full"))))

(defrule body_prefer_medium
  (attribute (name "preferred-body") (value "medium") (certainty ?c1))
  =>
  (assert (attribute (name "best-body") (value "medium") (certainty (/ (* ?c1 40) 100)) (source "body_prefer_medium"))))

(defrule body_prefer_light
  (attribute (name "preferred-body") (value "light") (certainty ?c1))
  =>
  (assert (attribute (name "best-body") (value "light") (certainty (/ (* ?c1 40) 100)) (source "body_prefer_light"))))

(defrule body_light_not_full
  (attribute (name "preferred-body") (value "light") (certainty ?c1))
  (attribute (name "best-body") (value "full") (certainty ?c2))
  =>
  (assert (attribute (name "best-body") (value "medium") (certainty (min ?c1 ?c2)) (source "body_light_not_full"))))

(defrule body_full_not_light
  (attribute (name "preferred-body") (value "full") (certainty ?c1))
  (attribute (name "best-body") (value "light") (certainty ?c2))
  =>
  (assert (attribute (name "best-body") (value "medium") (certainty (min ?c1 ?c2)) (source "body_full_not_light"))))

(defrule body_unknown
  (attribute (name "preferred-body") (value "unknown") (certainty ?c1))
  =>
  (assert (attribute (name "best-body") (value "light") (certainty (/ (* ?c1 20) 100)) (source "body_unknown")))
  (assert (attribute (name "best-body") (value "medium") (certainty (/ (* ?c1 20) 100)) (source "body_unknown")))
  (assert (attribute (name "best-body") (value "full") (certainty (/ (* ?c1 20) 100)) (source "body_unknown"))))

(defrule color_meat
  (attribute (name "main-component") (value "meat") (certainty ?c1))
  =>
  (assert (attribute (name "best-color") (value "red") (certainty (/ (* ?c1 90) 100)) (source "color_meat"))))

(defrule color_poultry
  (attribute (name "main-component") (value "poultry") (certainty ?c1))
  (attribute (name "has-turkey") (value "no") (certainty ?c2))
  =>
  (assert (attribute (name "best-color") (value "white") (certainty (/ (* (min ?c1 ?c2) 90) 100)) (source "color_poultry")))
  (assert (attribute (name "best-color") (value "red") (certainty (/ (* (min ?c1 ?c2) 30) 100)) (source "color_poultry"))))

(defrule color_turkey
  (attribute (name "main-component") (value "poultry") (certainty ?c1))
  (attribute (name "has-turkey") (value "yes") (certainty ?c2))
  =>
  (assert (attribute (name "best-color") (value "red") (certainty (/ (* (min ?c1 ?c2) 80) 100)) (source "color_turkey")))
  (assert (attribute (name "best-color") (value "white") (certainty (/ (* (min ?c1 ?c2) 50) 100)) (source "color_turkey"))))

(defrule color_fish
  (attribute (name "main-component") (value "fish") (certainty ?c1))
  =>
  (assert (attribute (name "best-color") (value "white") (certainty ?c1) (source "color_fish"))))

(defrule color_tomato
  (attribute (name "main-component") (value ~"fish") (certainty ?c1))
  (attribute (name "has-sauce") (value "yes") (certainty ?c2))
  (attribute (name "sauce") (value "tomato") (certainty ?c3))
  =>
  (assert (attribute (name "best-color") (value "red") (certainty (min ?c1 ?c2 ?c3)) (source "color_tomato"))))

(defrule color_cream
  (attribute (name "has-sauce") (value "yes") (certainty ?c1))
  (attribute (name "sauce") (value "cream") (certainty ?c2))
  =>
  (assert (attribute (name "best-color") (value "white") (certainty (/ (* (min ?c1 ?c2) 40) 100)) (source "color_cream"))))

(defrule color_prefer_red
  (attribute (name "preferred-color") (value "red") (certainty ?c1))
  =>
  (assert (attribute (name "best-color") (value "red") (certainty (/ (* ?c1 40) 100)) (source "color_prefer_red"))))

(defrule color_prefer_white
  (attribute (name "preferred-color") (value "white") (certainty ?c1))
  =>
  (assert (attribute (name "best-color") (value "white") (certainty (/ (* ?c1 40) 100)) (source "color_prefer_white"))))

(defrule color_unknown
  (attribute (name "preferred-color") (value "unknown") (certainty ?c1))
  =>
  (assert (attribute (name "best-color") (value "red") (certainty (/ (* ?c1 20) 100)) (source "color_unknown")))
  (assert (attribute (name "best-color") (value "white") (certainty (/ (* ?c1 20) 100)) (source "color_unknown"))))

(defrule sweet_sauce
  (attribute (name "has-sauce") (value "yes") (certainty ?c1))
  (attribute (name "sauce") (value "sweet") (certainty ?c2))
  =>
  (assert (attribute (name "best-sweetness") (value "sweet") (certainty (/ (* (min ?c1 ?c2) 90) 100)) (source "sweet_sauce")))
  (assert (attribute (name "best-sweetness") (value "medium") (certainty (/ (* (min ?c1 ?c2) 40) 100)) (source "sweet_sauce"))))

(defrule sweet_prefer_dry
  (attribute (name "preferred-sweetness") (value "dry") (certainty ?c1))
  =>
  (assert (attribute (name "best-sweetness") (value "dry") (certainty (/ (* ?c1 40) 100)) (source "sweet_prefer_dry"))))

(defrule sweet_prefer_medium
  (attribute (name "preferred-sweetness") (value "medium") (certainty ?c1))
  =>
  (assert (attribute (name "best-sweetness") (value "medium") (certainty (/ (* ?c1 40) 100)) (source "sweet_prefer_medium"))))

(defrule sweet_prefer_sweet
  (attribute (name "preferred-sweetness") (value "sweet") (certainty ?c1))
  =>
  (assert (attribute (name "best-sweetness") (value "sweet") (certainty (/ (* ?c1 40) 100)) (source "sweet_prefer_sweet"))))

(defrule sweet_not_dry
  (attribute (name "best-sweetness") (value "sweet") (certainty ?c1))
  (attribute (name "preferred-sweetness") (value "dry") (certainty ?c2))
  =>
  (assert (attribute (name "best-sweetness") (value "medium") (certainty (min ?c1 ?c2)) (source "sweet_not_dry"))))

(defrule sweet_not_sweet
  (attribute (name "best-sweetness") (value "dry") (certainty ?c1))
  (attribute (name "preferred-sweetness") (value "sweet") (certainty ?c2))
  =>
  (assert (attribute (name "best-sweetness") (value "medium") (certainty (min ?c1 ?c2)) (source "sweet_not_sweet"))))

(defrule sweet_unknown
  (attribute (name "preferred-sweetness") (value "unknown") (certainty ?c1))
  =>
  (assert (attribute (name "best-sweetness") (value "dry") (certainty (/ (* ?c1 20) 100)) (source "sweet_unknown")))
  (assert (attribute (name "best-sweetness") (value "medium") (certainty (/ (* ?c1 20) 100)) (source "sweet_unknown")))
  (assert (attribute (name "best-sweetness") (value "sweet") (certainty (/ (* ?c1 20) 100)) (source "sweet_unknown"))))

;; Once the qualities are settled (lower salience stands for the original's module focus).
(defrule generate-wines
  (declare (salience -10))
  (wine (name ?name) (color $? ?c $?) (body $? ?b $?) (sweetness $? ?s $?))
  (attribute (name "best-color") (value ?c) (certainty ?c1))
  (attribute (name "best-body") (value ?b) (certainty ?c2))
  (attribute (name "best-sweetness") (value ?s) (certainty ?c3))
  =>
  (assert (attribute (name "wine") (value ?name) (certainty (min ?c1 ?c2 ?c3))
                     (source (str-cat ?c "/" ?b "/" ?s)))))

(defrule report-quality
  (declare (salience -20))
  (attribute (name ?n&~"wine") (value ?v) (certainty ?c) (source ~"answer"))
  =>
  (assert (conclusion (name ?n) (value ?v) (certainty ?c))))

(defrule report-wine
  (declare (salience -20))
  (attribute (name "wine") (value ?v) (certainty ?c&:(>= ?c 20)))
  =>
  (assert (conclusion (name "wine") (value ?v) (certainty ?c))))
