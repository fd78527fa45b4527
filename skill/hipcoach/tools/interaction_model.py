"""Build the skill's catalogue and Alexa's interaction models from content/language/.

The language a runner may speak lives in content/language/*.yaml, beside the knowledge it serves:
each file holds `intents` (slots and samples) and `types` (slot values with synonyms); the
locale policy, content/locales.yaml, says which locales have a model (those with an invocation).
Samples and synonyms under `all` go to every locale; those under a locale's name go to that locale
and to every locale that `inherits` it, so a new locale is data only.

Three things are generated:
- the catalogue, hipcoach/understanding/catalogue/<locale>.json: every phrasing as an interaction
  model of the skill's internal intents, read by the skill's own understanding (shipped in the
  Lambda zip);
- Alexa's model, skill-package/interactionModels/custom/<locale>.json: the built-in intents and the
  catch-all answer intents of content/language/alexa/model.yaml, the catch-all slot type seeded
  with the catalogue's phrasings (docs/understanding.md);
- the ConText trigger terms, hipcoach/understanding/catalogue/context.json, from
  content/language/context/triggers.yaml.

    python -m hipcoach.tools.interaction_model          # write every locale's model
    python -m hipcoach.tools.interaction_model --check  # exit 1 if a committed model is stale

Every problem in the sources is reported at once, with its file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hipcoach.content_location import CONTENT_DIR

LANGUAGE_DIR = CONTENT_DIR / "language"
LOCALES_FILE = CONTENT_DIR / "locales.yaml"
ALEXA_SPEC = LANGUAGE_DIR / "alexa" / "model.yaml"
TRIGGERS = LANGUAGE_DIR / "context" / "triggers.yaml"
MODEL_DIR = Path(__file__).resolve().parents[2] / "skill-package" / "interactionModels" / "custom"
CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "understanding" / "catalogue"
ALL = "all"
BUILT_IN_TYPES = frozenset(
    {"AMAZON.NUMBER", "AMAZON.DURATION", "AMAZON.DATE", "AMAZON.SearchQuery", "AMAZON.TIME"}
)
# Alexa's published limits for a custom interaction model.
MAX_SAMPLE_CHARS = 200
MAX_VALUE_CHARS = 140
MAX_SAMPLES_PER_INTENT = 2000
_SLOT_REF = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SAMPLE_CHARS = re.compile(r"^[a-z0-9 .'_{}-]+$")


class ModelSourceError(ValueError):
    """The language sources are inconsistent; `problems` lists every one found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Sources:
    """content/language/ read and merged: one entry per intent and per slot type."""

    locales: dict[str, dict[str, Any]]
    model_configuration: dict[str, Any]
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    types: dict[str, dict[str, Any]] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)


def read_sources(language_dir: Path = LANGUAGE_DIR, locales_file: Path = LOCALES_FILE) -> Sources:
    problems: list[str] = []
    meta = yaml.safe_load(locales_file.read_text()) or {}
    sources = Sources(
        locales=dict(meta.get("locales") or {}),
        model_configuration=dict(meta.get("model_configuration") or {}),
    )
    for path in sorted(language_dir.glob("*.yaml")):
        data = yaml.safe_load(path.read_text()) or {}
        unknown = set(data) - {"intents", "types"}
        if unknown:
            problems.append(f"{path.name}: unknown keys {sorted(unknown)}")
        for kind, table in (("intents", sources.intents), ("types", sources.types)):
            for name, entry in (data.get(kind) or {}).items():
                if name in table and path.stem.endswith("_added") and kind == "types":
                    # *_added.yaml: more values for a type another file defines (issue 22)
                    table[name]["values"] = [*table[name]["values"], *entry["values"]]
                    continue
                if name in table:
                    problems.append(
                        f"{path.name}: {kind[:-1]} {name} is already defined in "
                        f"{sources.origin[kind + name]}"
                    )
                    continue
                table[name] = entry or {}
                sources.origin[kind + name] = path.name
    problems += _check_locales(sources.locales)
    if problems:
        raise ModelSourceError(problems)
    return sources


def _check_locales(locales: Mapping[str, Mapping[str, Any]]) -> list[str]:
    problems = []
    for locale, spec in locales.items():
        seen = {locale}
        parent = spec.get("inherits")
        while parent:
            if parent not in locales:
                problems.append(f"locales.yaml: {locale} inherits unknown locale {parent}")
                break
            if parent in seen:
                problems.append(f"locales.yaml: {locale} inherits in a cycle")
                break
            seen.add(parent)
            parent = locales[parent].get("inherits")
    return problems


def lineage(sources: Sources, locale: str) -> list[str]:
    """`all`, then the locales `locale` inherits from (farthest first), then `locale` itself."""
    chain = [locale]
    while parent := sources.locales[chain[-1]].get("inherits"):
        chain.append(parent)
    return [ALL, *reversed(chain)]


def _for_locale(value: Any, chain: list[str]) -> list[str]:
    """A per-locale list (a plain list means `all`), deduplicated in order."""
    if value is None:
        return []
    table = {ALL: value} if isinstance(value, list) else value
    out: list[str] = []
    for key in chain:
        for item in table.get(key) or []:
            if item not in out:
                out.append(item)
    return out


def _name_for_locale(value: Any, chain: list[str]) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        for key in reversed(chain):
            if key in value:
                return str(value[key])
    return None


def build(sources: Sources, locale: str) -> dict[str, Any]:
    """The interaction model JSON for one locale; raises ModelSourceError listing every problem."""
    if locale not in sources.locales:
        raise ModelSourceError([f"unknown locale {locale}"])
    chain = lineage(sources, locale)
    problems: list[str] = []
    used_types: set[str] = set()
    owner_of_sample: dict[str, str] = {}
    intents = []
    for name, entry in sources.intents.items():
        where = f"{sources.origin['intents' + name]}: {name}"
        slots = dict(entry.get("slots") or {})
        samples = _for_locale(entry.get("samples"), chain)
        if len(samples) > MAX_SAMPLES_PER_INTENT:
            problems.append(f"{where}: {len(samples)} samples ({locale}), over Alexa's limit")
        for sample in samples:
            problems += _check_sample(where, sample, slots)
            other = owner_of_sample.setdefault(_shape(sample, slots), name)
            if other != name:
                problems.append(f"{where}: sample {sample!r} is also a sample of {other}")
        for slot_type in slots.values():
            used_types.add(slot_type)
            if slot_type not in BUILT_IN_TYPES and slot_type not in sources.types:
                problems.append(f"{where}: slot type {slot_type} is not defined")
        intent: dict[str, Any] = {"name": name}
        if slots:
            intent["slots"] = [{"name": s, "type": t} for s, t in slots.items()]
        intent["samples"] = samples
        intents.append(intent)
    types = []
    for name, entry in sources.types.items():
        where = f"{sources.origin['types' + name]}: {name}"
        if name not in used_types:
            problems.append(f"{where}: slot type used by no intent")
        values, problems_here = _type_values(where, entry, chain)
        problems += problems_here
        types.append({"name": name, "values": values})
    if problems:
        raise ModelSourceError(problems)
    language_model: dict[str, Any] = {
        "invocationName": sources.locales[locale]["invocation"],
        "modelConfiguration": sources.model_configuration,
        "intents": intents,
        "types": types,
    }
    return {"interactionModel": {"languageModel": language_model}}


def _shape(sample: str, slots: Mapping[str, str]) -> str:
    """A sample with each slot replaced by its type: two intents must not share a shape."""
    return _SLOT_REF.sub(lambda ref: "{" + slots.get(ref[1], ref[1]) + "}", sample)


def _check_sample(where: str, sample: str, slots: Mapping[str, str]) -> list[str]:
    problems = []
    if len(sample) > MAX_SAMPLE_CHARS:
        problems.append(f"{where}: sample over {MAX_SAMPLE_CHARS} characters: {sample!r}")
    if not _SAMPLE_CHARS.match(sample) or sample != sample.strip() or "  " in sample:
        problems.append(f"{where}: sample {sample!r} has characters Alexa does not accept")
    refs = _SLOT_REF.findall(sample)
    for ref in refs:
        if ref not in slots:
            problems.append(f"{where}: sample {sample!r} names unknown slot {ref}")
    if len(refs) != len(set(refs)):
        problems.append(f"{where}: sample {sample!r} uses a slot twice")
    return problems


def _type_values(
    where: str, entry: Mapping[str, Any], chain: list[str]
) -> tuple[list[dict[str, Any]], list[str]]:
    problems: list[str] = []
    values: list[dict[str, Any]] = []
    ids: set[str] = set()
    spoken: dict[str, str] = {}
    for value in entry.get("values") or []:
        value_id = str(value.get("id", ""))
        name = _name_for_locale(value.get("name"), chain)
        if not value_id or value_id in ids:
            problems.append(f"{where}: value id {value_id!r} missing or repeated")
        ids.add(value_id)
        if not name:
            problems.append(f"{where}: value {value_id} has no name for this locale")
            continue
        synonyms = [s for s in _for_locale(value.get("synonyms"), chain) if s != name]
        for phrase in (name, *synonyms):
            if len(phrase) > MAX_VALUE_CHARS:
                problems.append(f"{where}: value {phrase!r} over {MAX_VALUE_CHARS} characters")
            other = spoken.setdefault(phrase.lower(), value_id)
            if other != value_id:
                problems.append(f"{where}: {phrase!r} is said for both {other} and {value_id}")
        body: dict[str, Any] = {"value": name}
        if synonyms:
            body["synonyms"] = synonyms
        values.append({"id": value_id, "name": body})
    return values, problems


def build_alexa(catalogue: Mapping[str, Any], spec: Mapping[str, Any]) -> dict[str, Any]:
    """Alexa's model for one locale: the built-in intents with their own few samples and the
    catch-all answer intents, whose one slot type is seeded with the catalogue's phrasings."""
    language = catalogue["interactionModel"]["languageModel"]
    catch_all = spec["catch_all"]
    builtin_samples = {s for samples in spec["builtins"].values() for s in samples or []}
    intents: list[dict[str, Any]] = [
        {"name": name, "samples": list(samples or [])} for name, samples in spec["builtins"].items()
    ]
    for name, samples in catch_all["intents"].items():
        slots = [{"name": catch_all["slot"], "type": catch_all["slot_type"]}]
        intents.append({"name": name, "slots": slots, "samples": list(samples)})
    seeds = [s for s in _seeds(language, spec) if s not in builtin_samples]
    values = [{"name": {"value": seed}} for seed in seeds[: int(spec["max_seeds"])]]
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": language["invocationName"],
                "modelConfiguration": language.get("modelConfiguration", {}),
                "intents": intents,
                "types": [{"name": catch_all["slot_type"], "values": values}],
            }
        }
    }


def _seeds(language: Mapping[str, Any], spec: Mapping[str, Any]) -> list[str]:
    """Whole phrasings first (samples, each slot filled with its type's first value or the spoken
    example of a built-in type), then every slot value and synonym; deduplicated, in order."""
    first: dict[str, str] = {}
    phrases: list[str] = []
    for slot_type in language.get("types", []):
        for entry in slot_type.get("values", []):
            names = [entry["name"]["value"], *entry["name"].get("synonyms", [])]
            first.setdefault(slot_type["name"], names[0])
            phrases += names
    first.update(spec.get("examples") or {})
    out: dict[str, None] = {}
    for intent in language.get("intents", []):
        example = {slot["name"]: first.get(slot["type"], "") for slot in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            text = _fill(sample, example)
            text = " ".join(text.split())
            if text and len(text) <= MAX_VALUE_CHARS:
                out.setdefault(text, None)
    for phrase in phrases:
        out.setdefault(phrase, None)
    return list(out)


def _fill(sample: str, example: Mapping[str, str]) -> str:
    return _SLOT_REF.sub(lambda ref: example.get(ref[1], ""), sample)


def read_alexa_spec(path: Path = ALEXA_SPEC) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text()) or {}
    problems = [
        f"{path.name}: missing {key}" for key in ("builtins", "catch_all") if key not in data
    ]
    if problems:
        raise ModelSourceError(problems)
    return dict(data)


def build_context(spec: Mapping[str, Any], path: Path = TRIGGERS) -> str:
    """The ConText trigger terms and the catch-all intents (what each carrier's words stand for)
    as JSON: hipcoach.understanding reads them, never the YAML."""
    data = dict(yaml.safe_load(path.read_text()) or {})
    catch_all = spec["catch_all"]
    said_before = catch_all.get("said_before") or {}
    data["catch_all"] = {
        "slot": catch_all["slot"],
        "intents": {name: said_before.get(name, "") for name in catch_all["intents"]},
    }
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def generated(sources: Sources | None = None) -> dict[Path, str]:
    """Every generated file, path -> text: the catalogues, Alexa's models, the trigger terms."""
    catalogues = build_all(sources)
    spec = read_alexa_spec()
    files: dict[Path, str] = {}
    for locale, text in catalogues.items():
        files[CATALOGUE_DIR / f"{locale}.json"] = text
        files[MODEL_DIR / f"{locale}.json"] = render(build_alexa(json.loads(text), spec))
    files[CATALOGUE_DIR / "context.json"] = build_context(spec)
    return files


def stale_files(files: Mapping[Path, str]) -> list[Path]:
    """Generated files whose committed copy differs, and stray JSON files beside them."""
    out = [path for path, text in files.items() if _read(path) != text]
    for folder in {path.parent for path in files}:
        out += sorted(p for p in folder.glob("*.json") if p not in files)
    return out


def render(model: Mapping[str, Any]) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def build_all(sources: Sources | None = None) -> dict[str, str]:
    """{locale: model JSON text} for each locale with an invocation name (content/locales.yaml)."""
    sources = sources or read_sources()
    problems: list[str] = []
    out: dict[str, str] = {}
    for locale, spec in sources.locales.items():
        if not spec.get("invocation"):
            continue
        try:
            out[locale] = render(build(sources, locale))
        except ModelSourceError as exc:
            problems += [f"[{locale}] content/language/{p}" for p in exc.problems]
    if problems:
        raise ModelSourceError(problems)
    return out


def stale(models: Mapping[str, str], model_dir: Path = CATALOGUE_DIR) -> list[str]:
    """The locales whose committed model differs from `models`, and stray committed models."""
    committed = {p.stem for p in model_dir.glob("*.json")}
    out = [loc for loc, text in models.items() if _read(model_dir / f"{loc}.json") != text]
    return out + sorted(committed - set(models))


def _read(path: Path) -> str | None:
    return path.read_text() if path.is_file() else None


def write(files: Mapping[Path, str]) -> Iterable[Path]:
    for path, text in files.items():
        if _read(path) != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            yield path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if a committed model is stale")
    args = parser.parse_args(argv)
    try:
        files = generated()
    except ModelSourceError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    if args.check:
        out_of_date = stale_files(files)
        for path in out_of_date:
            print(f"{path} is stale: run `make model`", file=sys.stderr)
        return 1 if out_of_date else 0
    for path in write(files):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
