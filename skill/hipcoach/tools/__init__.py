"""Developer commands: the `hipcoach` entry point, `hipcoach triage`, the unverified load-test app.
Never shipped to Lambda."""
