"""The conversation on a device's request: the interview's state, reading answers, re-triage."""
