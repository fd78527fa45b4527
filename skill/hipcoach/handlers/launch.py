"""The launch, and the apology for a turn that failed: what a cold container answers first.

Cold start: a first launch (no record yet, or no follow-up due) loads none of the rules engine,
the memory areas or the routine player; a returning runner's launch imports the follow-up and
the resume offer when it needs them (measured in `make bench`; held by
tests/lambda/test_lambda_zip.py).
"""

from __future__ import annotations

from hipcoach.dialog import drafts
from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import Turn
from hipcoach.medical.disclaimer import disclaimer
from hipcoach.speech.reply import Reply, say


def _returning_offer(turn: Turn, conversation: Conversation) -> str | None:
    """A follow-up on the last check, else the offer of an unfinished routine, else None."""
    from hipcoach.dialog import memory, routine  # cold start: see the module doc

    return memory.followup_prompt(turn, conversation) or routine.resume_offer(turn, conversation)


def launch(turn: Turn, conversation: Conversation) -> Reply:
    texts = turn.texts
    record = drafts.drop_stale(turn)
    returning = bool(record and isinstance(record.get(drafts.PROFILE_KEY), dict))
    if record is not None and not returning:
        profile = {"first_seen": turn.today.isoformat()}
        turn.records.update(
            lambda r: (
                None
                if isinstance(r.get(drafts.PROFILE_KEY), dict)
                else {**r, drafts.PROFILE_KEY: profile}
            )
        )
    if not returning:
        greeting = texts.get("interview.welcome_first", disclaimer=disclaimer(texts.locale))
    else:
        greeting = texts.get("interview.welcome_back")
    offer = _returning_offer(turn, conversation) if returning else None
    if offer:
        return say([greeting, offer], offer)
    conversation.enter(Mode.IDLE)
    if returning:  # one short line: they know the skill
        greeting = texts.get("interview.welcome_back_menu", welcome_back=greeting)
    else:
        greeting = " ".join([greeting, texts.get("interview.offer_start")])
    return say([greeting], texts.get("interview.offer_start_reprompt"))


def apology(turn: Turn) -> Reply:
    texts = turn.texts
    return say([texts.get("interview.error")], texts.get("interview.error_reprompt"))
