"""The blind runners of tests/corpora/blind3_interviews.yaml played through the skill, and their
scores: the logic behind tests/conversations/blind3_driver.py (one `hipcoach chat --json` process
per runner) and tests/conversations/test_blind3_replay.py (the same in process, in `make test`).

A runner says "open hip coach", then their opening, then answers whatever the skill asks (the
`asking` field) from the persona, until a turn tells the result, the session ends or a turn cap is
hit. It knows only the public contract: findings names and values, triage levels, the JSON keys of
a turn. Scores: see the driver's docstring.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpora" / "blind3_interviews.yaml"

LEVELS = ["self_care", "see_professional", "urgent", "emergency"]
ENUMS: dict[str, list[str]] = {
    "pain_location": ["outer_hip", "front_hip", "groin", "deep_joint", "buttock"],
    "pain_radiates": ["none", "thigh_or_knee", "lower_back"],
    "pain_timing": ["during_run", "after_run", "during_and_after", "at_rest"],
    "onset": ["sudden", "gradual"],
    "pain_quality": ["dull_ache", "sharp", "burning"],
}
NUMBERS = {"pain_severity", "pain_days", "mileage_increase_pct", "shoe_miles"}
BOOLS = {
    "worse_lying_on_side", "tender_outer_hip", "pain_on_weight_bearing", "pain_lifting_leg",
    "clicking", "locking_or_catching", "giving_way", "stiffness", "eases_with_rest", "worsening",
    "recurrent", "daily_activities_limited", "night_pain", "numbness_or_tingling",
    "cannot_bear_weight", "cannot_move_leg", "hip_deformed", "sudden_swelling", "fever_or_chills",
    "after_fall_or_injury", "recent_speedwork", "downhill_running", "one_side_weaker",
}  # fmt: skip
CONTRACT = set(ENUMS) | NUMBERS | BOOLS
RED_FLAGS = {"cannot_bear_weight", "cannot_move_leg", "hip_deformed", "sudden_swelling",
             "fever_or_chills"}  # fmt: skip

# What a listener hears as "I didn't get that" (lower-cased speech).
NOT_CAUGHT = (
    "didn't catch", "did not catch", "didn't quite catch", "didn't understand",
    "did not understand", "didn't get that", "say that again", "could you repeat",
    "can you repeat", "please repeat", "not sure i understood", "i'm not sure what you",
    "try again", "didn't hear",
)  # fmt: skip
# How the driver tells what a composite question is about, from its spoken words.
SCREEN_WORDS = {
    "red_flags": ("fever", "chill", "temperature", "weight", "deform", "out of place", "swell",
                  "fall", "fell", "move your leg", "move the leg", "shiver", "injur"),
    "training": ("mileage", "miles", "kilomet", "distance", "speed", "hill", "downhill", "shoe",
                 "trainers", "training"),
    "start": ("start a check", "start a hip check", "shall we start", "would you like to start",
              "want to start", "begin"),
}  # fmt: skip
PLAIN = {
    "outer_hip": "the outside of my hip", "front_hip": "the front of my hip", "groin": "my groin",
    "deep_joint": "deep in the joint", "buttock": "my buttock", "none": "it doesn't spread",
    "thigh_or_knee": "down my thigh to the knee", "lower_back": "to my lower back",
    "during_run": "during my runs", "after_run": "after my runs",
    "during_and_after": "during and after my runs", "at_rest": "even at rest",
    "sudden": "suddenly", "gradual": "gradually", "dull_ache": "a dull ache", "sharp": "sharp",
    "burning": "burning",
}  # fmt: skip
MAX_TURNS = 45


def fact_matches(fact: Any, value: Any) -> bool:
    if isinstance(fact, bool) or isinstance(value, bool):
        return fact is value
    if isinstance(fact, list):
        return isinstance(value, int | float) and fact[0] <= value <= fact[1]
    if isinstance(fact, int | float):
        return isinstance(value, int | float) and abs(value - fact) < 1e-6
    return bool(fact == value)


def expected_value(persona: dict[str, Any], finding: str) -> tuple[bool, Any]:
    """(known, value): what this runner's facts say about a finding."""
    facts = persona["facts"]
    if finding in facts:
        return True, facts[finding]
    if finding in BOOLS and finding not in persona.get("unsure", []):
        return True, False
    return False, None


def not_caught(turn: dict[str, Any]) -> bool:
    speech = (turn.get("speech") or "").lower().replace("\u2019", "'")
    return any(p in speech for p in NOT_CAUGHT)


def screen_kind(turn: dict[str, Any]) -> str:
    speech = (turn.get("speech") or "").lower()
    counts = {k: sum(heard(w, speech) for w in words) for k, words in SCREEN_WORDS.items()}
    kind = max(counts, key=lambda k: counts[k])
    return kind if counts[kind] else "default"


def answer_for(persona: dict[str, Any], asking: str, retry: int) -> str:
    known, value = expected_value(persona, asking)
    if retry == 0:
        if asking in persona.get("answers", {}):
            return str(persona["answers"][asking])
        if asking in BOOLS and known:
            return str(persona["yes_style"] if value else persona["no_style"])
        return str(persona["dont_know"])
    # A second try: plainer words, as a person repeating themselves would.
    if not known:
        return "i don't know"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = round((value[0] + value[1]) / 2)
    if asking == "pain_days":
        return f"{value} days"
    if asking == "mileage_increase_pct":
        return f"{value} percent"
    if asking == "shoe_miles":
        return f"{value} miles"
    if asking == "pain_severity":
        return str(value)
    return PLAIN.get(str(value), str(value))


# Which contract findings a composite question names, from its spoken words (the driver's ear:
# a person answering a list of symptoms says yes to the ones they have).
MENTIONS: dict[str, tuple[str, ...]] = {
    "night_pain": ("night",),
    "worsening": ("getting worse", "worse run after run", "worse over time"),
    "recurrent": ("coming back", "keeps coming", "comes back"),
    "daily_activities_limited": ("limits walking", "walking limited", "daily", "walking or stairs"),
    "locking_or_catching": ("lock", "catch"),
    "giving_way": ("give way", "gives way", "giving way"),
    "clicking": ("click", "popping"),
    "stiffness": ("stiff",),
    "fever_or_chills": ("fever", "chill", "temperature"),
    "sudden_swelling": ("swell",),
    "numbness_or_tingling": ("numb", "tingl"),
    "pain_on_weight_bearing": ("pain whenever you put weight", "pain when you put weight",
                               "pain when you stand", "sharp pain whenever"),
    "cannot_bear_weight": ("not put weight", "can't put weight", "cannot put weight", "bear weight"),
    "hip_deformed": ("out of place", "deform"),
    "cannot_move_leg": ("move the leg", "move it", "move your leg"),
    "after_fall_or_injury": ("a fall", "a blow", "collision"),
    "worse_lying_on_side": ("lie on", "lying on"),
    "tender_outer_hip": ("tender", "press"),
    "pain_lifting_leg": ("lifting", "lift your knee", "out of a car"),
    "one_side_weaker": ("weaker",),
    "recent_speedwork": ("speed work", "speedwork", "hills"),
    "downhill_running": ("downhill",),
}  # fmt: skip


def heard(words: str, speech: str) -> bool:
    """Words at a word start ("hills" is not heard in "chills")."""
    return re.search(r"\b" + re.escape(words), speech) is not None


def screen_answer(persona: dict[str, Any], turn: dict[str, Any], retry: int) -> tuple[str, str]:
    """(kind, words): the persona's answer to a composite question it heard."""
    screens = persona.get("screens", {})
    speech = (turn.get("speech") or "").lower().replace("\u2019", "'")
    kind = screen_kind(turn)
    if kind == "start":
        return kind, "yes please check my hip"
    mentioned = [f for f, words in MENTIONS.items() if any(heard(w, speech) for w in words)]
    has = [f for f in mentioned if persona["facts"].get(f) is True]
    if any(f in RED_FLAGS for f in mentioned):
        kind = "red_flags"
    if retry:
        return kind, "yes" if has else "no"
    if any(f in RED_FLAGS for f in has) and "red_flags" in screens:
        return "red_flags", str(screens["red_flags"])
    if has:
        said = [str(persona["answers"].get(f, persona["yes_style"])) for f in has[:2]]
        return kind, " and ".join(said)
    return kind, str(screens.get(kind, screens.get("default", persona["no_style"])))


def says_red_flag(persona: dict[str, Any], asking: str | None, kind: str | None) -> bool:
    if asking in RED_FLAGS:
        return persona["facts"].get(asking) is True
    return kind == "red_flags" and any(persona["facts"].get(f) is True for f in RED_FLAGS)


def contract_findings(turn: dict[str, Any] | None) -> dict[str, Any]:
    found = (turn or {}).get("findings") or {}
    return {k: v for k, v in found.items() if k in CONTRACT}


class ChatLike(Protocol):
    """One runner's session: an utterance in, the turn's JSON object out (None: no turn)."""

    def say(self, utterance: str) -> dict[str, Any] | None: ...

    def close(self) -> str: ...


def play(persona: dict[str, Any], open_chat: Callable[[str, str], ChatLike]) -> dict[str, Any]:
    user = f"blind3-{persona['id']}-{uuid.uuid4().hex[:8]}"
    chat = open_chat(user, persona["locale"])
    transcript: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []  # scored answers
    interjections: list[dict[str, Any]] = []
    wrong: dict[str, dict[str, Any]] = {}
    seen: dict[str, Any] = {}
    red_flag_turn: int | None = 1 if persona.get("red_flag_in") == "opening" else None
    told_turn: int | None = None
    result: dict[str, Any] | None = None
    result_findings: dict[str, Any] = {}
    ended = "turn cap"
    pending_interjections = list(persona.get("interject", []))
    answers_given = 0
    retries: dict[str, int] = {}
    nudges = 0

    def send(utterance: str, role: str, asking: str | None) -> dict[str, Any] | None:
        turn = chat.say(utterance)
        idx = len(transcript)
        row: dict[str, Any] = {"i": idx, "role": role, "answering": asking, "user": utterance}
        if turn is None:
            row["error"] = "no JSON turn (process ended or timed out)"
            transcript.append(row)
            return None
        now = contract_findings(turn)
        changed = {k: v for k, v in now.items() if seen.get(k, object()) != v}
        for finding, value in changed.items():
            known, fact = expected_value(persona, finding)
            if known and not fact_matches(fact, value) and finding not in wrong:
                wrong[finding] = {"recorded": value, "expected": fact, "after": utterance}
        seen.clear()
        seen.update(now)
        row.update(
            intent=turn.get("intent"),
            slots=turn.get("slots"),
            asking=turn.get("asking"),
            speech=(turn.get("speech") or "")[:400],
            result=turn.get("result"),
            new_findings=changed,
            other_findings={  # findings content added beyond the contract, kept for reading
                k: v for k, v in ((turn.get("findings") or {}).items()) if k not in CONTRACT
            },
            end_session=turn.get("end_session"),
        )
        transcript.append(row)
        return turn

    turn = send("open hip coach", "launch", None)
    after_opening = send(persona["opening"], "opening", None) if turn else None
    turn = after_opening
    opening_found = contract_findings(after_opening)
    opening_captured = {
        f: fact_matches(persona["facts"][f], opening_found[f]) if f in opening_found else False
        for f in persona["opening_facts"]
    }
    opening_reasked: list[str] = []
    prev_asking: str | None = None
    prev_answer_row: dict[str, Any] | None = None

    while turn is not None and len(transcript) < MAX_TURNS:
        if turn.get("result") and turn["result"].get("triage"):
            result = turn["result"]
            result_findings = contract_findings(turn)
            ended = "result"
            break
        if turn.get("end_session"):
            ended = "session ended without a result"
            break
        asking: str | None = turn.get("asking")
        repeated = prev_answer_row is not None and asking is not None and asking == prev_asking
        if prev_answer_row is not None:
            prev_answer_row["understood"] = not (repeated or not_caught(turn))
            f = prev_answer_row["finding"]
            if f in CONTRACT:
                known, fact = expected_value(persona, f)
                if known:
                    now = contract_findings(turn)
                    prev_answer_row["recorded"] = f in now and fact_matches(fact, now[f])
            prev_answer_row = None
        if asking and asking in persona["opening_facts"] and asking not in opening_reasked:
            opening_reasked.append(asking)

        if pending_interjections and pending_interjections[0]["before_answer"] == answers_given + 1:
            said = pending_interjections.pop(0)["say"]
            reply = send(said, "interjection", asking)
            interjections.append(
                {
                    "said": said,
                    "handled": reply is not None
                    and not not_caught(reply)
                    and not reply.get("end_session"),
                    "reply": (reply or {}).get("speech", "")[:300],
                    "asking_after": (reply or {}).get("asking"),
                }
            )
            turn = reply
            prev_asking = None  # the question asked again after an interjection is no re-ask
            continue

        if asking is None:
            if nudges >= 2:
                ended = "no question and no result"
                break
            nudges += 1
            turn = send("can you check my hip", "nudge", None)
            prev_asking = None
            continue

        retry = retries.get(asking, 0) if repeated else 0
        retries[asking] = retry + 1
        kind: str | None = None
        if asking in CONTRACT:
            utterance = answer_for(persona, asking, retry)
        else:
            kind, utterance = screen_answer(persona, turn, retry)
        if red_flag_turn is None and retry == 0 and says_red_flag(persona, asking, kind):
            red_flag_turn = len(transcript)
        answers_given += 1
        turn = send(utterance, "answer" if retry == 0 else "retry", asking)
        row = transcript[-1]
        row["finding"] = asking if asking in CONTRACT else f"screen:{asking}:{kind}"
        prev_answer_row = row
        prev_asking = asking
        answers.append(row)

    if turn is None and ended == "turn cap":
        ended = "no JSON turn (process ended or timed out)"
    stderr = chat.close()
    if prev_answer_row is not None and "understood" not in prev_answer_row:
        prev_answer_row["understood"] = turn is not None and not not_caught(turn)

    for row in transcript:
        r = row.get("result")
        after_flag = red_flag_turn is not None and row["i"] >= red_flag_turn
        if told_turn is None and after_flag and r and r.get("triage") in ("urgent", "emergency"):
            told_turn = row["i"]

    expect = persona["expect"]
    level = (result or {}).get("triage")
    conditions = [
        c if isinstance(c, str) else c.get("id") for c in (result or {}).get("conditions") or []
    ]
    must = {
        f: (f in result_findings and fact_matches(v, result_findings[f]))
        for f, v in expect["must_record"].items()
    }
    scored = [a for a in answers if "understood" in a and a["role"] == "answer"]
    retried = [a for a in answers if "understood" in a and a["role"] == "retry"]
    return {
        "id": persona["id"],
        "locale": persona["locale"],
        "ended": ended,
        "turns": len(transcript),
        "answers": len(scored),
        "understood": sum(a["understood"] for a in scored),
        "not_understood": [
            {"asking": a["finding"], "user": a["user"], "i": a["i"]} for a in scored if not a["understood"]
        ],
        "retries": len(retried),
        "retries_understood": sum(a["understood"] for a in retried),
        "recordable": sum("recorded" in a for a in scored),
        "recorded": sum(a.get("recorded") is True for a in scored),
        "not_recorded": [
            {"finding": a["finding"], "user": a["user"]} for a in scored if a.get("recorded") is False
        ],
        "wrong_values": wrong,
        "expected_level": expect["level"],
        "level": level,
        "under_triage": level is None or LEVELS.index(level) < LEVELS.index(expect["level"]),
        "over_triage": level is not None and LEVELS.index(level) > LEVELS.index(expect["level"]),
        "red_flag_turn": red_flag_turn,
        "told_turn": told_turn,
        "red_flag_latency": None if red_flag_turn is None or told_turn is None else told_turn - red_flag_turn,
        "conditions": conditions,
        "expected_causes": expect["causes"],
        "expected_cause_first": (bool(conditions) and conditions[0] == expect["causes"][0]) if expect["causes"] else None,
        "acceptable_cause_first": (bool(conditions) and conditions[0] in expect["causes"]) if expect["causes"] else None,
        "must_record": must,
        "opening_captured": opening_captured,
        "opening_reasked": opening_reasked,
        "interjections": interjections,
        "stderr_tail": stderr[-600:],
        "transcript": transcript,
    }  # fmt: skip


def spoken(value: Any) -> Any:
    """YAML 1.1 reads a bare yes or no as a bool; in spoken fields it was the word."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return {k: spoken(v) for k, v in value.items()}
    if isinstance(value, list):
        return [spoken(v) for v in value]
    return value


SPOKEN_FIELDS = ("opening", "answers", "yes_style", "no_style", "dont_know", "screens", "interject")


def load_personas() -> list[dict[str, Any]]:
    personas: list[dict[str, Any]] = yaml.safe_load(CORPUS.read_text())["runners"]
    for persona in personas:
        for field in SPOKEN_FIELDS:
            if field in persona:
                persona[field] = spoken(persona[field])
    return personas


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f}%" if b else "-"


def totals(runs: list[dict[str, Any]]) -> dict[str, Any]:
    answers = sum(r["answers"] for r in runs)
    understood = sum(r["understood"] for r in runs)
    recordable = sum(r["recordable"] for r in runs)
    recorded = sum(r["recorded"] for r in runs)
    red = [r for r in runs if r["expected_level"] in ("urgent", "emergency")]
    flagged = [r for r in runs if r["red_flag_turn"] is not None]
    lat = [r["red_flag_latency"] for r in flagged if r["red_flag_latency"] is not None]
    cause_scored = [r for r in runs if r["expected_cause_first"] is not None]
    musts = [v for r in runs for v in r["must_record"].values()]
    opening = [v for r in runs for v in r["opening_captured"].values()]
    inter = [i for r in runs for i in r["interjections"]]
    return {
        "runners": len(runs),
        "answers": answers,
        "understood": understood,
        "understood_pct": round(100 * understood / answers, 1) if answers else None,
        "recorded": recorded,
        "recordable": recordable,
        "recorded_pct": round(100 * recorded / recordable, 1) if recordable else None,
        "wrong_values": sum(len(r["wrong_values"]) for r in runs),
        "runners_with_wrong_values": sum(bool(r["wrong_values"]) for r in runs),
        "results_told": sum(r["level"] is not None for r in runs),
        "level_exact": sum(r["level"] == r["expected_level"] for r in runs),
        "under_triage": sum(r["under_triage"] for r in runs),
        "under_triage_red_flag_runners": sum(r["under_triage"] for r in red),
        "red_flag_runners": len(red),
        "over_triage": sum(r["over_triage"] for r in runs),
        "red_flag_said": len(flagged),
        "red_flag_told": len(lat),
        "red_flag_latency_mean": round(sum(lat) / len(lat), 2) if lat else None,
        "red_flag_latency_max": max(lat) if lat else None,
        "expected_cause_first": sum(bool(r["expected_cause_first"]) for r in cause_scored),
        "acceptable_cause_first": sum(bool(r["acceptable_cause_first"]) for r in cause_scored),
        "cause_scored": len(cause_scored),
        "must_record_ok": sum(musts),
        "must_record": len(musts),
        "opening_facts_captured": sum(opening),
        "opening_facts": len(opening),
        "interjections_handled": sum(i["handled"] for i in inter),
        "interjections": len(inter),
    }


def print_table(runs: list[dict[str, Any]]) -> None:
    head = f"{'runner':30} {'end':8} {'und':>7} {'rec':>7} {'wrong':>5} {'level (expected)':32} {'rf':>4} {'cause':6} {'must':>5} {'open':>5}"
    print(head)
    print("-" * len(head))
    for r in runs:
        lvl = f"{r['level'] or '-'} ({r['expected_level']})"
        if r["under_triage"]:
            lvl += " UNDER"
        rf = (
            "-"
            if r["red_flag_turn"] is None
            else ("miss" if r["red_flag_latency"] is None else str(r["red_flag_latency"]))
        )
        cause = (
            "-"
            if r["expected_cause_first"] is None
            else (
                "ok"
                if r["expected_cause_first"]
                else ("acc" if r["acceptable_cause_first"] else "NO")
            )
        )
        must = f"{sum(r['must_record'].values())}/{len(r['must_record'])}"
        opening = f"{sum(r['opening_captured'].values())}/{len(r['opening_captured'])}"
        end = "result" if r["ended"] == "result" else "OTHER"
        print(
            f"{r['id']:30} {end:8} {r['understood']:>3}/{r['answers']:<3} {r['recorded']:>3}/{r['recordable']:<3} "
            f"{len(r['wrong_values']):>5} {lvl:32} {rf:>4} {cause:6} {must:>5} {opening:>5}"
        )  # fmt: skip
