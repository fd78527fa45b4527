(deftemplate purchase (slot location))
(deftemplate fraud (slot first) (slot second))
(defrule two_locations
  (purchase (location ?a)) (purchase (location ?b&~?a))
  => (assert (fraud (first ?a) (second ?b))))
