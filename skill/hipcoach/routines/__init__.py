"""Guided, timed stretch and strength routines, hands-free.

Modules, one job each:
- `model`: Routine, Exercise, Step (one side of one set: what one response times).
- `loader`: content/routines/*.yaml → validated Routines (`routines()`, `get_routine(id)`).
- `player`: the pure state machine (`start`, `apply(routine, state, Command)` → Transition).
- `timeline` and `speech`: timed SSML for a step (`render_step`); breaks ≤ 10 s, never adjacent.
- `display`: the APL screen (skill/hipcoach/apl/routine.json) when the device supports APL.
- `records` and `store`: session attribute `routine`, persistent attribute `routine` (+ date).
- `respond`: player outcomes → Alexa responses. `offers`: which routine to offer after a triage.

Alexa cannot carry a routine on by itself: without the AudioPlayer interface a custom skill says
one response and then waits for the user (about 8 s, one reprompt, then the session ends). So a
routine is split into steps of at most ~90 s of audio, each ending "say next"; the position is saved
every step, so "resume my routine" picks it up in a later session, on any day.
"""
