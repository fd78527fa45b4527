"""The skill's memory across days, as pure logic on plain dicts (the persistent attributes).

Areas, each owning one key of the persistent record: `episode` (episodes.py), `training`
(training.py), `shoes` (shoes.py). Distances are stored in kilometres (units.py); dates are ISO
strings (dates.py). Nothing here talks to Alexa; `store.py` is the one bridge to ask-sdk.
"""
