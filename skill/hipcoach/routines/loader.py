"""Load and validate the routines in content/routines/*.yaml (one routine per file)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from hipcoach import content_cache
from hipcoach.content_location import CONTENT_DIR
from hipcoach.routines.model import Exercise, Localised, Routine, Sides

ROUTINES_DIR = CONTENT_DIR / "routines"
# A step is one response: its audio must stay well inside what a runner will wait through.
MAX_STEP_SECONDS = 85
MAX_BREAK_SECONDS = 10
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_SEED = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
_ROUTINE_KEYS = {"id", "name", "kind", "source", "exercises"}
_EXERCISE_KEYS = {
    "id", "name", "source", "cues", "sides", "hold", "holds", "between",
    "reps", "tempo", "slow_tempo", "sets", "rest",
}  # fmt: skip


class RoutineError(ValueError):
    """A routine file that does not describe a playable routine; the message names the place."""


def _fail(where: str, message: str) -> RoutineError:
    return RoutineError(f"{where}: {message}")


def _localised(value: Any, where: str) -> Localised:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if (
        isinstance(value, Mapping)
        and isinstance(value.get("en-US"), str)
        and all(isinstance(v, str) and v.strip() for v in value.values())
    ):
        return {str(k): v.strip() for k, v in value.items()}
    raise _fail(where, "needs text, or a mapping of locale to text with en-US")


def _integer(data: Mapping[str, Any], key: str, where: str, low: int, high: int) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(f"{where}.{key}", f"must be a whole number from {low} to {high}, not {value!r}")
    return value


def _source(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _SEED.match(value):
        raise _fail(f"{where}.source", f"must name a seed file (like 002_….txt), not {value!r}")
    return value


def _exercise(data: Any, where: str) -> Exercise:
    if not isinstance(data, Mapping):
        raise _fail(where, "must be a mapping")
    unknown = set(data) - _EXERCISE_KEYS
    if unknown:
        raise _fail(where, f"unknown keys {sorted(unknown)}")
    ident = data.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        raise _fail(f"{where}.id", f"must be a snake_case id, not {ident!r}")
    where = f"{where}[{ident}]"
    cues = data.get("cues")
    if not isinstance(cues, list) or not cues:
        raise _fail(f"{where}.cues", "needs at least one short spoken cue")
    try:
        sides = Sides(data.get("sides", "both"))
    except ValueError:
        raise _fail(f"{where}.sides", f"must be one of {[s.value for s in Sides]}") from None
    hold = _integer(data, "hold", where, 5, 60)
    reps = _integer(data, "reps", where, 1, 30)
    if (hold is None) == (reps is None):
        raise _fail(where, "needs exactly one of hold (seconds) or reps")
    if hold is None and ("holds" in data or "between" in data):
        raise _fail(where, "holds and between only go with hold")
    if reps is None and ("tempo" in data or "slow_tempo" in data):
        raise _fail(where, "tempo and slow_tempo only go with reps")
    tempo = _integer(data, "tempo", where, 1, MAX_BREAK_SECONDS) or 3
    slow_tempo = _integer(data, "slow_tempo", where, tempo, MAX_BREAK_SECONDS) or tempo
    return Exercise(
        id=ident,
        name=_localised(data.get("name"), f"{where}.name"),
        source=_source(data.get("source"), where),
        cues=tuple(_localised(cue, f"{where}.cues[{n}]") for n, cue in enumerate(cues)),
        sides=sides,
        hold=hold,
        holds=_integer(data, "holds", where, 1, 10) or 1,
        between=_integer(data, "between", where, 1, MAX_BREAK_SECONDS) or 0,
        reps=reps,
        tempo=tempo,
        slow_tempo=slow_tempo,
        sets=_integer(data, "sets", where, 1, 5) or 1,
        rest=_integer(data, "rest", where, 1, 60) or 0,
    )


def parse_routine(data: Any, where: str) -> Routine:
    """A validated Routine from one file's YAML data; RoutineError names what is wrong."""
    if not isinstance(data, Mapping):
        raise _fail(where, "must be a mapping")
    missing, unknown = _ROUTINE_KEYS - set(data), set(data) - _ROUTINE_KEYS
    if missing or unknown:
        raise _fail(where, f"missing keys {sorted(missing)}, unknown keys {sorted(unknown)}")
    ident = data["id"]
    if not isinstance(ident, str) or not _ID.match(ident):
        raise _fail(f"{where}.id", f"must be a snake_case id, not {ident!r}")
    items = data["exercises"]
    if not isinstance(items, list) or not items:
        raise _fail(f"{where}.exercises", "needs at least one exercise")
    exercises = tuple(_exercise(item, f"{where}.exercises[{n}]") for n, item in enumerate(items))
    ids = [exercise.id for exercise in exercises]
    if len(set(ids)) != len(ids):
        raise _fail(f"{where}.exercises", "exercise ids must be unique")
    routine = Routine(
        id=ident,
        name=_localised(data["name"], f"{where}.name"),
        kind=str(data["kind"]),
        source=_source(data["source"], where),
        exercises=exercises,
    )
    for step in routine.steps():
        seconds = routine.estimated_seconds(step)
        if seconds > MAX_STEP_SECONDS:
            name = exercises[step.exercise].id
            raise _fail(where, f"a step of {name} takes ~{seconds} s (at most {MAX_STEP_SECONDS})")
    return routine


def load_routines(directory: Path = ROUTINES_DIR) -> dict[str, Routine]:
    """Every routine in `directory`, by id. The file name must be the routine id."""
    import yaml  # only when content is parsed: cached routines need no YAML

    # libyaml's safe loader when PyYAML has it (parses the same documents, faster).
    yaml_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    routines: dict[str, Routine] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml_loader)
        except yaml.YAMLError as error:
            raise _fail(path.name, f"is not valid YAML: {error}") from None
        routine = parse_routine(data, path.name)
        if routine.id != path.stem:
            raise _fail(path.name, f"id {routine.id!r} must match the file name")
        routines[routine.id] = routine
    if not routines:
        raise RoutineError(f"no routines in {directory}")
    return routines


def _cache_inputs() -> tuple[str, Path, list[Path], list[Path]]:
    code = [Path(__file__), Path(__file__).with_name("model.py")]
    return "routines", ROUTINES_DIR, sorted(ROUTINES_DIR.glob("*.yaml")), code


def cache_spec() -> tuple[str, Path, list[Path], list[Path], dict[str, Routine]]:
    """What `hipcoach.tools.build_content_cache` pickles: the inputs and the validated value."""
    return (*_cache_inputs(), load_routines())


@cache
def routines() -> Mapping[str, Routine]:
    """The shipped routines, loaded once (from $HIPCOACH_CONTENT_CACHE when that folder holds the
    validated pickle of these very files)."""
    return content_cache.cached(*_cache_inputs(), dict, load_routines)


def get_routine(routine_id: str) -> Routine | None:
    return routines().get(routine_id)
