"""The one skill-id rule every host applies (``hipcoach serve``, the gunicorn app, Lambda).

* ``SKILL_ID`` set: a request is answered only when its application id is that id. The setting is
  compared after trimming whitespace (a stray space or newline from a secrets store must not refuse
  every request).
* ``SKILL_ID`` unset: refuse (the web hosts refuse to start, Lambda refuses every request), unless
  ``HIPCOACH_ALLOW_ANY_SKILL_ID=1`` says, explicitly, that any skill may call this endpoint (local
  experiments only; ``hipcoach serve --no-verify`` implies it, with its warning).

Standard library only: it ships in the Lambda zip beside ``jsonlog``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from hipcoach.records import record

SKILL_ID_ENV = "SKILL_ID"
ALLOW_ANY_SKILL_ENV = "HIPCOACH_ALLOW_ANY_SKILL_ID"
UNSET_HINT = f"set {SKILL_ID_ENV} to the skill's id (or {ALLOW_ANY_SKILL_ENV}=1 for local tests)"


class SkillIdUnset(PermissionError):
    """No skill id is configured, and answering any skill was not explicitly allowed."""


@record(frozen=True)
class SkillIdRule:
    skill_id: str | None
    allow_any: bool = False

    @property
    def configured(self) -> bool:
        """Whether this host may answer at all (a skill id, or the explicit opt-out)."""
        return bool(self.skill_id) or self.allow_any

    def accepts(self, payload: Any) -> bool:
        """Whether a decoded request body is for this skill: every application id it names (the
        context's and the session's) is the configured one, and it names at least one."""
        if not self.skill_id:
            return self.allow_any
        found = application_ids(payload)
        return bool(found) and all(value == self.skill_id for value in found)


def rule(skill_id: str | None, allow_any: bool = False) -> SkillIdRule:
    """The rule for a configured id (trimmed; blank means unset) and the opt-out."""
    trimmed = skill_id.strip() if isinstance(skill_id, str) else None
    return SkillIdRule(trimmed or None, allow_any)


def from_environment(environ: Mapping[str, str] | None = None) -> SkillIdRule:
    env = os.environ if environ is None else environ
    return rule(env.get(SKILL_ID_ENV), env.get(ALLOW_ANY_SKILL_ENV, "").strip() == "1")


def application_ids(payload: Any) -> list[object]:
    """Every application id a decoded request body carries (context's, session's), as found."""
    found: list[object] = []
    for path in (("context", "System", "application"), ("session", "application")):
        node = payload
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict) and "applicationId" in node:
            found.append(node["applicationId"])
        elif node is not None:
            found.append(node)  # an application that is not an object: never ours
    return found
