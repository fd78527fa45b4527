"""`understand()`: the words Alexa routed, read against the catalogue and the pending question.

Steps, in order (docs/understanding.md):
1. a built-in intent Alexa routed itself (AMAZON.StopIntent, a bare "yes") is that act;
2. the catch-all's words, with the carrier's meaning put back ("no" + "it stays in the groin");
3. a request the skill cannot carry out (reminders, timers) is CannotDo;
4. a correction ("no wait", "actually", "I mean") replaces what came before it;
5. the catalogue matcher (hipcoach.understanding.matcher) reads the words, with every finding's
   polarity and certainty from ConText (hipcoach.understanding.context);
6. misheard words are mended against the catalogue's vocabulary (hipcoach.understanding.fuzzy),
   kept only where the mended words read better than as heard;
7. the pending question's kind of answer first: a score ("like a nine") to a question that takes a
   number, a yes or no with the words after it read together;
8. a question never records a finding nor starts a check: a question no answer in the seeds
   covers is QuestionUnanswerable.
"""

from __future__ import annotations

from collections.abc import Mapping

from hipcoach.understanding import rules
from hipcoach.understanding.acts import (
    CANNOT_DO,
    CANNOT_DO_SLOT,
    FALLBACK_INTENT,
    QUESTION_UNANSWERABLE,
    Context,
    SaidFinding,
    SlotValue,
    Understanding,
    act_of,
)

MAX_WORDS = 40
START_CHECK_INTENT = "StartCheckIntent"  # asking for the check ("can you check my hip") asks for it


def understand(
    words: str, intent: str, slots: Mapping[str, str] | None, context: Context
) -> Understanding:
    """What the runner did. `words` are the catch-all slot's words (empty for a built-in intent
    Alexa routed itself); `intent` the intent Alexa routed to; `slots` its other slot values."""
    del slots  # the catch-all intents carry only the words; built-in intents carry none we read
    catch_all = rules.catch_all_intents()
    if intent not in catch_all:
        return Understanding(act_of(intent), intent, words=words, confidence=1.0)
    # Alexa's slot values stop at 140 characters; a longer one was not spoken to a device, and the
    # matcher's work grows with the square of the words: read at most MAX_WORDS of it
    heard = " ".join(words.split()[:MAX_WORDS])
    said = " ".join(part for part in (catch_all[intent], heard) if part)
    return read(said, context)


def read(said: str, context: Context) -> Understanding:
    """The catalogue's reading of the words, with the rules of the module docstring."""
    from hipcoach.understanding import matcher

    text = said.strip()
    if not text:
        return Understanding(act_of(FALLBACK_INTENT), FALLBACK_INTENT, words=said)
    kind = rules.cannot_do(text)
    if kind is not None:  # the kind travels as a slot: the reply names what was asked for
        request = {CANNOT_DO_SLOT: SlotValue(kind, CANNOT_DO_SLOT, kind)}
        return Understanding(CANNOT_DO, FALLBACK_INTENT, request, words=said, confidence=1.0)
    nlu = matcher.nlu(context.locale)
    corrected, text = rules.after_correction(text, nlu, context.today)
    result = nlu.resolve(text, context.today)
    mended = rules.mend(text, nlu)
    if mended != text:  # misheard words mended only where that reads better than as heard
        again = nlu.resolve(mended, context.today)
        better = again.confidence > result.confidence or len(again.slot_ids()) > len(
            result.slot_ids()
        )
        if again.intent != FALLBACK_INTENT and (result.intent == FALLBACK_INTENT or better):
            text, result = mended, again
    result = rules.expected_first(result, text, nlu, context)
    result = rules.bare_answer(result, text, nlu)
    findings = tuple(
        SaidFinding(f.finding, f.value, f.polarity, f.certainty, f.words)
        for f in nlu.findings_said(text, context.today)
    )
    severity = rules.score(text)
    if severity is not None:
        findings += (SaidFinding("pain_severity", str(severity), words=text),)
    intent = result.intent
    act = act_of(intent)
    anchored = result.sample is not None and result.confidence < nlu.threshold
    asked = rules.is_question(text)
    # only a question is out of scope: a runner's story may name a race or a beer on the way
    if asked and rules.out_of_scope(text):
        return Understanding(QUESTION_UNANSWERABLE, FALLBACK_INTENT, words=said, confidence=1.0)
    unknown = rules.unknown_topic(text, nlu)
    if asked and (
        # "can you check my hip" asks for the check: a request, not a question about something
        (intent in rules.RECORDING_INTENTS and intent != START_CHECK_INTENT)
        or (intent == FALLBACK_INTENT and unknown)
        or (anchored and unknown)
    ):
        # a question never records a finding nor starts a check; one the seeds' answers do not
        # cover is answered honestly
        return Understanding(QUESTION_UNANSWERABLE, FALLBACK_INTENT, words=said, confidence=1.0)
    values = {
        name: SlotValue(fill.value, fill.slot_type, fill.resolved.id if fill.resolved else None)
        for name, fill in result.slots.items()
        if fill is not None
    }
    return Understanding(act, intent, values, findings, corrected, said, result.confidence)
