"""What the skill says back on one turn, as plain data: the edge (`hipcoach.app`) makes it an
Alexa response.

The microphone stays open only after a question: a reply with a reprompt keeps the session open,
any other reply ends it. So a reply that asks nothing cannot leave the runner talking to no one.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from hipcoach.records import record
from hipcoach.speech import ssml


def sentence(text: str) -> str:
    """Text ending as a sentence, so joined sentences are read with their pauses."""
    text = text.strip()
    return text if not text or text[-1] in ".?!:;" else text + "."


def render(sentences: list[str]) -> str:
    return ssml.speak(*(ssml.text(sentence(s)) for s in sentences if s and s.strip()))


@record
class Reply:
    """Sentences to say (or SSML already timed, for a routine step), the reprompt that keeps the
    session open, a card, and directives (a routine's screen)."""

    speech: list[str] = field(default_factory=list)
    reprompt: str | None = None
    card: tuple[str, str] | None = None
    ssml: str | None = None  # replaces `speech` when set
    reprompt_ssml: str | None = None  # replaces `reprompt` when set
    directives: list[Any] = field(default_factory=list)
    silent: bool = False  # no speech at all (a SessionEndedRequest, an unused request type)

    @property
    def end_session(self) -> bool:
        return not (self.reprompt or self.reprompt_ssml)

    def speech_ssml(self) -> str | None:
        if self.silent:
            return None
        return self.ssml if self.ssml is not None else render(self.speech)

    def reprompt_as_ssml(self) -> str | None:
        if self.reprompt_ssml is not None:
            return self.reprompt_ssml
        return render([self.reprompt]) if self.reprompt else None


def say(sentences: list[str], reprompt: str | None = None, *, card: tuple[str, str] | None = None
        ) -> Reply:  # fmt: skip
    """Sentences, and the question that keeps the session open (None: the session ends)."""
    return Reply(list(sentences), reprompt, card)


def with_lead(timed: str, sentences: list[str]) -> str:
    """Timed SSML (a routine's step) with sentences said first."""
    lead = " ".join(ssml.text(sentence(s)) for s in sentences if s and s.strip())
    return timed.replace("<speak>", f"<speak>{lead} ", 1) if lead else timed


def silence() -> Reply:
    return Reply(silent=True)
