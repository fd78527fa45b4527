"""Spoken and printed text, loaded from content/speech/*.yaml, per locale.

Each file maps a key to either one string (every locale) or a mapping of locale to string;
en-GB (and any other English locale) falls back to en-US. Keys are namespaced by file name:
`content/speech/interview.yaml` key `welcome` is `interview.welcome`.
Placeholders use `{name}`; values are inserted as plain text and escaped when rendered to SSML.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from hipcoach_content import CONTENT_DIR

DEFAULT_LOCALE = "en-US"
SUPPORTED_LOCALES = ("en-US", "en-GB")
# libyaml's safe loader when PyYAML has it (parses the same documents, faster).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class MissingText(KeyError):
    """A text key that no content file defines."""


def normalise_locale(locale: str | None) -> str:
    """Map any locale to the nearest one the skill has text for."""
    if locale in SUPPORTED_LOCALES:
        return locale
    if locale and locale.lower().replace("_", "-") in ("en-gb", "en-ie", "en-au", "en-in"):
        return "en-GB"
    return DEFAULT_LOCALE


@cache
def _catalogue(speech_dir: Path = CONTENT_DIR / "speech") -> Mapping[str, Any]:
    entries: dict[str, Any] = {}
    for path in sorted(speech_dir.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
        for key, value in data.items():
            entries[f"{path.stem}.{key}"] = value
    return entries


class Texts:
    """The text catalogue for one locale."""

    def __init__(self, locale: str | None = None) -> None:
        self.locale = normalise_locale(locale)
        self._entries = _catalogue()

    def has(self, key: str) -> bool:
        return key in self._entries

    def get(self, key: str, **params: object) -> str:
        """The text for `key` in this locale, with `{placeholders}` filled in."""
        try:
            entry = self._entries[key]
        except KeyError:
            raise MissingText(key) from None
        if isinstance(entry, Mapping):
            entry = entry.get(self.locale, entry.get(DEFAULT_LOCALE))
        if isinstance(entry, list):
            entry = " ".join(entry)
        return str(entry).format(**params) if params else str(entry)
