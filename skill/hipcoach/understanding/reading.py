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
from dataclasses import replace
from typing import TYPE_CHECKING

from hipcoach.understanding import rules
from hipcoach.understanding.acts import (
    CANNOT_DO,
    CANNOT_DO_SLOT,
    FALLBACK_INTENT,
    QUESTION_UNANSWERABLE,
    STRETCH_FELT,
    THANKED,
    Context,
    SaidFinding,
    SlotValue,
    Understanding,
    act_of,
)

if TYPE_CHECKING:
    from hipcoach.intent_result import NluResult
    from hipcoach.understanding.matcher import Nlu, Said

MAX_WORDS = 40
PAIN_DAYS = "pain_days"
MILEAGE_RISE = "mileage_increase_pct"
IDLE = "idle"  # the dialog mode at the menu (hipcoach.dialog.state.Mode.IDLE's value)
_YES_NO = ("AMAZON.YesIntent", "AMAZON.NoIntent")
TELL_FINDINGS_INTENT = "TellFindingsIntent"
START_CHECK_INTENT = "StartCheckIntent"  # asking for the check ("can you check my hip") asks for it
# What an opening about the pain is read as when a number or a date in it outweighs the rest
_OPENING_MISREADS = ("DurationIntent", "NumberIntent", FALLBACK_INTENT)
_AMOUNT_MISREADS = _OPENING_MISREADS[:2]  # a date or number outweighing the findings said with it
_START_CHECK_SLOTS = ("since", "duration")  # StartCheckIntent's slots, DurationIntent's too
PAUSE_INTENT = "AMAZON.PauseIntent"  # "hang on", "wait": a routine's hold, else only a breath
ROUTINE = "routine"  # the dialog mode while a routine plays (Mode.ROUTINE's value)
_UNABLE = "UnableIntent"  # "no, I can't" to a question put negatively ("are you unable to...")
PROGRESS_INTENT = "ProgressIntent"  # how the hip is since the last check (a follow-up's answer)
STOP_INTENT = "AMAZON.StopIntent"
# What stop words may already be read as, kept: a no declines what was offered ("no, leave it"),
# "that'll do for today" is the routine's finish for today
_ENDS_ALREADY = (STOP_INTENT, "AMAZON.CancelIntent", "AMAZON.NoIntent", "FinishForTodayIntent")
TELL_FINDINGS_INTENT = "TellFindingsIntent"  # findings told (pain said during a routine)
PROGRESS_SLOT = "progress"  # its slot (content/language/memory.yaml)


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
    """The catalogue's reading of the words, with the rules of the module docstring; a question
    asked after an answer in the same breath is read apart and kept (`Understanding.then`)."""
    text = said.strip()
    asked_after_hold = rules.after_hold(text) if text and context.mode != ROUTINE else None
    if asked_after_hold is not None:
        # "hold on, does running give you arthritis": outside a routine (where it is the
        # player's pause) a question, never a moment asked for
        return replace(read(asked_after_hold, context), words=said)
    whole = replace(_read(text, context), words=said)
    split = rules.question_after(text) if text else None
    first = _read(split[0], context) if split is not None else None
    paused = first is not None and first.intent == PAUSE_INTENT
    if split is not None and paused and context.mode != ROUTINE:
        # "hang on, should I be ringing 999?": outside a routine the hold is only a breath
        return replace(_read(split[1], context), words=said)
    if (
        split is not None
        and first is not None
        and (
            # "my hip flexors are super tight, what do I do": one question, its context first
            whole.intent in rules.RECORDING_INTENTS
            or whole.intent in (FALLBACK_INTENT, *_YES_NO)
            or whole.act == QUESTION_UNANSWERABLE
            # "it's a bit better, can I run?": how the hip is since the last check is news for
            # the runner's history, never the context of the question
            or first.intent == PROGRESS_INTENT
            # the pending question's answer, then a question ("sharp. can I take ibuprofen?")
            or (first.intent in context.expects and first.intent not in _YES_NO)
        )
    ):
        question = split[1]
        if first.intent != FALLBACK_INTENT or first.findings:
            then = _read(question, replace(context, asking=None, expects=()))
            if not then.understood:  # a question all the same: answered honestly, never dropped
                then = Understanding(QUESTION_UNANSWERABLE, FALLBACK_INTENT, words=question)
            if then.intent not in rules.RECORDING_INTENTS:
                return replace(first, words=said, then=then)
    return whole


def _read(said: str, context: Context) -> Understanding:
    from hipcoach.understanding import matcher

    text = said.strip()
    if not text:
        return Understanding(act_of(FALLBACK_INTENT), FALLBACK_INTENT, words=said)
    if rules.closing(text) or _thanks_and_nothing_more(text, context):
        # "okay, thanks", "cheers, you're a star": the runner is done, no yes and no request
        return Understanding(THANKED, FALLBACK_INTENT, words=said, confidence=1.0)
    nlu = matcher.nlu(context.locale)
    kind = rules.cannot_do(text)
    if kind is not None and not _affirms_a_finding(text, nlu, context):
        # the kind travels as a slot: the reply names what was asked for. Said with a finding
        # ("can you look at it, it's all swollen and I've got a fever") the finding comes first:
        # a warning sign is acted on the turn it is said
        request = {CANNOT_DO_SLOT: SlotValue(kind, CANNOT_DO_SLOT, kind)}
        return Understanding(CANNOT_DO, FALLBACK_INTENT, request, words=said, confidence=1.0)
    echoed = rules.unable_echo(text)
    if echoed is not None and echoed[1]:
        # "no, I can't, I literally have to hop": the inability said back, then how; the rest
        # read alone (outside the echo's "not"), or the echo's own meaning when it names nothing
        rest = _read(echoed[1], context)
        if rest.findings and _UNABLE not in context.expects:
            return replace(rest, words=said)
        # to a question put negatively the inability answers ("no, I can't, it's agony"), and
        # what the rest names is kept beside it
        echo = _read(echoed[0], context)
        return replace(echo, findings=echo.findings + rest.findings, words=said)
    bare = rules.without_preface(text)  # "sorry, quick one, how much should I up my mileage by"
    if bare != text and nlu.resolve(text, context.today).intent == FALLBACK_INTENT:
        text = bare  # only where the words read as nothing with it ("sorry what" asks again)
    # "is an easy three miler ok": a run, never a score (a run logged at the menu keeps its size)
    asked_of_a_run = rules.is_question(text) or rules.question_after(text) is not None
    sized = rules.run_sizes(text, asked=asked_of_a_run)
    if sized is not None and asked_of_a_run and context.asking is None:
        heard = nlu.resolve(text, context.today).intent
        records = rules.RECORDING_INTENTS | rules.MEMORY_RECORDS
        if heard in records and nlu.question_topic(text, context.today) is not None:
            sized = None  # the question names its topic as said ("is it ok to do a 5k on saturday")
    if sized is not None and (context.asking is not None or asked_of_a_run):
        text = sized
    weak = None if asked_of_a_run else rules.weakness_said(text)
    text = weak if weak is not None else text  # "my left glute is weaker": no place it hurts
    whole = text
    # an amount taken back and said again is the later one ("five hundred, no, six hundred")
    text = rules.hundreds_said(text, context.asking) or text  # "three fifty" miles
    said_again = rules.amended(text, nlu, context.today) or text
    # a percent rise asked: the percent said, or the rise said as two amounts ("from 20 to 30")
    said_again = rules.percent_rise(said_again, context.asking, nlu, context.today) or said_again
    corrected, text = rules.after_correction(said_again, nlu, context.today)
    parts = rules.correction(said_again)
    result = nlu.resolve(text, context.today)
    mended = rules.mend(text, nlu)
    if mended != text:  # misheard words mended only where that reads better than as heard
        again = nlu.resolve(mended, context.today)
        better = again.confidence > result.confidence or len(again.slot_ids()) > len(
            result.slot_ids()
        )
        if again.intent != FALLBACK_INTENT and (result.intent == FALLBACK_INTENT or better):
            text, result = mended, again
    if PROGRESS_INTENT in context.expects and result.intent != PROGRESS_INTENT:
        # "is it any better?" - "the swelling has gone down": better, never the swelling cleared
        eased = rules.improvement(text, nlu, context.today, PROGRESS_INTENT)
        result = eased if eased is not None else result
    progress: SlotValue | None = None  # a progress word said beside the news (kept as a slot)
    if PROGRESS_INTENT in context.expects and _tells_more_than_progress(text, nlu, context):
        progress = _progress_beside(text, nlu, context)
        # "is it any better?" answered with news ("I saw a physio", "the sharp pain's gone",
        # "worse, it wakes me at night"): the findings reading stands, not a bare progress word
        context = replace(
            context, expects=tuple(e for e in context.expects if e != PROGRESS_INTENT)
        )
    result = rules.expected_first(result, text, nlu, context)
    result = rules.bare_answer(result, text, nlu)
    result = _answer_first(result, text, nlu, context)
    findings = _combined(_findings(text, parts, nlu, context))
    result = _without_others(result, text, nlu, context)
    result, findings = _undated(result, text, findings, nlu, context)
    result, findings = _combined_slot(result, text, findings, nlu, context)
    result, findings = _in_this_mode(result, findings, context)
    if context.mode == ROUTINE and rules.hurts_now(text):
        # pain said while a routine plays stops it, whatever else the words read as ("ooh that
        # one really hurts" is no hold for one minute, "ow this hurts my hip" no question)
        result, findings = _pain_now(text, findings, nlu)
    elif context.mode == ROUTINE and _only_stretch(findings) and rules.stretch_felt(text):
        # "it's a good stretch", "ooh that's tight": the feel the routine asks for, no finding
        return Understanding(STRETCH_FELT, FALLBACK_INTENT, words=said, confidence=1.0)
    elif not findings and result.intent not in _ENDS_ALREADY and rules.stops(text):
        # "right, that'll do, stop": a stop in every mode, never a story that starts a check nor
        # a yes ("right")
        result = replace(nlu.fallback(text), intent=STOP_INTENT, confidence=1.0)
    result = _yes_no_first(result, text, findings, nlu, context)
    if parts is not None and not corrected:
        in_kind = _corrected_in_kind(parts, nlu, context)
        if in_kind is not None:
            corrected, result = True, in_kind
        elif any(f.finding for f in _said(parts[1], nlu, context)):
            # the words after "no wait" name findings but read as nothing alone: they replace
            # what they name, the rest stands
            corrected = True
            result = replace(
                nlu.fallback(text), intent=TELL_FINDINGS_INTENT, slots={}, confidence=0.5
            )
    if context.mode == IDLE and result.intent in _YES_NO:
        # at the menu a yes or no followed by findings is their story, never a bare no or stop
        # ("no, it's more at the front where my leg meets my hip")
        result = _story(result, text, bool(findings), nlu, context)
    if (
        context.mode == IDLE
        and result.intent in _OPENING_MISREADS
        and not findings  # findings said open the check with them (the policy's volunteered)
        and (rules.tells_of_pain(text) or rules.only_greeting(text))
    ):
        # at the menu, words about the hip hurting ask for a check whatever else they hold ("my
        # hip's killing me since saturday's long run", "sore after leg day and a ten miler"); a
        # bare "hello" to "shall we check your hip?" is taken as the runner's way in
        result = _opening(result)
    if context.mode == IDLE and result.intent in _AMOUNT_MISREADS and findings:
        # "I tripped on a curb during my run two weeks ago": at the menu, findings said with a
        # date or an amount are the runner's story, the date no answer to any question
        result = replace(result, intent="TellFindingsIntent", slots={})
    if context.mode == IDLE and result.intent in rules.MEMORY_RECORDS and rules.says_pain(text):
        # "groin pain. bad. ran fifty miles last week, I normally do thirty": the pain is the
        # story, the miles are part of it; a check with what it names, never a training-log entry
        if findings:
            result = replace(result, intent="TellFindingsIntent", slots={})
        else:
            result = _opening(result)
    if (
        context.mode == IDLE
        and findings
        and result.intent in (*_OPENING_MISREADS, START_CHECK_INTENT)
        and result.intent != FALLBACK_INTENT
    ):
        # at the menu, findings said with a number or a date ("my groin aches and I upped my
        # miles by forty percent") or with words asking for the check are the runner's story:
        # the check opens with all of them, none lost to the number or the request
        result = replace(nlu.fallback(text), intent=TELL_FINDINGS_INTENT, slots={}, confidence=0.5)
    if result.intent in _HOLD_MISREADS and not findings and _holds(text, nlu, context):
        # "sorry my dog is barking, one sec": a moment asked for, with why; the question waits
        result = replace(nlu.fallback(text), intent=PAUSE_INTENT, confidence=0.5)
    if corrected and result.intent in context.expects and result.intent not in _YES_NO:
        # taken back and said again in the pending question's own kind ("two weeks, wait, no,
        # three weeks"): the answer, with only the later value
        corrected = False
    intent = result.intent
    act = act_of(intent)
    anchored = result.sample is not None and result.confidence < nlu.threshold
    asked = rules.is_question(text)
    # only a question is out of scope: a runner's story may name a race or a beer on the way
    if asked and rules.out_of_scope(text):
        return Understanding(QUESTION_UNANSWERABLE, FALLBACK_INTENT, words=said, confidence=1.0)
    if asked and (
        intent in rules.RECORDING_INTENTS
        or intent in rules.MEMORY_RECORDS
        or intent == PROGRESS_INTENT
    ):
        # "would a new pair of trainers help?" asks about the shoes, it records no new pair;
        # "an easy 5k today is fine, isn't it?" asks about running, it tells no progress
        topic = nlu.question_topic(text, context.today)
        if topic is not None and intent != START_CHECK_INTENT:
            result, intent = topic, topic.intent
            act, anchored = act_of(intent), True
    if asked and intent in (FALLBACK_INTENT, START_CHECK_INTENT):
        # "is my hip pain something serious" asks what "is it serious" asks, and "is paracetamol
        # alright for hip pain" asks about the medicine: the hip named as the question's subject
        about = _about_it(text, nlu, context)
        if about is not None:
            result, intent = about, about.intent
            act = act_of(intent)
            anchored = about.sample is not None and about.confidence < nlu.threshold
    unknown = rules.unknown_topic(text, nlu)
    if asked and (
        # "can you check my hip" asks for the check: a request, not a question about something
        (intent in rules.RECORDING_INTENTS and intent != START_CHECK_INTENT)
        or (intent == FALLBACK_INTENT and (unknown or not findings))
        or (anchored and unknown)
    ):
        # a question never records a finding nor starts a check; one the seeds' answers do not
        # cover is answered honestly. What it told outright stays beside it ("can you look at
        # it, it's all swollen and I've got a fever"): the policy acts on a warning sign in it
        told = tuple(f for f in findings if f.polarity == "affirmed" and f.certainty == "certain")
        return Understanding(
            QUESTION_UNANSWERABLE, FALLBACK_INTENT, findings=told, words=said, confidence=1.0
        )
    values = {
        name: SlotValue(fill.value, fill.slot_type, fill.resolved.id if fill.resolved else None)
        for name, fill in result.slots.items()
        if fill is not None
    }
    if progress is not None and intent in rules.RECORDING_INTENTS and PROGRESS_SLOT not in values:
        # "a lot worse, it hurts going up stairs now": the news reads as findings, and how the
        # hip is since the last check, said with it, is the follow-up's answer all the same
        values[PROGRESS_SLOT] = progress
    return Understanding(
        act,
        intent,
        values,
        findings if not asked else (),
        corrected,
        said,
        result.confidence,
        denies_all=rules.denies_all(whole),
    )


def _affirms_a_finding(text: str, nlu: Nlu, context: Context) -> bool:
    """Whether the words affirm a finding outright (not asked about, negated or hedged)."""
    return any(
        f.polarity == "affirmed" and f.certainty == "certain"
        for f in nlu.findings_said(text, context.today)
    )


def _thanks_and_nothing_more(text: str, context: Context) -> bool:
    """Thanks said first and then words that ask, tell and answer nothing ("cheers, you're a
    star"): a closing, whatever the words of praise."""
    from hipcoach.understanding import matcher

    rest = rules.after_thanks(text)
    if not rest or rules.is_question(rest) or rules.tells_of_pain(rest):
        return False
    nlu = matcher.nlu(context.locale)
    return nlu.resolve(rest, context.today).intent == FALLBACK_INTENT and not nlu.findings_said(
        rest, context.today
    )


def _about_it(text: str, nlu: Nlu, context: Context) -> NluResult | None:
    """The question read with the hip it names as its subject said as "it", when that reads as
    a question the answers cover (no record, no check); None otherwise."""
    subject = rules.subject_as_it(text)
    if subject is None:
        return None
    again = nlu.resolve(subject, context.today)
    if again.intent in (FALLBACK_INTENT, *rules.RECORDING_INTENTS, *rules.MEMORY_RECORDS):
        return None
    return again


def _only_stretch(findings: tuple[SaidFinding, ...]) -> bool:
    """Whether every finding read is one the feel of a stretch reads as (content
    `stretch_felt_findings`: "tight" is stiffness); a warning sign said with it is told."""
    from hipcoach.understanding.context import raw

    allowed = set(raw().get("stretch_felt_findings") or ())
    return all(f"{f.finding}={f.value}" in allowed for f in findings if f.polarity == "affirmed")


def _pain_now(
    text: str, findings: tuple[SaidFinding, ...], nlu: Nlu
) -> tuple[NluResult, tuple[SaidFinding, ...]]:
    """Pain told now, as findings (content `pain_now_finding` with what else the words name)."""
    from hipcoach.understanding.context import raw

    finding = str(raw()["pain_now_finding"])
    if not any(f.finding == finding and f.polarity == "affirmed" for f in findings):
        findings = (*findings, SaidFinding(finding, "true", words=text))
    told = replace(nlu.fallback(text), intent=TELL_FINDINGS_INTENT, slots={}, confidence=1.0)
    return told, findings


# What words asking for a moment with why are read as when the why outweighs it ("one sec" is
# also a duration)
_HOLD_MISREADS = (FALLBACK_INTENT, "DurationIntent", "NumberIntent")


def _holds(text: str, nlu: Nlu, context: Context) -> bool:
    """Whether the words ask for a moment and say nothing else the catalogue reads."""
    rest = rules.without_hold(text)
    if rest is None:
        return False
    return not rest or nlu.resolve(rest, context.today).intent == FALLBACK_INTENT


def _in_this_mode(
    result: NluResult, findings: tuple[SaidFinding, ...], context: Context
) -> tuple[NluResult, tuple[SaidFinding, ...]]:
    """Without the findings that mean something only in another mode (`said_only_in`: "ouch,
    that's tender" in the interview is no routine's pain)."""
    from hipcoach.understanding.context import raw

    elsewhere = {
        finding
        for mode, names in (raw().get("said_only_in") or {}).items()
        if mode != context.mode
        for finding in names
    }
    if not elsewhere:
        return result, findings
    kept = tuple(f for f in findings if f.finding not in elsewhere)
    slots = {
        name: fill
        for name, fill in result.slots.items()
        if fill is None
        or fill.resolved is None
        or fill.resolved.id.split("=", 1)[0] not in elsewhere
    }
    if len(slots) == len(result.slots):
        return result, kept
    return replace(result, slots=slots), kept


# What a progress word itself says as a finding ("a bit better" is also "not getting worse").
_PROGRESS_FINDINGS = frozenset({"worsening"})


def _progress_beside(text: str, nlu: Nlu, context: Context) -> SlotValue | None:
    """The one progress word said before any finding ("a lot worse it hurts going up stairs now",
    "better and I saw the physio"), or None: one said after the news may be someone else's ("saw
    my GP this morning she thinks it's fine"). Spoken words carry no commas: position decides."""
    from hipcoach.understanding.words import tokens

    slot_type = nlu.model.intent_slots.get(PROGRESS_INTENT, {}).get(PROGRESS_SLOT)
    if slot_type is None:
        return None
    words = tokens(text)
    fills = nlu.values_of(slot_type, words, context.today, in_context=True)
    ids = {fill.resolved.id for fill in fills if fill.resolved is not None}
    said_at = nlu.first_value_at(slot_type, words, context.today)
    news_at = min((f.start for f in nlu.findings_said(text, context.today)), default=len(words))
    if len(ids) != 1 or said_at is None or said_at >= news_at:
        return None
    fill = next(f for f in fills if f.resolved is not None)
    return SlotValue(fill.value, fill.slot_type, next(iter(ids)))


def _tells_more_than_progress(text: str, nlu: Nlu, context: Context) -> bool:
    """Whether the words name a finding beyond what a progress word says."""
    return any(f.finding not in _PROGRESS_FINDINGS for f in nlu.findings_said(text, context.today))


def _said(text: str, nlu: Nlu, context: Context) -> tuple[SaidFinding, ...]:
    spotted = nlu.findings_said(text, context.today)
    found = tuple(
        SaidFinding(f.finding, f.value, f.polarity, f.certainty, f.words)
        for f in spotted
        if not _of_another(f, spotted)
    )
    if context.asking is not None:  # mid-check, every value said is kept ("it's at the front")
        found += _story_values(text, spotted, nlu, context)
    severity = rules.score(text)
    if severity is not None:
        found += (SaidFinding("pain_severity", str(severity), words=text),)
    passing = rules.rise_in_passing(text, nlu, context.today)
    if (
        passing is not None
        and passing[0] != context.asking
        and all(f.finding != passing[0] for f in found)
    ):
        # "and I upped my miles by forty percent", said in an opening or to another question
        found += (SaidFinding(passing[0], str(passing[1]), words=text),)
    if context.asking is not None or rules.says_pain(text):
        # "ran fifty last week, I normally do thirty": the rise, in a check or an opening about pain
        rise = rules.usual_rise(text, nlu, context.today)
        if rise is not None and all(f.finding != MILEAGE_RISE for f in found):
            found += (SaidFinding(MILEAGE_RISE, str(rise), words=text),)
    # a duration alone names nothing about the hip, unless said of the pain ("it's been hurting")
    if found or context.asking == PAIN_DAYS or (context.asking and rules.about_the_pain(text)):
        days = rules.how_long(text, nlu, context.today)
        if days is not None and days > 0 and all(f.finding != PAIN_DAYS for f in found):
            found += (SaidFinding(PAIN_DAYS, str(days), words=text),)
    return found


def _story_values(
    text: str, spotted: list[Said], nlu: Nlu, context: Context
) -> tuple[SaidFinding, ...]:
    """The one-finding values (where, when, what kind) said in words the catalogue's findings
    do not cover ("no, none of those, it's a sharp pain at the front though": the front), one
    value per finding, never one said two ways."""
    from hipcoach.understanding.context import raw
    from hipcoach.understanding.words import tokens

    words = tokens(text)
    covered = {i for f in spotted for i in range(f.start, f.end)}
    named = {f.finding for f in spotted}
    found: dict[str, set[str]] = {}
    for intent in raw().get("story_intents") or []:
        for slot_type in nlu.model.intent_slots.get(intent, {}).values():
            for start, end, value_id in nlu.story_values(slot_type, words, context.today):
                finding, value = value_id.split("=", 1)
                if finding not in named and not covered.intersection(range(start, end)):
                    found.setdefault(finding, set()).add(value)
    return tuple(
        SaidFinding(finding, next(iter(values)), words=text)
        for finding, values in found.items()
        if len(values) == 1
    )


def _of_another(said: Said, spotted: list[Said]) -> bool:
    """A pain attribute (when, where to) said right after a yes/no finding is that finding's:
    "pins and needles down the leg" tells where the tingling goes, not the pain."""
    from hipcoach.understanding.context import raw

    if said.finding not in (raw().get("pain_attributes") or []):
        return False
    return any(
        other.value in ("true", "false") and other.end <= said.start <= other.end + 1
        for other in spotted
    )


def _without_others(result: NluResult, text: str, nlu: Nlu, context: Context) -> NluResult:
    """The catch-all's slots without a pain attribute said of another finding (`_of_another`)."""
    spotted = nlu.findings_said(text, context.today)
    others = {f"{f.finding}={f.value}" for f in spotted if _of_another(f, spotted)}
    if not others:
        return result
    kept = [
        fill
        for fill in result.slots.values()
        if fill is not None and (fill.resolved is None or fill.resolved.id not in others)
    ]
    if len(kept) == sum(fill is not None for fill in result.slots.values()):
        return result
    names = list(result.slots)
    return replace(
        result, slots={name: (kept[i] if i < len(kept) else None) for i, name in enumerate(names)}
    )


def _undated(
    result: NluResult,
    text: str,
    findings: tuple[SaidFinding, ...],
    nlu: Nlu,
    context: Context,
) -> tuple[NluResult, tuple[SaidFinding, ...]]:
    """Without the when-it-hurts values said as the moment something happened (`rules.dated`:
    "killing me after my long run yesterday"): when the pain started is no pattern of it; the
    question that asks the pattern reads them as said."""
    spotted = nlu.findings_said(text, context.today)
    ids = rules.dated(spotted, text, nlu, context.today)
    ids = {i for i in ids if i.split("=", 1)[0] != context.asking}
    if not ids:
        return result, findings
    kept = tuple(f for f in findings if f"{f.finding}={f.value}" not in ids)
    slots = {
        name: (None if fill is not None and fill.resolved and fill.resolved.id in ids else fill)
        for name, fill in result.slots.items()
    }
    return replace(result, slots=slots), kept


def _findings(
    text: str, parts: tuple[str, str] | None, nlu: Nlu, context: Context
) -> tuple[SaidFinding, ...]:
    """Every finding said; after a correction, what the later words name replaces what the
    earlier ones said of the same finding, and the rest of the earlier words stands."""
    if parts is None:
        return _said(text, nlu, context)
    later = _said(parts[1], nlu, context)
    named = {f.finding for f in later}
    earlier = tuple(f for f in _said(parts[0], nlu, context) if f.finding not in named)
    return earlier + later


def _story(
    result: NluResult, text: str, has_findings: bool, nlu: Nlu, context: Context
) -> NluResult:
    from hipcoach.understanding.context import raw
    from hipcoach.understanding.words import tokens

    words = tokens(text)
    for intent in raw().get("story_intents") or []:
        valued = rules.value_intent(intent, words, nlu, context.today)
        if valued is not None:
            return replace(valued, utterance=text)
    if has_findings:
        return replace(result, intent=TELL_FINDINGS_INTENT, slots={})
    return result


def _corrected_in_kind(parts: tuple[str, str], nlu: Nlu, context: Context) -> NluResult | None:
    """A correction whose later words the matcher cannot read alone, read as the same kind of
    value as the earlier words ("my hip hurts on the side, no wait, it's more at the front where
    my leg meets my hip": a location again); None when they hold no such value."""
    from hipcoach.understanding.words import tokens

    before = nlu.resolve(parts[0], context.today)
    later = tokens(parts[1])
    slots = dict(before.slots)
    changed = False
    for name, fill in before.slots.items():
        if fill is None or fill.resolved is None:
            continue
        found = nlu.values_of(fill.slot_type, later, context.today)
        if found:
            slots[name], changed = found[-1], True
    if not changed:
        return None
    return replace(before, slots=slots, utterance=parts[1], confidence=0.5)


def _combinations() -> dict[str, dict[str, frozenset[str]]]:
    from hipcoach.understanding.context import raw

    table = raw().get("combined_values") or {}
    return {f: {v: frozenset(parts) for v, parts in vs.items()} for f, vs in table.items()}


def _combined(found: tuple[SaidFinding, ...]) -> tuple[SaidFinding, ...]:
    """Two values of one finding said together that make up a value of their own (content's
    `combined_values`: during the run and after it) are that value."""
    for finding, values in _combinations().items():
        said = {f.value for f in found if f.finding == finding and f.polarity == "affirmed"}
        for value, parts in values.items():
            if parts <= said:
                kept = tuple(f for f in found if f.finding != finding or f.value not in parts)
                found = (*kept, SaidFinding(finding, value, words=finding))
    return found


def _combined_slot(
    result: NluResult,
    text: str,
    findings: tuple[SaidFinding, ...],
    nlu: Nlu,
    context: Context,
) -> tuple[NluResult, tuple[SaidFinding, ...]]:
    """A one-value reading ("when I run") of words that also say the other part of a combined
    value ("and it's still kinda there after") holds the combined value, as do the findings."""
    from hipcoach.understanding.words import tokens

    words = tokens(text)
    for finding, values in _combinations().items():
        prefix = f"{finding}="  # a FindingType id names its finding

        def bare(value_id: str, prefix: str = prefix) -> str:
            return value_id.removeprefix(prefix)

        ids = {i for parts in values.values() for i in parts}
        held = nlu.model.types_of_value  # value id -> slot types, indexed once per model
        types = {t: None for i in sorted(ids) for v in (i, prefix + i) for t in held.get(v, ())}
        said = {f.value for f in findings if f.finding == finding and f.polarity == "affirmed"}
        for slot_type in types:
            said |= {
                bare(other.resolved.id)
                for other in nlu.values_of(slot_type, words, context.today, in_context=True)
                if other.resolved is not None
            }
        for value, parts in values.items():
            if not parts <= said:
                continue
            kept = (*(f for f in findings if f.finding != finding), SaidFinding(finding, value))
            for name, fill in result.slots.items():
                if fill is None or fill.resolved is None or bare(fill.resolved.id) not in parts:
                    continue
                for slot_value, heard in nlu.model.slot_types.get(fill.slot_type, {}).values():
                    if bare(slot_value.id) == value:
                        combined = type(fill)(heard, fill.slot_type, slot_value)
                        return replace(result, slots={**result.slots, name: combined}), kept
            return result, kept
    return result, findings


def _opening(result: NluResult) -> NluResult:
    """The check asked for, with how long it has hurt when that was what the words held."""
    kept = {name: result.slots.get(name) for name in _START_CHECK_SLOTS}
    types = {name: result.slot_types.get(name, "") for name in _START_CHECK_SLOTS}
    return replace(result, intent=START_CHECK_INTENT, slots=kept, slot_types=types)


def _yes_no_first(
    result: NluResult,
    text: str,
    findings: tuple[SaidFinding, ...],
    nlu: Nlu,
    context: Context,
) -> NluResult:
    """A yes or no said first to a yes-or-no question, then other findings ("no, but it's been
    hurting for ten days", "yeah it is, and it's sore when I press on the side"): the yes or no
    answers the question, and every finding said is kept beside it (`Understanding.findings`).
    Not when the words say the asked finding itself (read as said), nor when the yes or no may be
    about the finding after it ("yeah, it clicks" to the night question: asked again), nor a
    "no" said with a yes-or-no finding (a screen's item, read by the dialog)."""
    from hipcoach.understanding.words import tokens

    said = rules.answer_word(text)
    intent = result.intent
    if (
        said is None
        or context.asking is None
        or not set(_YES_NO) <= set(context.expects)
        or intent in context.expects
        or intent not in rules.RECORDING_INTENTS
        or rules.is_question(text)
        or any(f.finding == context.asking for f in findings)
    ):
        return result
    yes_no = [f for f in findings if f.value in ("true", "false")]
    if said == "no" and yes_no:
        # "no, I can stand on it fine" to a screen denies one item, never the rest (the dialog
        # asks them one at a time); "no, but I fell" names a sign the screen reads itself
        return result
    if yes_no:
        spotted = nlu.findings_said(text, context.today)
        first = min((f.start for f in spotted), default=len(tokens(text)))
        if not rules.puts_to_the_question(tokens(text), first):
            return result
    answer = "AMAZON.YesIntent" if said == "yes" else "AMAZON.NoIntent"
    return replace(nlu.fallback(text), intent=answer, confidence=0.5)


def _answer_first(result: NluResult, text: str, nlu: Nlu, context: Context) -> NluResult:
    """A yes or no said first answers the pending question, whatever the words after it read as
    when that is no answer to it ("no, I feel fine" to the fever question is no progress report):
    the findings the words name are kept apart."""
    said = rules.answer_word(text)
    intent = result.intent
    if (
        said is None
        or context.asking is None
        or intent in context.expects
        or intent in rules.RECORDING_INTENTS
        or intent.startswith("AMAZON.")
        or rules.is_question(text)
    ):
        return result
    answer = "AMAZON.YesIntent" if said == "yes" else "AMAZON.NoIntent"
    return replace(nlu.fallback(text), intent=answer, confidence=0.5)
