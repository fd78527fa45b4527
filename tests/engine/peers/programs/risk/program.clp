(deftemplate payment (slot id) (slot amount))
(deftemplate detection (slot first) (slot second) (slot third))
(defrule detected
  (payment (id ?i) (amount ?x&:(> ?x 100)))
  (payment (id ?j) (amount ?y&:(> ?y (* ?x 2))))
  (payment (id ?k) (amount ?z&:(> ?z (/ (+ ?x ?y) 2))))
  => (assert (detection (first ?i) (second ?j) (third ?k))))
