(deftemplate request (slot subject))
(deftemplate amount (slot value))
(deftemplate approved (slot subject) (slot amount))
(defrule approve
  (or (and (request (subject ?s&"approve")) (amount (value ?v&1000)))
      (and (request (subject ?s&"jumbo")) (amount (value ?v&10000))))
  => (assert (approved (subject ?s) (amount ?v))))
