"""The hip knowledge base (content/) loaded and validated, and the triage that runs its rules."""
