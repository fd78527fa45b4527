"""Hosting the skill as a web service (Flask, request verification) and structured logs.

Nothing here decides what the skill says; Lambda uses only `skill_id`, and `jsonlog` when the
runtime has loaded `logging` (hipcoach.logs).
"""
