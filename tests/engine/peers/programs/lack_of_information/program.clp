(deftemplate event (slot account) (slot t))
(deftemplate detected (slot account))
(defrule detected
  (event (account ?a) (t "deposit"))
  (not (event (account ?a) (t "balance")))
  (event (account ?a) (t "withdrawal"))
  (event (account ?a) (t "chargeback"))
  => (assert (detected (account ?a))))
