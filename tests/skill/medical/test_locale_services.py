"""Each listed locale (content/locales.yaml) names its own services: no NHS 111 or A and E said
where they do not exist (issue 22)."""

from __future__ import annotations

import pytest

from hipcoach.medical.knowledge import knowledge
from hipcoach.speech.answers import catalogue
from hipcoach.speech.locales import fallbacks, pick, policies
from hipcoach.speech.texts import load_catalogue

LOCALES = sorted(policies().by_locale)
# Which services a phrase names, and the locales where it exists.
SERVICES = {"NHS": {"en-GB"}, "111": {"en-GB"}, "A and E": {"en-GB", "en-IE"}}


def _said_in(locale: str) -> list[str]:
    """Every text the locale would say: speech, level actions, answers."""
    entries = load_catalogue()
    said = []
    for value in entries.values():
        if isinstance(value, str):
            said.append(value)
        elif isinstance(value, dict):
            for candidate in fallbacks(locale):
                if candidate in value:
                    said.append(str(value[candidate]))
                    break
    kb = knowledge()
    said += [pick(level.action, locale) for level in kb.levels.values()]
    said += [text for a in catalogue().answers.values() if (text := a.text_for(locale))]
    return said


@pytest.mark.parametrize("locale", LOCALES)
def test_no_other_countrys_services(locale):
    for text in _said_in(locale):
        for phrase, where in SERVICES.items():
            if phrase in text and "{" not in phrase:
                assert locale in where, (locale, phrase, text)


@pytest.mark.parametrize("locale", LOCALES)
def test_medicine_answers_say_if_you_can_take_it_safely(locale):
    text = catalogue().answers["medication"].text_for(locale) or ""
    assert "If you can take it safely, follow the label or ask a pharmacist" in text
    assert ("Paracetamol" in text) or ("Acetaminophen" in text)


MEDICINES = ("ibuprofen", "paracetamol", "acetaminophen", "tylenol", "naproxen", "anti-inflammator")


@pytest.mark.parametrize("locale", LOCALES)
def test_every_medicine_text_says_if_you_can_take_it_safely(locale):
    """A text that recommends a medicine says to take it only if safe, as the label says."""
    said = [*_said_in(locale), knowledge().advice["medication"]["text"]]
    for text in said:
        if any(name in text.lower() for name in MEDICINES):
            assert "If you can take it safely, follow the label or ask a pharmacist" in text, text
