"""Handlers for the skill's memory: training log, 10% rule, shoes, follow-ups, read-back, delete.

Also the two hooks the interview and launch use: `record_episode()` when a check ends and
`followup_prompt()` on launch. Every write is a pure change (record -> new record) applied with
`hipcoach.memory.store.update`, and the reply is computed from the record it produced, so a
conditional write with re-apply (issue 17) can replace `update` without touching the handlers.
Every function returns plain text; callers render it with `hipcoach.speech.ssml`. Dates come
only from `hipcoach.clock.today()`. The memory areas' logic is imported by the handlers that run
it, so a first launch compiles none of it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from hipcoach.clock import today as request_today
from hipcoach.dialog import state as dialog
from hipcoach.dialog.state import Mode
from hipcoach.memory import store
from hipcoach.speech import ssml
from hipcoach.speech.texts import Texts

if TYPE_CHECKING:
    from hipcoach.memory import actions

__all__ = ["followup_prompt", "record_episode", "request_handlers"]


# Re-runs triage on what the follow-up knows; returns extra text to say, or None.
Retriage = Callable[[HandlerInput, dict[str, Any]], str | None]


# -- request helpers ---------------------------------------------------------------------------


def _locale(handler_input: HandlerInput) -> str | None:
    return getattr(handler_input.request_envelope.request, "locale", None)


def _texts(handler_input: HandlerInput) -> Texts:
    return Texts(_locale(handler_input))


def _slot(handler_input: HandlerInput, name: str) -> str | None:
    """A slot's resolved value id when entity resolution matched, else what was heard."""
    from hipcoach.dialog.answers import request_slot, slot_id

    return slot_id(request_slot(handler_input, name))


def _number(handler_input: HandlerInput, name: str) -> float | None:
    raw = _slot(handler_input, name)
    try:
        value = float(raw) if raw is not None else None
    except ValueError:
        return None
    return value if value is not None and 0 < value < math.inf else None


def _say(handler_input: HandlerInput, text: str, reprompt: str | None = None) -> Response:
    builder = handler_input.response_builder.speak(ssml.speak(ssml.text(text)))
    if reprompt:
        builder.ask(ssml.speak(ssml.text(reprompt)))
    return builder.response


def _anything_else(handler_input: HandlerInput, text: str) -> Response:
    follow = _texts(handler_input).get("memory.anything_else")
    return _say(handler_input, f"{text} {follow}", follow)


# -- hooks for the launch and interview handlers -------------------------------------------------


def record_episode(
    handler_input: HandlerInput,
    findings: dict[str, Any],
    triage_level: str,
    leading_condition: str | None,
    today: date,
    drop: tuple[str, ...] = (),
) -> str:
    """Keep the minimum to follow up a finished check (and drop the keys in `drop`, in the same
    write); returns what is kept and how to delete it (and, after repeated checks, that pain which
    keeps coming back should be seen)."""
    from hipcoach.memory import actions

    def change(record: dict[str, Any]) -> dict[str, Any]:
        kept = {key: value for key, value in record.items() if key not in drop}
        return actions.record_check(kept, findings, triage_level, leading_condition, today)

    texts = _texts(handler_input)
    result = store.update(handler_input, change)
    if not result.saved or result.record is None:
        return texts.get("memory.episode_not_kept")
    parts = [texts.get("memory.episode_kept")]
    if actions.is_recurrent(result.record, today):
        parts.append(texts.get("memory.recurrent_note"))
    return " ".join(parts)


def followup_prompt(handler_input: HandlerInput) -> str | None:
    """On launch: the follow-up question for a recent open episode (and mode `followup`)."""
    record = store.load(handler_input)
    if record is None:
        return None
    from hipcoach.memory.episodes import needs_followup
    from hipcoach.memory.phrases import followup_question

    episode = store.episode(record)
    if episode is None or not needs_followup(episode, request_today(handler_input)):
        return None
    dialog.enter(handler_input, Mode.FOLLOWUP)
    return followup_question(_texts(handler_input), episode)


# -- handlers ----------------------------------------------------------------------------------


def _answer(handler_input: HandlerInput, record: dict[str, Any], answer: actions.Answer) -> str:
    """Apply an answer's change (if any) and say its reply from the resulting record."""
    if answer.change is None:
        return answer.say(record)
    result = store.update(handler_input, answer.change)
    if not result.saved or result.record is None:
        return _texts(handler_input).get("memory.unavailable")
    return answer.say(result.record)


class _MemoryHandler(AbstractRequestHandler):
    """Loads the record, runs one action, applies its change, answers."""

    intent: str = ""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        texts = _texts(handler_input)
        record = store.load(handler_input)
        dialog.enter(handler_input, Mode.IDLE)
        if record is None:
            return _anything_else(handler_input, texts.get("memory.unavailable"))
        answer = self.act(handler_input, record, texts, request_today(handler_input))
        text = _answer(handler_input, record, answer)
        if self.asks_shoes(record):
            dialog.enter(handler_input, Mode.SHOE_QUESTION)
            return _say(handler_input, text, texts.get("memory.shoes_ask_distance"))
        return _anything_else(handler_input, text)

    def act(
        self, handler_input: HandlerInput, record: dict[str, Any], texts: Texts, today: date
    ) -> actions.Answer:
        raise NotImplementedError

    def asks_shoes(self, record: dict[str, Any]) -> bool:
        """Whether the answer asked how far the shoes have gone (the next distance is theirs)."""
        return False


class LogRunHandler(_MemoryHandler):
    intent = "LogRunIntent"

    def act(
        self, handler_input: HandlerInput, record: dict[str, Any], texts: Texts, today: date
    ) -> actions.Answer:
        from hipcoach.memory import actions

        period = _slot(handler_input, "period")
        return actions.log_distance(
            record,
            texts,
            _locale(handler_input),
            _number(handler_input, "distance"),
            _slot(handler_input, "unit"),
            period if period in actions.PERIODS else None,
            _slot(handler_input, "when"),
            today,
        )


class PlanWeekHandler(_MemoryHandler):
    intent = "PlanWeekIntent"

    def act(
        self, handler_input: HandlerInput, record: dict[str, Any], texts: Texts, today: date
    ) -> actions.Answer:
        from hipcoach.memory import actions

        return actions.plan_week(
            record,
            texts,
            _locale(handler_input),
            _number(handler_input, "distance"),
            _slot(handler_input, "unit"),
            _slot(handler_input, "week"),
            today,
        )


class NewShoesHandler(_MemoryHandler):
    intent = "NewShoesIntent"

    def act(
        self, handler_input: HandlerInput, record: dict[str, Any], texts: Texts, today: date
    ) -> actions.Answer:
        from hipcoach.memory import actions

        return actions.new_shoes(
            record, texts, _locale(handler_input), _slot(handler_input, "when"), today
        )


class ShoeMilesHandler(_MemoryHandler):
    """'My shoes have about 400 miles on them.'"""

    intent = "ShoeMilesIntent"

    def act(
        self, handler_input: HandlerInput, record: dict[str, Any], texts: Texts, today: date
    ) -> actions.Answer:
        from hipcoach.memory import actions

        return actions.set_shoe_distance(
            record,
            texts,
            _locale(handler_input),
            _number(handler_input, "distance"),
            _slot(handler_input, "unit"),
            today,
        )


class ShoeAnswerHandler(ShoeMilesHandler):
    """A distance said right after 'how far have your shoes gone?' is the shoes' count, whatever
    intent it was heard as ('about 600 kilometres' is never a run)."""

    _DISTANCE_INTENTS = (
        "ShoeMilesIntent",
        "LogRunIntent",
        "NumberIntent",
        "MileageAdviceIntent",
        "PlanWeekIntent",
    )

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not dialog.is_in(handler_input, Mode.SHOE_QUESTION):
            return False
        if not any(is_intent_name(name)(handler_input) for name in self._DISTANCE_INTENTS):
            return False
        return _number(handler_input, "distance") is not None or (
            _number(handler_input, "number") is not None
        )

    def act(
        self, handler_input: HandlerInput, record: dict[str, Any], texts: Texts, today: date
    ) -> actions.Answer:
        from hipcoach.memory import actions

        number = _number(handler_input, "distance") or _number(handler_input, "number")
        return actions.set_shoe_distance(
            record, texts, _locale(handler_input), number, _slot(handler_input, "unit"), today
        )


class ShoeWearHandler(_MemoryHandler):
    intent = "ShoeWearIntent"

    def act(
        self, handler_input: HandlerInput, record: dict[str, Any], texts: Texts, today: date
    ) -> actions.Answer:
        from hipcoach.memory import actions

        return actions.shoe_wear(record, texts, _locale(handler_input), today)

    def asks_shoes(self, record: dict[str, Any]) -> bool:
        return store.shoes(record) is None


class WhatDoYouKnowHandler(_MemoryHandler):
    intent = "WhatDoYouKnowIntent"

    def act(
        self, handler_input: HandlerInput, record: dict[str, Any], texts: Texts, today: date
    ) -> actions.Answer:
        from hipcoach.memory import actions
        from hipcoach.memory.readback import readback

        unit = actions.runner_unit(record, _locale(handler_input))
        return actions.told(readback(texts, record, unit, today))


class DeleteDataHandler(AbstractRequestHandler):
    """'Delete my data': ask first (mode `confirm_delete`)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("DeleteDataIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        texts = _texts(handler_input)
        dialog.enter(handler_input, Mode.CONFIRM_DELETE)
        return _say(
            handler_input, texts.get("memory.delete_confirm"), texts.get("memory.delete_reprompt")
        )


class ConfirmDeleteHandler(AbstractRequestHandler):
    """Yes or no to 'should I delete it?'."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not dialog.is_in(handler_input, Mode.CONFIRM_DELETE):
            return False
        return is_intent_name("AMAZON.YesIntent")(handler_input) or is_intent_name(
            "AMAZON.NoIntent"
        )(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        texts = _texts(handler_input)
        dialog.enter(handler_input, Mode.IDLE)
        if not is_intent_name("AMAZON.YesIntent")(handler_input):
            return _anything_else(handler_input, texts.get("memory.delete_kept"))
        if not store.delete_all(handler_input):
            return _anything_else(handler_input, texts.get("memory.unavailable"))
        return _anything_else(handler_input, texts.get("memory.delete_done"))


_FINDINGS_INTENTS = ("TellFindingsIntent", "AffirmFindingsIntent", "DenyFindingsIntent")


def _told_worsening(handler_input: HandlerInput) -> bool | None:
    """Whether a follow-up answer said in the catalogue's words (a findings intent) tells that
    the pain is getting worse or a warning sign has appeared (True), that it is not getting worse
    (False), or neither (None)."""
    from ask_sdk_model import IntentRequest

    from hipcoach.dialog.answers import slot_id

    request = handler_input.request_envelope.request
    if not isinstance(request, IntentRequest) or request.intent is None:
        return None
    if request.intent.name not in _FINDINGS_INTENTS:
        return None
    from hipcoach.medical.knowledge import knowledge

    values = {slot_id(slot) for slot in (request.intent.slots or {}).values()}
    # worse, or a new warning sign ("it's started waking me up at night"): never read as better
    warning = {f"{flag}=true" for flag in knowledge().red_flags} | {"worsening=true"}
    if values & warning:
        return True
    return False if "worsening=false" in values else None


class FollowupHandler(AbstractRequestHandler):
    """The answer to 'Is it any better?': ProgressIntent any time, yes/no in mode `followup`."""

    def __init__(self, retriage: Retriage | None = None) -> None:
        self.retriage = retriage

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if is_intent_name("ProgressIntent")(handler_input):
            return True
        if not dialog.is_in(handler_input, Mode.FOLLOWUP):
            return False
        return (
            is_intent_name("AMAZON.YesIntent")(handler_input)
            or is_intent_name("AMAZON.NoIntent")(handler_input)
            or _told_worsening(handler_input) is not None
        )

    def _progress(self, handler_input: HandlerInput) -> str | None:
        from hipcoach.memory.episodes import PROGRESS

        # "Is it any better?": yes means better, no means not better (the same).
        if is_intent_name("AMAZON.YesIntent")(handler_input):
            return "better"
        if is_intent_name("AMAZON.NoIntent")(handler_input):
            return "same"
        worsening = _told_worsening(handler_input)
        if worsening is not None:
            # "it's got a lot worse" is worse; "it's not getting worse" is not yet better
            return "worse" if worsening else "same"
        value = _slot(handler_input, "progress")
        return value if value in PROGRESS else None

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.memory import actions

        texts = _texts(handler_input)
        progress = self._progress(handler_input)
        if progress is None:
            reprompt = texts.get("memory.followup_reprompt")
            return _say(handler_input, reprompt, reprompt)
        dialog.enter(handler_input, Mode.IDLE)
        record = store.load(handler_input)
        if record is None:
            return _anything_else(handler_input, texts.get("memory.unavailable"))
        today = request_today(handler_input)
        answer = actions.followup(record, texts, progress, today)
        if answer.change is None:
            return _anything_else(handler_input, answer.say(record))
        result = store.update(handler_input, answer.change)
        if not result.saved or result.record is None:
            return _anything_else(handler_input, texts.get("memory.unavailable"))
        # The care plan's follow-up words carry any escalation (issue 22): no second verdict.
        return _anything_else(handler_input, answer.say(result.record))


def request_handlers(retriage: Retriage | None = None) -> list[AbstractRequestHandler]:
    """Memory's handlers, mode-specific first. `retriage` (optional) re-runs triage on follow-up."""
    return [
        ConfirmDeleteHandler(),
        ShoeAnswerHandler(),
        FollowupHandler(retriage),
        LogRunHandler(),
        PlanWeekHandler(),
        NewShoesHandler(),
        ShoeMilesHandler(),
        ShoeWearHandler(),
        DeleteDataHandler(),
        WhatDoYouKnowHandler(),
    ]
