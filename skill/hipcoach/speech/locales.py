"""The locale policy (content/locales.yaml): which locales the skill speaks and what differs.

`policy(locale)` answers for any locale a request may carry: a listed locale is itself; an
unlisted one (en-NZ, a malformed value) is the default locale's policy. `fallbacks(locale)` is the
order in which texts are looked up: the locale, the locales it inherits from, then the default.
Nothing here is a rule of thumb in code: every difference between locales is in the YAML.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

from hipcoach import content_cache
from hipcoach.content_location import CONTENT_DIR
from hipcoach.records import record

POLICY_FILE = CONTENT_DIR / "locales.yaml"
DistanceUnit = Literal["mi", "km"]


class LocalePolicyError(ValueError):
    """content/locales.yaml is inconsistent; the message lists every problem."""


@record(frozen=True)
class LocalePolicy:
    locale: str
    inherits: str | None
    fallbacks: tuple[str, ...]  # text lookup order: this locale, its parents, the default
    distance_unit: DistanceUnit
    emergency_number: str
    has_model: bool  # an interaction model is built for it
    urgent_care_number: str | None = None  # urgent care without an appointment (the UK's 111)


@record(frozen=True)
class Policies:
    default: str
    by_locale: Mapping[str, LocalePolicy]


def _chain(name: str, table: Mapping[str, Mapping[str, Any]], default: str) -> tuple[str, ...]:
    chain = [name]
    while (parent := table[chain[-1]].get("inherits")) and parent not in chain:
        chain.append(str(parent))
    if default not in chain:
        chain.append(default)
    return tuple(chain)


def parse(data: Mapping[str, Any]) -> Policies:
    problems: list[str] = []
    table: dict[str, Mapping[str, Any]] = dict(data.get("locales") or {})
    default = str(data.get("default", ""))
    if default not in table:
        problems.append(f"default locale {default!r} is not listed")
    for name, spec in table.items():
        parent = spec.get("inherits")
        if parent is not None and parent not in table:
            problems.append(f"{name}: inherits unknown locale {parent!r}")
        if spec.get("distance_unit") not in ("mi", "km"):
            problems.append(f"{name}: distance_unit must be mi or km")
        if not str(spec.get("emergency_number", "")).strip():
            problems.append(f"{name}: no emergency_number")
    if problems:
        raise LocalePolicyError(f"{POLICY_FILE.name}: " + "; ".join(problems))
    policies = {
        name: LocalePolicy(
            locale=name,
            inherits=spec.get("inherits"),
            fallbacks=_chain(name, table, default),
            distance_unit=cast(DistanceUnit, spec["distance_unit"]),
            emergency_number=str(spec["emergency_number"]),
            has_model=bool(spec.get("invocation")),
            urgent_care_number=str(spec["urgent_care_number"])
            if spec.get("urgent_care_number")
            else None,
        )
        for name, spec in table.items()
    }
    return Policies(default=default, by_locale=policies)


def _load(path: Path = POLICY_FILE) -> Policies:
    import yaml  # only when content is parsed: a cached policy needs no YAML

    return parse(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


def _cache_inputs() -> tuple[str, Path, list[Path], list[Path]]:
    return "locales", CONTENT_DIR, [POLICY_FILE], [Path(__file__)]


def cache_spec() -> tuple[str, Path, list[Path], list[Path], Policies]:
    """What `hipcoach.tools.build_content_cache` pickles: the inputs and the validated value."""
    return (*_cache_inputs(), _load())


@cache
def policies() -> Policies:
    return content_cache.cached(*_cache_inputs(), Policies, _load)


def _canonical(locale: str | None) -> str | None:
    if not isinstance(locale, str):
        return None
    parts = locale.replace("_", "-").split("-")
    if len(parts) != 2:
        return None
    return f"{parts[0].lower()}-{parts[1].upper()}"


def policy(locale: str | None) -> LocalePolicy:
    table = policies()
    name = _canonical(locale)
    return table.by_locale.get(name or "", table.by_locale[table.default])


def numbers(locale: str | None) -> dict[str, str]:
    """The locale's numbers as the care plan's words take them (content/speech/care_plan.yaml):
    urgent care without an appointment falls back to the emergency number where there is none."""
    local = policy(locale)
    return {
        "emergency_number": local.emergency_number,
        "urgent_care_number": local.urgent_care_number or local.emergency_number,
    }


def fallbacks(locale: str | None) -> tuple[str, ...]:
    return policy(locale).fallbacks


def model_locale(locale: str | None) -> str:
    """The nearest locale with an interaction model (the local NLU reads that model)."""
    table = policies()
    for name in policy(locale).fallbacks:
        if table.by_locale[name].has_model:
            return name
    return table.default


def pick(texts: Mapping[str, str], locale: str | None) -> str:
    """The text of `texts` (locale -> text) for `locale`, along its fallbacks."""
    for name in fallbacks(locale):
        if name in texts:
            return texts[name]
    raise KeyError(f"no text for {locale} or its fallbacks {fallbacks(locale)}")


def known(locale: str) -> bool:
    return locale in policies().by_locale


def roots() -> tuple[str, ...]:
    """The locales that inherit from none: content gives each of them its own text."""
    return tuple(name for name, p in policies().by_locale.items() if p.inherits is None)
