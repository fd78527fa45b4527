"""'What do you know about me?': every kept item read back, plainly."""

from __future__ import annotations

from datetime import date
from typing import Any

from hipcoach.memory import store
from hipcoach.memory.dates import from_iso
from hipcoach.memory.phrases import ago, condition_name, distance, where
from hipcoach.memory.prevention import advise, shoe_records, today_record, training_records
from hipcoach.memory.training import last_logged_week
from hipcoach.memory.units import Unit
from hipcoach.speech.texts import Texts


def _episode(texts: Texts, episode: dict[str, Any], today: date) -> list[str]:
    recorded = from_iso(episode["recorded"]) or today
    started = from_iso(episode["started"])  # None when the runner never said
    parts = [
        texts.get(
            "memory.readback_episode",
            when=ago(texts, recorded, today),
            triage=texts.get(f"memory.triage_{episode['triage']}"),
        )
    ]
    if started is not None:
        parts.append(texts.get("memory.readback_started", started=ago(texts, started, today)))
    place = where(texts, episode.get("location"))
    if place:
        parts.append(texts.get("memory.readback_where", where=place))
    name = condition_name(texts, episode.get("condition"))
    if name:
        parts.append(texts.get("memory.readback_condition", condition=name))
    if episode["status"] == "closed":
        parts.append(texts.get("memory.readback_closed"))
    return parts


def readback(
    texts: Texts, record: dict[str, Any], unit: Unit, today: date, also: tuple[str, ...] = ()
) -> str:
    """A summary of everything kept for this user, ending with how to delete it. `also`: what
    other areas keep, said back in their own words (a routine stopped because it hurt)."""
    parts: list[str] = []
    episode = store.episode(record)
    if episode:
        parts += _episode(texts, episode, today)
    training = store.training(record)
    weeks = [key for key, rec in training["weeks"].items() if rec["base"] or rec["runs"]]
    last = last_logged_week(training, today)
    if last:
        parts.append(
            texts.get("memory.readback_last_week", distance=distance(texts, last[1], unit))
        )
    if weeks:
        count = len(weeks)
        key = "memory.readback_weeks_one" if count == 1 else "memory.readback_weeks_many"
        parts.append(texts.get(key, n=count))
    shoes = store.shoes(record)
    if shoes:
        since = from_iso(shoes["since"]) if shoes["since_exact"] else None
        km = advise(today_record(today), shoe_records(shoes), training_records(training)).shoe_km
        if since is not None:
            text = texts.get(
                "memory.readback_shoes",
                when=ago(texts, since, today),
                distance=distance(texts, km, unit),
            )
        else:
            text = texts.get("memory.readback_shoes_distance", distance=distance(texts, km, unit))
        parts.append(text)
    parts += also
    if not parts:
        return texts.get("memory.readback_nothing")
    return " ".join(
        [texts.get("memory.readback_intro"), *parts, texts.get("memory.readback_outro")]
    )
