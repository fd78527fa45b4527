"""The conversation's state between turns, typed: the only code that reads or writes session
attributes.

Session attributes come back from the device on every turn, so they are the request's to tamper
with. `read` keeps only the keys the skill owns, each at most `MAX_SESSION_VALUE_BYTES` of JSON and
each checked field by field: anything unreadable reads as absent (a missing or unknown mode as the
menu), so a tampered or stale session starts fresh rather than reaching the rules. `write` gives
back only what the skill owns, which keeps every response within Alexa's 24 KB. The persistent
record never travels in the session (`hipcoach.persistence`).

Cold start: a new session carries neither a check nor a routine, so their readers (the rules'
validation, the routine player) are imported only when the session holds one; a first launch
loads neither (tests/lambda/test_lambda_zip.py, `make bench`).
"""

from __future__ import annotations

import json
import os
from dataclasses import field
from functools import cache
from typing import TYPE_CHECKING, Any

from hipcoach.dialog.state import TRANSITIONS, Mode, TransitionError
from hipcoach.records import record

if TYPE_CHECKING:
    from hipcoach.dialog.interview import InterviewState
    from hipcoach.routines.player import PlayerState

MODE, INTERVIEW, OFFER, OUTCOME = "mode", "interview", "offer", "outcome"
RESULT, ROUTINE, ANSWERED = "result", "routine", "answered"
OWNED_SESSION_KEYS = frozenset({MODE, INTERVIEW, OFFER, OUTCOME, RESULT, ROUTINE, ANSWERED})
# The largest the skill writes is the interview state, about 1 KB; seven keys at this bound stay
# well inside Alexa's 24 KB together with the speech.
MAX_SESSION_VALUE_BYTES = 3 * 1024
# "repeat" speaks the last reply again only if this skill wrote it: the reply travels with an HMAC
# under $HIPCOACH_SESSION_KEY (a key of this process when unset; every worker and container of one
# deployment needs the same key), and an unsealed or altered one is dropped.
SESSION_KEY_ENV = "HIPCOACH_SESSION_KEY"


@cache
def _seal_key() -> bytes:
    # made on the first seal, not at import: hashlib loads OpenSSL, which a launch never needs
    import hashlib

    secret = (os.environ.get(SESSION_KEY_ENV) or "").encode()
    return hashlib.sha256(secret or os.urandom(32)).digest()  # urandom: secrets.token_bytes


def seal(value: object) -> str:
    """The HMAC of `value`'s canonical JSON ("" for a value JSON cannot write)."""
    import hmac  # with hashlib: only once a reply is sealed or checked

    try:
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return ""
    return hmac.new(_seal_key(), text.encode("utf-8"), "sha256").hexdigest()


def sealed_by_us(seal_text: str, value: object) -> bool:
    """Whether `seal_text` is this skill's seal of `value` (compared in constant time)."""
    import hmac

    return hmac.compare_digest(seal_text, seal(value))


@record
class ResultMemory:
    """A told result: which parts were told, the routine it may offer, its leading cause, and the
    last reply (so "repeat" says it again without saving anything twice)."""

    told: list[str] = field(default_factory=list)
    routine: str | None = None
    leader: str | None = None
    last: tuple[list[str], str] | None = None

    def to_attributes(self) -> dict[str, Any]:
        value: dict[str, Any] = {"told": list(self.told), "routine": self.routine}
        value["leader"] = self.leader
        if self.last is not None:
            value["last"] = [list(self.last[0]), self.last[1]]
            value["seal"] = seal(value["last"])
        return value

    @classmethod
    def from_attributes(cls, raw: object) -> ResultMemory | None:
        if not isinstance(raw, dict):
            return None
        told, routine, leader, last = (raw.get(k) for k in ("told", "routine", "leader", "last"))
        kept = ResultMemory(
            [p for p in told if isinstance(p, str)] if isinstance(told, list) else [],
            routine if isinstance(routine, str) else None,
            leader if isinstance(leader, str) else None,
        )
        sealed = sealed_by_us(str(raw.get("seal", "")), last)
        if sealed and isinstance(last, list) and len(last) == 2 and isinstance(last[0], list):
            sentences = [s for s in last[0] if isinstance(s, str)]
            if sentences and isinstance(last[1], str):
                kept.last = (sentences, last[1])
        return kept


@record
class Outcome:
    """The triage outcome told in this session (the chat console's `result`)."""

    triage: str
    conditions: list[str]

    def to_attributes(self) -> dict[str, Any]:
        return {"triage": self.triage, "conditions": list(self.conditions)}

    @classmethod
    def from_attributes(cls, raw: object) -> Outcome | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("triage"), str):
            return None
        conditions = raw.get("conditions")
        if not isinstance(conditions, list) or not all(isinstance(c, str) for c in conditions):
            return None
        return cls(raw["triage"], list(conditions))


@record
class Conversation:
    """Everything the skill remembers between the turns of one session."""

    mode: Mode = Mode.IDLE
    interview: InterviewState | None = None  # the check's findings and its pending question
    offer: str | None = None  # the routine offered after a result
    outcome: Outcome | None = None
    result: ResultMemory | None = None
    routine: PlayerState | None = None  # the position in a playing routine
    answered: str | None = None  # the last answer's id (content/answers.yaml)
    # (this turn only, never in the session) a question said in the same breath as a story or an
    # answer is being answered: its sentences only, the check's next question comes after them
    aside: bool = False

    def enter(self, mode: Mode) -> None:
        """Move to `mode`; raises TransitionError for a move the dialog does not allow."""
        if mode != self.mode and mode not in TRANSITIONS[self.mode]:
            raise TransitionError(f"{self.mode} -> {mode}")
        self.mode = mode

    def can_enter(self, mode: Mode) -> bool:
        return mode == self.mode or mode in TRANSITIONS[self.mode]

    def is_in(self, *modes: Mode) -> bool:
        return self.mode in modes

    @property
    def asking(self) -> str | None:
        """The pending interview question, when a check is asking one."""
        if self.mode is not Mode.INTERVIEW or self.interview is None:
            return None
        return self.interview.asking


def _small(value: Any) -> bool:
    try:
        return len(json.dumps(value, separators=(",", ":"))) <= MAX_SESSION_VALUE_BYTES
    except (TypeError, ValueError, RecursionError):
        return False


def _mode(value: object) -> Mode:
    try:
        return Mode(value) if isinstance(value, str) else Mode.IDLE
    except ValueError:
        return Mode.IDLE


def read(attributes: object) -> Conversation:
    """The conversation the session attributes hold; a fresh one for anything unreadable."""
    if not isinstance(attributes, dict):
        return Conversation()
    raw = {k: v for k, v in attributes.items() if k in OWNED_SESSION_KEYS and _small(v)}
    offer, answered = raw.get(OFFER), raw.get(ANSWERED)
    conversation = Conversation(
        mode=_mode(raw.get(MODE)),
        offer=offer if isinstance(offer, str) else None,
        outcome=Outcome.from_attributes(raw.get(OUTCOME)),
        result=ResultMemory.from_attributes(raw.get(RESULT)),
        answered=answered if isinstance(answered, str) else None,
    )
    if INTERVIEW in raw:
        from hipcoach.dialog.interview import InterviewState  # cold start: see the module doc

        conversation.interview = InterviewState.from_attributes(raw[INTERVIEW])
    if ROUTINE in raw:
        from hipcoach.routines.records import read_session  # cold start: see the module doc

        conversation.routine = read_session(raw[ROUTINE])
    return conversation


def write(conversation: Conversation) -> dict[str, Any]:
    """The session attributes that carry `conversation` to the next turn."""
    attributes: dict[str, Any] = {MODE: conversation.mode.value}
    if conversation.interview is not None:
        attributes[INTERVIEW] = conversation.interview.to_attributes()
    if conversation.offer is not None:
        attributes[OFFER] = conversation.offer
    if conversation.outcome is not None:
        attributes[OUTCOME] = conversation.outcome.to_attributes()
    if conversation.result is not None:
        attributes[RESULT] = conversation.result.to_attributes()
    if conversation.routine is not None:
        from hipcoach.routines.records import session_record  # loaded with the routine

        attributes[ROUTINE] = session_record(conversation.routine)
    if conversation.answered is not None:
        attributes[ANSWERED] = conversation.answered
    return attributes
