"""The medical disclaimer a first launch says: ``disclaimer.text`` of content/triage_levels.yaml,
as the knowledge base validates it (``knowledge().disclaimer``).

A first launch needs nothing else from the knowledge base. With the build's content cache
(``hipcoach.content_cache``) this reads one small validated pickle, keyed by the files and the
validating code (``knowledge.py``) it depends on, instead of importing and loading the whole
knowledge base; without it (or when stale) it is the knowledge base's own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache

from hipcoach import content_cache
from hipcoach.content_location import CONTENT_ROOT
from hipcoach.speech import said
from hipcoach.speech.locales import pick, policy

KEY = "triage_levels.disclaimer"  # its name in a recording of what was said (hipcoach.speech.said)


def _cache_inputs() -> tuple[str, str, list[str], list[str]]:
    # strings, not Paths: a first launch need not import pathlib
    files = [os.path.join(CONTENT_ROOT, name) for name in ("triage_levels.yaml", "sources.yaml")]
    knowledge = os.path.join(os.path.dirname(__file__), "knowledge.py")
    return "disclaimer", CONTENT_ROOT, files, [__file__, knowledge]


def _from_knowledge() -> dict[str, str]:
    # Only without a fresh cache: a first launch must not load the whole knowledge base.
    from hipcoach.medical.knowledge import knowledge

    return dict(knowledge().disclaimer)


def cache_spec() -> tuple[str, str, list[str], list[str], dict[str, str]]:
    """What `hipcoach.tools.build_content_cache` pickles: the inputs and the validated value."""
    return (*_cache_inputs(), _from_knowledge())


@cache
def disclaimers() -> Mapping[str, str]:
    """The disclaimer by locale."""
    return content_cache.cached(*_cache_inputs(), dict, _from_knowledge)


def disclaimer(locale: str) -> str:
    """The disclaimer in `locale`, with its emergency number (content/locales.yaml)."""

    said.note(KEY)
    return pick(disclaimers(), locale).format(emergency_number=policy(locale).emergency_number)
