#!/usr/bin/env python3
"""blind5 driver: plays tests/corpora/blind5_runners.yaml against `hipcoach chat --json` and scores it.

Usage: .venv/bin/python tests/conversations/blind5_driver.py --out tests/corpora/blind5_run.json --jobs 6
       [--only ID[,ID...]]   (play only these items)
Each item runs with its own user ids in a fresh SQLite file (HIPCOACH_DB), so runs never share memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
HIPCOACH = str(ROOT / ".venv" / "bin" / "hipcoach")
CORPUS = ROOT / "tests" / "corpora" / "blind5_runners.yaml"
LEVELS = ["self_care", "see_professional", "urgent", "emergency"]
RANK = {lv: i for i, lv in enumerate(LEVELS)}
DAY1 = dt.date(2026, 11, 2)
MAX_CHECK_TURNS = 28

NOT_CAUGHT = re.compile(
    r"didn'?t (quite )?(catch|get|understand)|not sure what you|say that again|could you repeat|"
    r"sorry, i (don't|didn't)|i missed that|can you rephrase|try saying|sorry, in a routine i understand",
    re.I,
)
DECLINE = re.compile(
    r"can'?t|cannot|not able|unable|don'?t (have|know|do)|isn'?t something|not something|outside|"
    r"i only|beyond|no way to|not (a|the) (thing|kind)|i'm not set up|i can only",
    re.I,
)
URGENT_SPEECH = re.compile(
    r"\b911\b|\b999\b|\b112\b|emergency|a ?& ?e\b|\ber\b|urgent|within 24 hours|today|ambulance|straight away|right away",
    re.I,
)
RUN_NO = re.compile(
    r"\bno running\b|don'?t run|do not run|hold off|not run|no,? (not|don'?t)|skip (your|the)? ?run|avoid running|"
    r"stop running|shouldn'?t run|not yet|rest from running|no runs?\b|not to run|until .*(seen|checked)|"
    r"don'?t go for",
    re.I,
)
RUN_YES = re.compile(
    r"\byes\b|you can run|easy run|go for (a|an) (easy )?run|fine to run|okay to run|ok to run|run easy|"
    r"gentle run|run if|\ban easy\b|easy,? short(er)? run|only if it doesn'?t hurt",
    re.I,
)
EX_RE = re.compile(r"exercise (\d+) of (\d+)(?::\s*([^.]+))?", re.I)

# Plain phrases for a true fact, used when a runner's `say` has nothing for what is asked.
PLAIN = {
    "pain_location": {
        "outer_hip": "on the outside of my hip",
        "front_hip": "the front of my hip",
        "groin": "in my groin",
        "deep_joint": "deep inside the hip joint",
        "buttock": {"en-US": "in my butt", "en-GB": "in my bum"},
    },
    "pain_radiates": {
        "none": "no, it stays in one place",
        "thigh_or_knee": "yes, down my thigh towards my knee",
        "lower_back": "yes, up into my lower back",
    },
    "pain_timing": {
        "during_run": "during the run",
        "after_run": "after I run",
        "during_and_after": "both during and after running",
        "at_rest": "even when I'm resting",
    },
    "onset": {"sudden": "it came on suddenly", "gradual": "gradually, over time"},
    "pain_quality": {"dull_ache": "a dull ache", "sharp": "sharp", "burning": "burning"},
}
NUMWORDS = {
    0: "zero",
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
}


def plain_answer(finding: str, facts: dict[str, Any], locale: str) -> tuple[str, bool]:
    """(utterance, known): what this runner plainly says to a question about `finding`."""
    if finding in facts:
        v = facts[finding]
        if isinstance(v, bool):
            return ("yes" if v else "no"), True
        if finding in PLAIN and v in PLAIN[finding]:
            p = PLAIN[finding][v]
            return (p[locale] if isinstance(p, dict) else p), True
        if finding == "pain_severity":
            return f"about a {NUMWORDS.get(v, v)}", True
        if finding == "pain_days":
            return (
                "it started today" if v == 0 else "just a day" if v == 1 else f"about {v} days"
            ), True
        if finding == "mileage_increase_pct":
            return f"about {v} percent", True
        if finding == "shoe_miles":
            return f"about {v} miles", True
        return str(v), True
    if finding in OPEN_FINDINGS:
        return "hmm, I'm not sure", False
    # bools not in facts are taken as false for this runner
    return "no", False


OPEN_FINDINGS = {
    "pain_location",
    "pain_timing",
    "onset",
    "pain_quality",
    "pain_severity",
    "pain_days",
    "mileage_increase_pct",
    "shoe_miles",
}
RF_FINDINGS = {
    "cannot_bear_weight",
    "cannot_move_leg",
    "hip_deformed",
    "fever_or_chills",
    "sudden_swelling",
    "bladder_or_bowel_change",
}
# A screen ("Any of these: ...") is answered from the runner's true facts that the spoken question names.
SCREEN_ITEMS: list[tuple[str, Any, list[str], str]] = [
    ("after_fall_or_injury", True, ["fall", "knock", "blow"], "it started with a fall"),
    (
        "cannot_bear_weight",
        True,
        ["not put weight", "can't stand", "cannot stand"],
        "I can't put weight on it",
    ),
    ("cannot_move_leg", True, ["move it", "move the leg", "can't move"], "I can't move it"),
    ("hip_deformed", True, ["out of place"], "it looks out of place"),
    ("sudden_swelling", True, ["swelling", "swollen"], "it's swollen"),
    ("fever_or_chills", True, ["fever", "temperature", "chills"], "I've got a temperature"),
    ("numbness_or_tingling", True, ["numb", "pins and needles", "tingl"], "there's some tingling"),
    (
        "pain_on_weight_bearing",
        True,
        ["whenever you put weight", "when you stand on", "weight on it"],
        "it's sharp when I put weight on it",
    ),
    ("night_pain", True, ["night"], "it wakes me at night"),
    ("worsening", True, ["getting worse", "worse"], "it's getting worse"),
    ("eases_with_rest", False, ["rest doesn't help", "rest does not help"], "rest doesn't help"),
    ("recurrent", True, ["coming back", "keeps coming"], "it keeps coming back"),
    ("daily_activities_limited", True, ["walking", "daily"], "it limits my walking"),
    ("giving_way", True, ["gives way", "give way"], "it gives way"),
    ("clicking", True, ["click"], "it clicks"),
    ("locking_or_catching", True, ["lock", "catch"], "it catches"),
    ("bladder_or_bowel_change", True, ["bladder", "bowel"], "I've had trouble having a wee"),
]


def screen_answer(question: str, facts: dict[str, Any]) -> tuple[str, list[str]]:
    """('yes, a and b' | 'no, none of that', findings named) for a composite question."""
    q = question.lower()
    named: list[tuple[str, str]] = []
    for f, val, keys, phrase in SCREEN_ITEMS:
        if facts.get(f) is val and any(k in q for k in keys):
            named.append((f, phrase))
    sev = facts.get("pain_severity")
    if isinstance(sev, int) and sev >= 8 and "intense" in q:
        named.insert(0, ("pain_severity", "the pain is really intense"))
    if not named:
        return "no, none of that", []
    return "yes, " + " and ".join(p for _, p in named), [f for f, _ in named]


def level_of(r: dict[str, Any] | None) -> str | None:
    return (r or {}).get("triage")


class Session:
    """One `hipcoach chat --json` process, fed one utterance per line."""

    def __init__(self, user: str, locale: str, date: dt.date, db: str):
        env = dict(os.environ, HIPCOACH_DB=db)
        self.p = subprocess.Popen(
            [
                HIPCOACH,
                "chat",
                "--json",
                "--user",
                user,
                "--locale",
                locale,
                "--date",
                date.isoformat(),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=str(ROOT),
        )
        self.log: list[dict[str, Any]] = []
        self.ended = False

    def say(self, text: str) -> dict[str, Any]:
        assert self.p.stdin and self.p.stdout
        if self.ended:
            rep = {
                "user": text,
                "speech": "<session ended>",
                "asking": None,
                "result": None,
                "findings": None,
                "said": [],
                "end_session": True,
                "_ended": True,
            }
            self.log.append(rep)
            return rep
        self.p.stdin.write(text + "\n")
        self.p.stdin.flush()
        line = self.p.stdout.readline()
        if not line:
            err = self.p.stderr.read() if self.p.stderr else ""
            rep = {
                "user": text,
                "speech": "<no reply> " + err[-500:],
                "asking": None,
                "result": None,
                "findings": None,
                "said": [],
                "end_session": True,
                "_crash": True,
            }
        else:
            try:
                rep = json.loads(line)
            except json.JSONDecodeError:
                rep = {
                    "user": text,
                    "speech": "<bad json> " + line[:300],
                    "asking": None,
                    "result": None,
                    "findings": None,
                    "said": [],
                    "end_session": False,
                    "_crash": True,
                }
        self.log.append(rep)
        if rep.get("end_session"):
            self.ended = True
        return rep

    def close(self) -> None:
        try:
            if self.p.stdin:
                self.p.stdin.close()
            self.p.wait(timeout=30)
        except Exception:
            self.p.kill()


def brief(rep: dict[str, Any]) -> dict[str, Any]:
    return {
        "user": rep.get("user"),
        "intent": rep.get("intent"),
        "speech": rep.get("speech"),
        "asking": rep.get("asking"),
        "result": rep.get("result"),
        "findings": rep.get("findings"),
        "said": rep.get("said"),
        "end_session": rep.get("end_session"),
    }


def values_equal(finding: str, got: Any, want: Any) -> bool:
    if isinstance(want, bool) or isinstance(got, bool):
        return got == want
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        if finding in ("mileage_increase_pct", "shoe_miles"):
            return abs(got - want) <= max(5, 0.1 * want)
        if finding == "pain_days":
            return abs(got - want) <= max(1, 0.15 * want)
        return got == want
    return got == want


def red_flag_keys(rf: dict[str, Any] | None) -> list[str]:
    if not rf:
        return []
    t = rf.get("text_at")
    return t if isinstance(t, list) else [t]


def play_check(
    s: Session, runner: dict[str, Any], q_mid: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Play a runner's check to its result. Returns the per-runner record."""
    facts, loc = runner["facts"], runner["locale"]
    say = runner.get("say") or {}
    rf = runner.get("red_flag")
    rf_keys = red_flag_keys(rf)
    rec: dict[str, Any] = {
        "id": runner["id"],
        "locale": loc,
        "expected_level": runner.get("level"),
        "expected_cause": runner.get("cause") or [],
        "answers": [],
        "wrong_values": {},
        "unstated_values": {},
        "fallback_answers": 0,
        "red_flag_turn": None,
        "urgent_reply_turn": None,
        "urgent_speech_turn": None,
        "mid_question": None,
    }
    utter_no = 0  # runner utterances after "open hip coach"

    def note_rf(text_is_rf: bool, rep: dict[str, Any]) -> None:
        if text_is_rf and rec["red_flag_turn"] is None:
            rec["red_flag_turn"] = utter_no
        if rec["red_flag_turn"] is not None:
            if rec["urgent_reply_turn"] is None and level_of(rep.get("result")) in (
                "urgent",
                "emergency",
            ):
                rec["urgent_reply_turn"] = utter_no
            if rec["urgent_speech_turn"] is None and URGENT_SPEECH.search(rep.get("speech") or ""):
                rec["urgent_speech_turn"] = utter_no

    rep = s.say("open hip coach")
    utter_no += 1
    rep = s.say(runner["opening"])
    note_rf(bool(rf) and "opening" in rf_keys, rep)
    rec["opening_started_check"] = rep.get("findings") is not None or bool(rep.get("result"))
    op_speech = rep.get("speech") or ""
    rec["answers"].append(
        {
            "asking": "opening",
            "said": runner["opening"],
            "reply": op_speech[:240],
            "understood": rec["opening_started_check"] and not NOT_CAUGHT.search(op_speech),
            "reasked": False,
            "not_caught": bool(NOT_CAUGHT.search(op_speech)),
            "value_recorded": None,
            "value_ok": None,
            "new_findings": dict(rep.get("findings") or {}),
        }
    )
    if rep.get("findings") is None and not rep.get("result"):
        utter_no += 1
        rep = s.say("check my hip")
    used: dict[str, int] = {}
    answer_no = 0
    result = rep.get("result")
    mid = runner.get("mid_question") or q_mid
    while not result and utter_no < MAX_CHECK_TURNS and not s.ended:
        asking = rep.get("asking")
        if asking is None:
            rec["answers"].append(
                {
                    "asking": None,
                    "said": None,
                    "reply": (rep.get("speech") or "")[:200],
                    "understood": False,
                    "note": "check stalled: nothing asked, no result",
                }
            )
            break
        if mid and rec["mid_question"] is None and answer_no == mid["after"]:
            before = dict(rep.get("findings") or {})
            utter_no += 1
            qrep = s.say(mid["text"])
            rec["mid_question"] = score_question(
                mid, qrep, "mid_check", before_asking=asking, before_findings=before
            )
            rep = qrep
            if rep.get("result") or s.ended:
                result = rep.get("result")
                break
            asking = rep.get("asking")
            if asking is None:
                # try to go back to the check
                utter_no += 1
                rep = s.say("carry on with the check")
                asking = rep.get("asking")
                if asking is None:
                    break
        answer_no += 1
        opts = say.get(asking)
        n = used.get(asking, 0)
        used[asking] = n + 1
        is_rf = False
        if opts and n < len(opts):
            text = opts[n]
            is_rf = asking in rf_keys
            known = True
        elif asking not in CONTRACT_BOOL_OR_ANY and asking not in facts:
            text, named = screen_answer(rep.get("speech") or "", facts)
            is_rf = bool(rf) and bool(set(named) & RF_FINDINGS)
        else:
            text, known = plain_answer(asking, facts, loc)
            if not known:
                rec["fallback_answers"] += 1
        if (
            rf
            and rec["red_flag_turn"] is None
            and not is_rf
            and answer_no == rf.get("fallback_turn", -1)
        ):
            text = f"{text}, {rf['fallback_text']}"
            is_rf = True
        utter_no += 1
        prev_findings = dict(rep.get("findings") or {})
        nrep = s.say(text)
        note_rf(is_rf, nrep)
        speech = nrep.get("speech") or ""
        reasked = nrep.get("asking") == asking and not nrep.get("result")
        notcaught = bool(NOT_CAUGHT.search(speech))
        nf = nrep.get("findings") or {}
        rec_val = nf.get(asking, None) if asking in facts else None
        value_ok = None
        if asking in facts:
            value_ok = asking in nf and values_equal(asking, nf[asking], facts[asking])
        rec["answers"].append(
            {
                "asking": asking,
                "said": text,
                "reply": speech[:240],
                "understood": not reasked and not notcaught,
                "reasked": reasked,
                "not_caught": notcaught,
                "value_recorded": rec_val,
                "value_ok": value_ok,
                "new_findings": {k: v for k, v in nf.items() if prev_findings.get(k) != v},
            }
        )
        rep = nrep
        result = rep.get("result")
    # Check findings against truth (last findings seen in the check)
    last_f: dict[str, Any] = {}
    for r in s.log:
        if r.get("findings"):
            last_f = r["findings"]
    for k, v in last_f.items():
        if k in facts:
            if not values_equal(k, v, facts[k]):
                rec["wrong_values"][k] = {"recorded": v, "true": facts[k]}
        elif v is not False and k in CONTRACT_BOOL_OR_ANY:
            rec["unstated_values"][k] = v
    rec["findings_final"] = last_f
    rec["result"] = result
    lv = level_of(result)
    rec["level"] = lv
    exp = runner.get("level")
    rec["under_triage"] = (lv is None) or (exp is not None and RANK[lv] < RANK[exp])
    rec["over_triage"] = lv is not None and exp is not None and RANK[lv] > RANK[exp]
    conds = (result or {}).get("conditions") or []
    rec["cause_first"] = conds[0] if conds else None
    rec["cause_ok"] = (not runner.get("cause")) or (bool(conds) and conds[0] in runner["cause"])
    return rec


CONTRACT_BOOL_OR_ANY = {
    "pain_location",
    "pain_radiates",
    "pain_timing",
    "onset",
    "pain_quality",
    "pain_severity",
    "pain_days",
    "worse_lying_on_side",
    "tender_outer_hip",
    "pain_on_weight_bearing",
    "pain_lifting_leg",
    "clicking",
    "locking_or_catching",
    "giving_way",
    "stiffness",
    "eases_with_rest",
    "worsening",
    "recurrent",
    "daily_activities_limited",
    "night_pain",
    "numbness_or_tingling",
    "cannot_bear_weight",
    "cannot_move_leg",
    "hip_deformed",
    "sudden_swelling",
    "fever_or_chills",
    "after_fall_or_injury",
    "mileage_increase_pct",
    "recent_speedwork",
    "downhill_running",
    "shoe_miles",
    "one_side_weaker",
}


def score_question(
    q: dict[str, Any],
    rep: dict[str, Any],
    place: str,
    before_asking: str | None = None,
    before_findings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    speech = rep.get("speech") or ""
    low = speech.lower()
    kind = q.get("kind", "answer")
    notcaught = bool(NOT_CAUGHT.search(speech))
    if kind == "answer":
        content_ok = any(w.lower() in low for w in q.get("expect_any", [])) and not notcaught
    else:
        content_ok = bool(DECLINE.search(speech)) and not notcaught
    started_check = False
    place_ok = True
    if place in ("menu", "after_result"):
        started_check = rep.get("asking") == "emergency_screen" or (
            rep.get("findings") == {} and rep.get("asking") is not None
        )
        place_ok = not started_check and not rep.get("end_session")
    elif place == "mid_check":
        f = rep.get("findings") or {}
        lost = [k for k in (before_findings or {}) if k not in f]
        restarted = rep.get("asking") == "emergency_screen" and before_asking != "emergency_screen"
        place_ok = (
            rep.get("asking") is not None
            and not lost
            and not restarted
            and not rep.get("end_session")
        )
        started_check = restarted
    return {
        "id": q.get("id"),
        "place": place,
        "kind": kind,
        "text": q["text"],
        "reply": speech,
        "intent": rep.get("intent"),
        "said": rep.get("said"),
        "asking_after": rep.get("asking"),
        "content_ok": content_ok,
        "place_ok": place_ok,
        "started_check": started_check,
        "not_caught": notcaught,
        "ok": content_ok and place_ok,
    }


def new_db(tmp: str) -> str:
    return os.path.join(tmp, f"{uuid.uuid4().hex}.db")


def run_runner(runner: dict[str, Any], tmp: str) -> dict[str, Any]:
    s = Session(f"b5-{runner['id']}", runner["locale"], DAY1, new_db(tmp))
    try:
        rec = play_check(s, runner)
    finally:
        s.close()
    rec["transcript"] = [brief(r) for r in s.log]
    return rec


SIMPLE_RUNNER = {"us": "us_doms_long_run", "gb": "gb_doms_parkrun"}


def run_question(q: dict[str, Any], runners: dict[str, dict[str, Any]], tmp: str) -> dict[str, Any]:
    loc = q["locale"]
    s = Session(f"b5-{q['id']}", loc, DAY1, new_db(tmp))
    try:
        if q["place"] == "menu":
            s.say("open hip coach")
            rec = score_question(q, s.say(q["text"]), "menu")
        elif q["place"] == "after_result":
            base = runners[SIMPLE_RUNNER["us" if loc == "en-US" else "gb"]]
            chk = play_check(s, base)
            if not chk["result"]:
                rec = {
                    "id": q["id"],
                    "place": "after_result",
                    "ok": False,
                    "content_ok": False,
                    "place_ok": False,
                    "text": q["text"],
                    "reply": "<no result reached before the question>",
                }
            elif s.ended:
                rec = {
                    "id": q["id"],
                    "place": "after_result",
                    "ok": False,
                    "content_ok": False,
                    "place_ok": False,
                    "text": q["text"],
                    "reply": "<session ended at the result>",
                }
            else:
                rec = score_question(q, s.say(q["text"]), "after_result")
        else:  # mid_check
            base = dict(runners[SIMPLE_RUNNER["us" if loc == "en-US" else "gb"]])
            base["mid_question"] = None
            chk = play_check(s, base, q_mid={"after": 1, **q})
            rec = chk["mid_question"] or {
                "id": q["id"],
                "place": "mid_check",
                "ok": False,
                "content_ok": False,
                "place_ok": False,
                "text": q["text"],
                "reply": "<check ended before the question>",
            }
            rec["check_reached_result"] = chk["result"] is not None
    finally:
        s.close()
    rec["transcript"] = [brief(r) for r in s.log]
    return rec


def plan_of(user: str, date: dt.date, db: str) -> dict[str, Any] | None:
    out = subprocess.run(
        [HIPCOACH, "plan", "--user", user, "--date", date.isoformat()],
        capture_output=True,
        text=True,
        env=dict(os.environ, HIPCOACH_DB=db),
        cwd=str(ROOT),
    )
    try:
        return json.loads(out.stdout)["plan"]
    except Exception:
        return {"_error": (out.stdout + out.stderr)[-400:]}


def run_class(speech: str) -> str:
    no, yes = bool(RUN_NO.search(speech)), bool(RUN_YES.search(speech))
    if no and not yes:
        return "no"
    if yes and not no:
        return "yes"
    return "mixed" if yes and no else "unclear"


def run_journey(j: dict[str, Any], runners: dict[str, dict[str, Any]], tmp: str) -> dict[str, Any]:
    runner = runners[j["runner"]]
    db = new_db(tmp)
    user = f"b5-{j['id']}"
    s1 = Session(user, runner["locale"], DAY1, db)
    try:
        chk = play_check(s1, runner)
    finally:
        s1.close()
    day2 = DAY1 + dt.timedelta(days=j["day2_offset"])
    plan1 = plan_of(user, DAY1, db)
    s2 = Session(user, runner["locale"], day2, db)
    steps = []
    problems: list[str] = []
    day1_running = (plan1 or {}).get("running")
    day1_level = chk["level"]
    try:
        s2.say("open hip coach")
        for st in j["day2"]:
            rep = s2.say(st["text"])
            sp = rep.get("speech") or ""
            ok = True
            why = []
            if "expect_any" in st and not any(w.lower() in sp.lower() for w in st["expect_any"]):
                ok = False
                why.append(f"none of {st['expect_any']}")
            if NOT_CAUGHT.search(sp):
                ok = False
                why.append("not caught")
            if rep.get("asking") == "emergency_screen" and "check" not in st["text"]:
                ok = False
                why.append("started a check")
            if "expect_run" in st:
                rc = run_class(sp)
                want = st["expect_run"]
                if want == "not_allowed" and rc in ("yes", "unclear"):
                    ok = False
                    why.append(f"running answer '{rc}' where running is not allowed")
                if want == "allowed_or_easy" and rc in ("no", "unclear"):
                    ok = False
                    why.append(f"running answer '{rc}' where easy running is fine")
                if want == "any_consistent":
                    if rc == "unclear":
                        ok = False
                        why.append("running answer unclear")
                    if (
                        day1_running
                        and "no" in str(day1_running).split("_")[0:1]
                        and rc == "yes"
                        and "professional_seen" not in json.dumps(rep.get("said") or [])
                    ):
                        ok = False
                        why.append(f"says run yes while day-1 plan running={day1_running}")
                # contradiction with day-1 level: urgent/emergency day 1 and a plain yes on day 2
                if (
                    day1_level in ("urgent", "emergency")
                    and rc == "yes"
                    and j["id"] != "j4_saw_physio"
                ):
                    problems.append(f"day1 {day1_level} but day2 says run: {sp[:160]}")
                rec_rc = rc
            else:
                rec_rc = None
            steps.append(
                {
                    "text": st["text"],
                    "reply": sp,
                    "said": rep.get("said"),
                    "run_class": rec_rc,
                    "ok": ok,
                    "why": why,
                }
            )
            if not ok:
                problems.append(f"{st['text']!r}: {'; '.join(why)}")
    finally:
        s2.close()
    plan2 = plan_of(user, day2, db)
    lv2 = (plan2 or {}).get("level_in_force")
    pa = j.get("plan_after") or {}
    if lv2 not in RANK:
        problems.append(f"no plan level after day 2: {plan2}")
    else:
        if "level_min" in pa and RANK[lv2] < RANK[pa["level_min"]]:
            problems.append(f"plan level {lv2} below {pa['level_min']}")
        if "level_max" in pa and RANK[lv2] > RANK[pa["level_max"]]:
            problems.append(f"plan level {lv2} above {pa['level_max']}")
    return {
        "id": j["id"],
        "runner": j["runner"],
        "day1_level": day1_level,
        "day1_expected": runner["level"],
        "day1_plan_running": day1_running,
        "plan_after_level": lv2,
        "steps": steps,
        "contradictions": problems,
        "ok": not problems,
        "transcript_day1": [brief(r) for r in s1.log],
        "transcript_day2": [brief(r) for r in s2.log],
    }


def ex_of(speech: str) -> tuple[int | None, str | None]:
    ms = list(EX_RE.finditer(speech or ""))
    if not ms:
        return None, None
    m = ms[-1]
    return int(m.group(1)), (m.group(3) or "").strip().lower() or None


def run_routine(r: dict[str, Any], tmp: str) -> dict[str, Any]:
    db = new_db(tmp)
    user = f"b5-{r['id']}"
    s = Session(user, r["locale"], DAY1, db)
    s.say("open hip coach")
    cur_no, cur_name = None, None
    stopped_name, stopped_no = None, None
    steps = []
    sessions = [s]
    for st in r["steps"]:
        if st.get("next_day"):
            s.close()
            s = Session(user, r["locale"], DAY1 + dt.timedelta(days=1), db)
            sessions.append(s)
            s.say("open hip coach")
        rep = s.say(st["text"])
        sp = rep.get("speech") or ""
        low = sp.lower()
        no, name = ex_of(sp)
        nxt = re.search(r"next up: ([^.?!]+)", sp, re.I)
        if no is None and nxt and cur_no is not None:
            no, name = cur_no + 1, nxt.group(1).strip().lower()
        c = st["check"]
        ok = not NOT_CAUGHT.search(sp) and not rep.get("_crash")
        why = []
        if c == "start":
            ok = ok and no == 1
        elif c == "pause":
            ok = ok and ("paus" in low or "ready" in low) and not rep.get("end_session")
        elif c == "resume":
            ok = (
                ok
                and (no is None or no == cur_no)
                and not rep.get("end_session")
                and len(low) > 0
                and (cur_name is None or cur_name.split()[0] in low or no == cur_no)
            )
        elif c == "repeat":
            ok = (
                ok
                and cur_no is not None
                and (no == cur_no or bool(cur_name and cur_name.split()[0] in low))
            )
        elif c == "skip":
            ok = ok and cur_no is not None and no == cur_no + 1
        elif c == "time_left":
            ok = (
                ok
                and bool(re.search(r"(minute|second)s? (left|to go)|left", low))
                and not rep.get("end_session")
            )
        elif c == "pain":
            advanced = no is not None and cur_no is not None and no > cur_no
            ok = (
                ok
                and bool(re.search(r"stop|pain|hurt|ease|gentl|don'?t push", low))
                and not advanced
            )
        elif c == "stop":
            ok = ok and (bool(rep.get("end_session")) or "stop" in low)
            stopped_name, stopped_no = cur_name, cur_no
        elif c == "resume_next_day":
            ok = (
                ok
                and (
                    (stopped_no is not None and no == stopped_no)
                    or (stopped_name is not None and stopped_name.split()[0] in low)
                )
                and not rep.get("end_session")
            )
        if not ok:
            why.append(f"expected {c}; exercise now {no} ({name}), before {cur_no} ({cur_name})")
        if no is not None:
            cur_no, cur_name = no, name or cur_name
        steps.append(
            {
                "text": st["text"],
                "check": c,
                "reply": sp,
                "said": rep.get("said"),
                "ok": ok,
                "why": why,
            }
        )
    s.close()
    return {
        "id": r["id"],
        "locale": r["locale"],
        "steps": steps,
        "ok": all(x["ok"] for x in steps),
        "transcript": [brief(x) for ss in sessions for x in ss.log],
    }


def summarize(out: dict[str, Any]) -> dict[str, Any]:
    rs = out["runners"]
    answers = [a for r in rs for a in r["answers"] if a.get("asking") is not None]
    understood = sum(1 for a in answers if a["understood"])
    vals = [a for a in answers if a.get("value_ok") is not None]
    rf = [r for r in rs if r["id"].startswith("rf_")]
    qs = out["questions"] + [r["mid_question"] for r in rs if r.get("mid_question")]
    by_place: dict[str, list[int]] = {}
    for q in out["questions"]:
        b = by_place.setdefault(q["place"], [0, 0])
        b[0] += 1 if q.get("ok") else 0
        b[1] += 1
    routine_steps = [s for r in out["routines"] for s in r["steps"]]
    return {
        "answers_understood_pct": round(100 * understood / max(1, len(answers)), 1),
        "answers": len(answers),
        "asked_value_recorded_right_pct": round(
            100 * sum(1 for a in vals if a["value_ok"]) / max(1, len(vals)), 1
        ),
        "wrong_values": sum(len(r["wrong_values"]) for r in rs),
        "runners_with_wrong_values": [r["id"] for r in rs if r["wrong_values"]],
        "under_triage": [r["id"] for r in rs if r["under_triage"]],
        "over_triage": [r["id"] for r in rs if r["over_triage"]],
        "no_result": [r["id"] for r in rs if r["level"] is None],
        "cause_first_ok": f"{sum(1 for r in rs if r['cause_ok'] and r['expected_cause'])}/"
        f"{sum(1 for r in rs if r['expected_cause'])}",
        "red_flag_turns_to_urgent_result": {
            r["id"]: (
                None
                if r["red_flag_turn"] is None or r["urgent_reply_turn"] is None
                else r["urgent_reply_turn"] - r["red_flag_turn"] + 1
            )
            for r in rf
        },
        "red_flag_turns_to_urgent_speech": {
            r["id"]: (
                None
                if r["red_flag_turn"] is None or r["urgent_speech_turn"] is None
                else r["urgent_speech_turn"] - r["red_flag_turn"] + 1
            )
            for r in rf
        },
        "questions_ok": f"{sum(1 for q in out['questions'] if q.get('ok'))}/{len(out['questions'])}",
        "questions_ok_by_place": {k: f"{v[0]}/{v[1]}" for k, v in by_place.items()},
        "questions_started_check": [q["id"] for q in out["questions"] if q.get("started_check")],
        "runner_mid_questions_ok": f"{sum(1 for r in rs if r.get('mid_question') and r['mid_question']['ok'])}/"
        f"{sum(1 for r in rs if r.get('mid_question'))}",
        "all_questions_ok": f"{sum(1 for q in qs if q.get('ok'))}/{len(qs)}",
        "journeys_ok": f"{sum(1 for j in out['journeys'] if j['ok'])}/{len(out['journeys'])}",
        "journey_contradictions": sum(len(j["contradictions"]) for j in out["journeys"]),
        "routine_steps_ok": f"{sum(1 for s in routine_steps if s['ok'])}/{len(routine_steps)}",
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    corpus = yaml.safe_load(CORPUS.read_text())
    only = set(filter(None, a.only.split(",")))
    runners = {r["id"]: r for r in corpus["runners"]}
    tmp = tempfile.mkdtemp(prefix="blind5-")

    def sel(x: dict[str, Any]) -> bool:
        return not only or x["id"] in only

    with ThreadPoolExecutor(max_workers=a.jobs) as ex:
        fr = [ex.submit(run_runner, r, tmp) for r in corpus["runners"] if sel(r)]
        fq = [ex.submit(run_question, q, runners, tmp) for q in corpus["questions"] if sel(q)]
        fj = [ex.submit(run_journey, j, runners, tmp) for j in corpus["journeys"] if sel(j)]
        fo = [ex.submit(run_routine, r, tmp) for r in corpus["routines"] if sel(r)]
        out: dict[str, Any] = {
            "runners": [f.result() for f in fr],
            "questions": [f.result() for f in fq],
            "journeys": [f.result() for f in fj],
            "routines": [f.result() for f in fo],
        }
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    out["commit"] = commit
    out["summary"] = summarize(out)
    Path(a.out).write_text(json.dumps(out, indent=1, ensure_ascii=False))
    print(json.dumps(out["summary"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
