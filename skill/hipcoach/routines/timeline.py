"""Timed speech as a list of segments: words to say and silences to keep.

Alexa caps one SSML break at 10 s and some speech engines merge adjacent breaks, so a silence is
never longer than 10 s and two silences never touch: something is always said between them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from hipcoach.speech import ssml

# A slow-ish speaking rate, so that estimates of audio length err on the long side.
WORDS_PER_SECOND = 2.5


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class Silence:
    seconds: int


Segment = Say | Silence


def silence_seconds(segments: Iterable[Segment]) -> int:
    return sum(s.seconds for s in segments if isinstance(s, Silence))


def estimate_seconds(segments: Iterable[Segment]) -> float:
    """Estimated audio length: the silences plus the words at a slow speaking rate."""
    items = list(segments)
    words = sum(len(s.text.split()) for s in items if isinstance(s, Say))
    return silence_seconds(items) + words / WORDS_PER_SECOND


def to_ssml_body(segments: Sequence[Segment]) -> str:
    """SSML (without <speak>) for the segments; ValueError if two silences would touch."""
    parts: list[str] = []
    previous_silent = False
    for segment in segments:
        if isinstance(segment, Silence):
            if previous_silent:
                raise ValueError("two silences in a row: say something between them")
            parts.append(ssml.pause(segment.seconds))
            previous_silent = True
        elif segment.text.strip():
            parts.append(ssml.text(segment.text))
            previous_silent = False
    return " ".join(parts)


def countdown(
    seconds: int,
    *,
    marker: Callable[[int], str | None],
    finish: str,
    max_gap: int = int(ssml.MAX_BREAK_SECONDS),
) -> list[Segment]:
    """`seconds` of silence, split wherever `marker(remaining)` has something to say, and never
    longer than `max_gap` in one piece (the marker is asked for a filler line there, and must
    give one); ends by saying `finish`. The silences add up to exactly `seconds`."""
    marks = {left: text for left in range(1, seconds) if (text := marker(left))}
    segments: list[Segment] = []
    remaining = seconds
    while remaining > 0:
        following = max((left for left in marks if left < remaining), default=0)
        if remaining - following > max_gap:
            following = remaining - max_gap
            filler = marker(following) if following not in marks else marks[following]
            if not filler:
                raise ValueError(f"nothing to say {following} s before the end of a silence")
            marks[following] = filler
        segments.append(Silence(remaining - following))
        segments.append(Say(marks[following] if following else finish))
        remaining = following
    return segments
