"""Spoken and printed text, loaded from content/speech/*.yaml, per locale.

Each file maps a key to either one string (every locale) or a mapping of locale to string;
a locale falls back along its `inherits` chain to the default (content/locales.yaml).
Keys are namespaced by file name:
`content/speech/interview.yaml` key `welcome` is `interview.welcome`.
Placeholders use `{name}`; values are inserted as plain text and escaped when rendered to SSML.
The catalogue can come from the validated pickle the Lambda build ships (`hipcoach.content_cache`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from hipcoach import content_cache
from hipcoach.content_location import CONTENT_ROOT
from hipcoach.speech import said
from hipcoach.speech.locales import fallbacks, policy

if TYPE_CHECKING:
    from pathlib import Path

SPEECH_DIR = os.path.join(CONTENT_ROOT, "speech")  # a string: no pathlib on a cold start


class MissingText(KeyError):
    """A text key that no content file defines."""


def normalise_locale(locale: str | None) -> str:
    """The locale of the policy (content/locales.yaml) that speaks for `locale`."""
    return policy(locale).locale


def load_catalogue(speech_dir: str | Path = SPEECH_DIR) -> dict[str, Any]:
    """Every text of `speech_dir`/*.yaml by namespaced key (uncached)."""
    from pathlib import Path

    import yaml  # only when content is parsed: a cached catalogue needs no YAML

    # libyaml's safe loader when PyYAML has it (parses the same documents, faster).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    entries: dict[str, Any] = {}
    for path in sorted(Path(speech_dir).glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        for key, value in data.items():
            entries[f"{path.stem}.{key}"] = value
    return entries


def _cache_inputs() -> tuple[str, str, list[str], list[str]]:
    files = [os.path.join(SPEECH_DIR, n) for n in os.listdir(SPEECH_DIR) if n.endswith(".yaml")]
    return "texts", SPEECH_DIR, sorted(files), [__file__]


def cache_spec() -> tuple[str, str, list[str], list[str], dict[str, Any]]:
    """What `hipcoach.tools.build_content_cache` pickles: the inputs and the validated value."""
    return (*_cache_inputs(), load_catalogue())


@cache
def _catalogue(speech_dir: str | Path = SPEECH_DIR) -> Mapping[str, Any]:
    if speech_dir != SPEECH_DIR:
        return load_catalogue(speech_dir)
    return content_cache.cached(*_cache_inputs(), dict, load_catalogue)


class Texts:
    """The text catalogue for one locale."""

    def __init__(self, locale: str | None = None) -> None:
        self.locale = normalise_locale(locale)
        self._fallbacks = fallbacks(self.locale)
        self._entries = _catalogue()

    def has(self, key: str) -> bool:
        return key in self._entries

    def get(self, key: str, **params: object) -> str:
        """The text for `key` in this locale, with `{placeholders}` filled in."""
        try:
            entry = self._entries[key]
        except KeyError:
            raise MissingText(key) from None
        said.note(key)  # kept only while the chat console or a test records a turn
        if isinstance(entry, Mapping):
            entry = next((entry[name] for name in self._fallbacks if name in entry), None)
        if isinstance(entry, list):
            entry = " ".join(entry)
        return str(entry).format(**params) if params else str(entry)
