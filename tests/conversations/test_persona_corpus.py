"""Nine runners nobody described to the skill's authors (tests/corpora/persona_*.yaml), through the
chat console: the questions they ask (issue 13), routine navigation and the next day's resume offer,
and memory across days (runs with dates, the 10% warning, next week's cap, shoes, follow-ups;
issue 14). Scored on what the skill decided (intent, answer id, player command, stored record,
mode), never on English. Printed with `pytest -s`; `python tests/_persona_corpus.py FILE` lists the
misses.

Figures (understood / right / right state), first run of each batch before any fix made for it:
  batch 1 (persona_questions.yaml): questions 58/55/76 of 76, routines 24/24/28 of 28,
    memory 21/21/22 of 22;
  batch 2 (persona_blind.yaml): questions 38/37/55 of 55, routines 17/17/19 of 20, memory 13/12/14;
  batch 3 (persona_blind2.yaml): questions 34/33/45 of 45, routines 14/14/15 of 15, memory 10/10/11;
  batch 4 (persona_blind3.yaml, written after the local NLU's generic fixes): questions 17/17/30
    of 30, routines 9/8/10 of 10, memory 8/7/8 of 8 ("not much better" was heard as better).
After the fixes: 74, 54, 42 and 26 questions right; routines 27/28, 20/20, 15/15, 10/10; memory
22/22, 13/14, 11/11, 8/8. The floors below are those, less a small margin. The held-out figure
that matters is each batch's first run: what the skill makes of words nobody tuned it for.
"""

from __future__ import annotations

import pytest
from _persona_corpus import BLIND, CORPORA, CORPUS, Score, corpus, score_all

from hipcoach.standin.nlu import model_path

FLOORS = {  # the share right (and in the right state) each batch must keep, per area
    CORPUS: {"questions": 0.95, "routines": 0.95, "memory": 0.95},
    BLIND: {"questions": 0.95, "routines": 0.95, "memory": 0.9},
    CORPORA / "persona_blind2.yaml": {"questions": 0.9, "routines": 0.9, "memory": 0.9},
    # memory 7/8: "it's getting better slowly" reaches the findings catalogue's not-getting-worse
    # group, which a follow-up reads as the same (the safe reading: booking advice is kept)
    CORPORA / "persona_blind3.yaml": {"questions": 0.85, "routines": 0.9, "memory": 0.85},
}


def _said(path) -> list[str]:
    data = corpus(path)
    said = [item["say"] for item in data["questions"] + data["routines"]]
    for item in data["memory"]:
        said += [item["say"]] if "say" in item else [turn["say"] for turn in item["turns"]]
    return said


# Everyday phrases the model already had before the corpus was written (main at that time): a
# runner says "pause" or "start over" as the model's author did. No other corpus sentence may be a
# sample: one copied into the model would prove nothing.
ALREADY_SAMPLES = {
    *("tonight", "should i go to a and e", "is it ok to take nurofen", "do i need new trainers"),
    *("give us a minute", "pause", "resume", "move on to the next one", "next exercise"),
    *("can you say that again", "skip this", "can we start again", "i'm done", "continue"),
    *(
        "that's enough for today",
        "yes please",
        "how worn out are my shoes",
        "i've got new trainers",
    ),
    *("what should i do tonight", "do i need to see a doctor", "when will it stop hurting"),
    *("how long does it take to heal", "next", "what was that", "skip that one", "start over"),
    *("how many exercises are left", "skip", "stop", "yes", "can i skip this", "enough"),
    "go on then",
}


def test_the_corpus_sentences_are_not_sample_utterances() -> None:
    import json

    samples: set[str] = set()
    for locale in ("en-US", "en-GB"):
        model = json.loads(model_path(locale).read_text(encoding="utf-8"))
        for intent in model["interactionModel"]["languageModel"]["intents"]:
            samples.update(intent.get("samples", []))
    copied = {text for path in FLOORS for text in _said(path) if text in samples}
    assert copied <= ALREADY_SAMPLES, copied - ALREADY_SAMPLES


@pytest.mark.parametrize("path", list(FLOORS), ids=lambda p: p.stem)
def test_runners_in_their_own_words_are_understood(path) -> None:
    scores: list[Score] = score_all(path)
    for area in scores:
        print(f"{path.stem} {area.line()}")
        for miss in area.misses:
            print("   miss", miss[:200])
    for area in scores:
        floor = FLOORS[path][area.area]
        assert area.total >= 8
        assert area.right >= floor * area.total, (area.line(), area.misses)
        assert area.state >= floor * area.total, (area.line(), area.misses)
        assert area.understood >= area.right
