#!/usr/bin/env python3
"""Blind clinic driver 4: plays tests/corpora/blind4_clinic.yaml through `hipcoach chat --json` (pipe mode)
and `hipcoach plan`, and scores under/over-triage, first cause, journey contradictions and explanations or
recorded findings that claim what the runner never said. Prints one JSON object (and writes it with --out).

    .venv/bin/python tests/conversations/blind4_clinic_driver.py [--out FILE] [--only ID ...]

Written by a blind reviewer: it reads only the chat's JSON contract (DESIGN.md) and the plan's output, never
content/ or skill/. The speech classifiers below (run answer, routine started) are keyword heuristics; every
classified answer is kept verbatim in the output so a reader can check them.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
HIPCOACH = str(ROOT / ".venv" / "bin" / "hipcoach")
CORPUS = ROOT / "tests" / "corpora" / "blind4_clinic.yaml"
LEVELS = ["self_care", "see_professional", "urgent", "emergency"]
RANK = {lv: i for i, lv in enumerate(LEVELS)}
BASE = dt.date(2026, 12, 1)

BOOL_FINDINGS = {
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
    "recent_speedwork",
    "downhill_running",
    "one_side_weaker",
}
OTHER_FINDINGS = {
    "pain_location",
    "pain_radiates",
    "pain_timing",
    "onset",
    "pain_quality",
    "pain_severity",
    "pain_days",
    "mileage_increase_pct",
    "shoe_miles",
}

# Phrases by which an explanation claims the runner reported a finding (only checked in sentences without a
# negation, so "you have no fever" is not a claim of fever).
CLAIMS = {
    "fever_or_chills": [r"\bfever", r"\bchills", r"temperature"],
    "after_fall_or_injury": [r"\bfall\b", r"\bfell\b", r"\bblow\b", r"collision"],
    "night_pain": [r"at night", r"wakes you", r"keeps you awake"],
    "numbness_or_tingling": [r"numb", r"tingl", r"pins and needles"],
    "clicking": [r"click", r"popping"],
    "locking_or_catching": [r"lock", r"catch"],
    "worse_lying_on_side": [r"lying on"],
    "sudden_swelling": [r"swell", r"swollen"],
    "cannot_bear_weight": [r"can'?not (put|bear) weight", r"can't (put|bear) weight"],
    "pain_on_weight_bearing": [r"weight on (that|the|your) leg", r"when you put weight"],
    "hip_deformed": [r"deformed", r"out of place"],
    "giving_way": [r"gives way", r"giving way", r"unstable"],
    "one_side_weaker": [r"one side (is )?weaker", r"different length"],
    "recent_speedwork": [r"speed ?work", r"intervals", r"hills? (you )?added"],
    "downhill_running": [r"downhill"],
}
NEGATION = re.compile(
    r"\b(no|not|without|never|didn't|don't|haven't|hasn't|isn't|aren't|if|unless|any)\b", re.I
)


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--only", nargs="*")
    ap.add_argument(
        "--db", help="folder for the runners' SQLite files (default: a fresh temp folder)"
    )
    ap.add_argument("--jobs", type=int, default=8)
    return ap.parse_args()


class Chat:
    """One `hipcoach chat --json` session on a pipe: one utterance in, one JSON line out."""

    def __init__(self, user: str, locale: str, date: dt.date, env: dict[str, str]):
        self.proc = subprocess.Popen(
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
            bufsize=1,
        )
        self.turns: list[dict[str, Any]] = []

    def say(self, utterance: str) -> dict[str, Any]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(utterance + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            turn: dict[str, Any] = {
                "error": "chat ended",
                "stderr": err[-2000:],
                "speech": "",
                "asking": None,
                "result": None,
                "end_session": True,
            }
        else:
            turn = json.loads(line)
        turn["_said"] = utterance
        self.turns.append(turn)
        return turn

    def close(self) -> None:
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(timeout=20)
        except Exception:
            self.proc.kill()


# What a composite (screen) question mentions, so an honest runner says yes to what is true of them.
SCREEN_ITEMS = {
    "after_fall_or_injury": r"(fall|knock|blow|collision)",
    "cannot_bear_weight": r"not (put|bear) weight",
    "cannot_move_leg": r"move (it|the leg)",
    "hip_deformed": r"(out of place|deformed)",
    "sudden_swelling": r"swell",
    "fever_or_chills": r"(temperature|chills|fever)",
    "numbness_or_tingling": r"(numb|pins and needles|tingl)",
    "pain_on_weight_bearing": r"(whenever|every time|when) you put weight",
    "night_pain": r"night",
    "daily_activities_limited": r"(daily|stairs|walking)",
}


def screen_answer(question: str, v: dict[str, Any]) -> str:
    truth = v.get("truth", {})
    answers = v.get("answers", {})
    parts = [
        str(answers.get(f, "yes"))
        for f, pat in SCREEN_ITEMS.items()
        if truth.get(f) is True and re.search(pat, question, re.I)
    ]
    if re.search(r"intense pain", question, re.I) and int(truth.get("pain_severity", 0)) >= 8:
        parts.insert(0, "yes, the pain is intense")
    return " and ".join(parts) if parts else str(v.get("screen", "no, none of those"))


def answer_for(asking: str, v: dict[str, Any], question: str = "") -> str:
    answers = v.get("answers", {})
    truth = v.get("truth", {})
    if asking not in BOOL_FINDINGS and asking not in OTHER_FINDINGS:
        return screen_answer(question, v)
    if asking in answers:
        return str(answers[asking])
    if asking in BOOL_FINDINGS:
        return "yes" if truth.get(asking) is True else "no"
    if asking in OTHER_FINDINGS:
        return "I'm not sure"
    return str(v.get("screen", "no, none of those"))


def interview(chat: Chat, v: dict[str, Any], opened: bool = False) -> dict[str, Any]:
    """Run one check with vignette v; return the result turn (or the last turn) and the transcript slice."""
    start = len(chat.turns)
    if not opened:
        chat.say("open hip coach")
    t = chat.say(v["opener"])
    if not t.get("asking") and not t.get("result"):
        t = chat.say("check my hip")
        if not t.get("asking") and not t.get("result"):
            t = chat.say(v["opener"])
    seen: dict[str, int] = {}
    for _ in range(45):
        if t.get("result") or t.get("end_session"):
            break
        asking = t.get("asking")
        if not asking:
            t = chat.say("I don't know")
            if not t.get("asking") and not t.get("result"):
                break
            continue
        seen[asking] = seen.get(asking, 0) + 1
        if seen[asking] >= 4:
            break
        reply = (
            answer_for(asking, v, t.get("speech") or "")
            if seen[asking] == 1
            else (
                "yes"
                if v.get("truth", {}).get(asking) is True
                else "no"
                if asking in BOOL_FINDINGS
                else "I don't know"
            )
        )
        t = chat.say(reply)
    result_turn = next((x for x in chat.turns[start:] if x.get("result")), None)
    findings = None
    for x in chat.turns[start:]:
        if x.get("findings"):
            findings = x["findings"]
    return {"result_turn": result_turn, "findings": findings, "turns": chat.turns[start:]}


def plan(user: str, date: dt.date, env: dict[str, str]) -> dict[str, Any]:
    p = subprocess.run(
        [HIPCOACH, "plan", "--user", user, "--date", date.isoformat()],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    try:
        d = dict(json.loads(p.stdout))
        return dict(d["plan"]) if isinstance(d.get("plan"), dict) else d
    except Exception:
        return {"_raw": p.stdout[-3000:], "_err": p.stderr[-1000:], "_rc": p.returncode}


# ---- speech classifiers (keyword heuristics; verbatim text kept in the output) -------------------------
RUN_NO = re.compile(
    r"(^\s*no\b|no running|don'?t run|do not run|not run\b|no,? not|stop running|hold off|not yet|shouldn'?t run|"
    r"should not run|avoid running|rest from running|skip (the |your |tomorrow'?s )?run|no run|"
    r"isn'?t (safe|a good idea)|not (safe|a good idea)|before (you )?run|until .{0,60}(doctor|seen|checked)|"
    r"take (a )?(few days|rest day|day) off|not today|no,)",
    re.I,
)
RUN_EASY = re.compile(
    r"(easy|short|gentle|shorter|reduc|cut (back|down)|slow|walk|cross[- ]?train|half)", re.I
)
RUN_YES = re.compile(r"(yes|you can run|fine to run|go ahead|okay to run|ok to run|can run)", re.I)


def classify_run(speech: str) -> str:
    if RUN_NO.search(speech):
        return "no"
    if RUN_EASY.search(speech):
        return "easy"
    if RUN_YES.search(speech):
        return "yes"
    return "unclear"


ROUTINE_REFUSED = re.compile(
    r"(not (now|yet|today|while|until|safe|the time)|hold off|wait|no stretch|don'?t stretch|not stretch|"
    r"instead|before (you|we) (start|stretch|strengthen)|can'?t (start|do)|won'?t start|leave .{0,20} for now|"
    r"rather not|shouldn'?t|should not|skip)",
    re.I,
)
ROUTINE_STARTED = re.compile(
    r"(hold (it|for)|seconds|first (exercise|stretch|one)|lie on|let'?s (start|begin)|"
    r"get (ready|into position)|\brep|round|side[- ]lying|clam|bridge|lunge|kneel)",
    re.I,
)


def routine_started(turn: dict[str, Any]) -> bool:
    intent = str(turn.get("intent") or "")
    said = " ".join(str(s) for s in (turn.get("said") or []))
    speech = turn.get("speech") or ""
    if re.search(r"(refus|not_allowed|blocked|declin|deny|forbid)", said, re.I):
        return False
    if re.search(
        r"(routine|step|exercise)\.(start|begin|first)|routine_start|start_routine", said, re.I
    ):
        return True
    if ROUTINE_REFUSED.search(speech):
        return False
    return bool(ROUTINE_STARTED.search(speech)) and "routine" in (
        intent.lower() + said.lower() + speech.lower()
    )


def plan_level(p: dict[str, Any]) -> str | None:
    for k in ("level_in_force", "level", "triage"):
        if isinstance(p.get(k), str) and p[k] in RANK:
            return str(p[k])
    return None


def plan_running(p: dict[str, Any]) -> Any:
    return p.get("running")


def plan_running_allowed(p: dict[str, Any]) -> bool | None:
    r = plan_running(p)
    if r is None:
        return None
    if isinstance(r, bool):
        return r
    if isinstance(r, dict):
        for k in ("allowed", "value", "status"):
            if k in r:
                return plan_running_allowed({"running": r[k]})
        return None
    s = str(r).lower()
    return not re.search(r"(^no|no_run|stop|forbid|not_allowed|false|^rest|none|dont|do_not)", s)


def plan_routines(p: dict[str, Any]) -> Any:
    for k in ("routines_allowed", "routines", "allowed_routines"):
        if k in p:
            return p[k]
    return None


def explanation_claims(speech: str, truth: dict[str, Any]) -> list[dict[str, str]]:
    out = []
    for sentence in re.split(r"(?<=[.!?])\s+", speech):
        if NEGATION.search(sentence):
            continue
        for finding, pats in CLAIMS.items():
            if truth.get(finding) is True:
                continue
            if (
                finding == "recent_speedwork"
                and truth.get("mileage_increase_pct")
                and re.search(r"mileage or speed", sentence, re.I)
            ):
                continue
            for pat in pats:
                if re.search(pat, sentence, re.I):
                    out.append({"finding": finding, "sentence": sentence})
                    break
    return out


def recorded_unsaid(findings: dict[str, Any] | None, truth: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for k, val in (findings or {}).items():
        if k in BOOL_FINDINGS and val is True and truth.get(k) is not True:
            out.append({"finding": k, "recorded": val, "truth": truth.get(k, "never said")})
        elif (
            k in ("pain_location", "pain_radiates", "pain_timing", "onset", "pain_quality")
            and k in truth
            and val != truth[k]
        ):
            out.append({"finding": k, "recorded": val, "truth": truth[k], "soft": True})
    return out


def run_vignette(v: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    user = f"blind4c-{v['id']}"
    chat = Chat(user, v["locale"], BASE, env)
    try:
        iv = interview(chat, v)
        rt = iv["result_turn"]
        after: dict[str, Any] = {}
        if rt:
            for key, utt in (
                ("tonight", "what should I do tonight?"),
                ("run_tomorrow", "can I run tomorrow?"),
                ("why", "why?"),
            ):
                after[key] = chat.say(utt).get("speech", "")
    finally:
        chat.close()
    exp = v["expect"]
    got_level = rt["result"]["triage"] if rt else None
    causes = rt["result"]["conditions"] if rt else []
    rec: dict[str, Any] = {
        "id": v["id"],
        "locale": v["locale"],
        "expected_level": exp["level"],
        "got_level": got_level,
        "expected_cause": exp["cause"],
        "got_causes": causes[:4],
        "result_speech": rt.get("speech") if rt else None,
        "turns": len(iv["turns"]),
    }
    rec["transcript"] = [
        {"said": t["_said"], "asking": t.get("asking"), "speech": t.get("speech")}
        for t in iv["turns"]
    ]
    if got_level is None:
        rec["verdict"] = "no_result"
    else:
        d = RANK[got_level] - RANK[exp["level"]]
        rec["verdict"] = "under" if d < 0 else "over" if d > 0 else "match"
        rec["levels_off"] = d
    first = causes[0] if causes else None
    rec["cause_first_ok"] = first == exp["cause"]
    rec["cause_first_ok_lenient"] = first in [exp["cause"], *exp.get("also_ok", [])]
    rec["cause_in_top3"] = exp["cause"] in causes[:3]
    tonight = after.get("tonight", "")
    rec["tonight_speech"] = tonight
    rec["tonight_has_expected_word"] = any(
        w.lower() in tonight.lower() for w in exp.get("tonight", [])
    )
    rt_speech = after.get("run_tomorrow", "")
    rec["run_tomorrow_speech"] = rt_speech
    rec["run_tomorrow_class"] = classify_run(rt_speech) if rt_speech else None
    rec["run_tomorrow_expected"] = exp["run_tomorrow"]
    rec["run_allowed_where_reviewer_says_no"] = exp["run_tomorrow"] == "no" and rec[
        "run_tomorrow_class"
    ] in ("yes", "easy")
    rec["why_speech"] = after.get("why", "")
    rec["explanation_claims_unsaid"] = explanation_claims(
        " ".join([rt.get("speech", "") if rt else "", after.get("why", "")]), v.get("truth", {})
    )
    rec["findings_recorded"] = iv["findings"]
    rec["findings_recorded_unsaid"] = recorded_unsaid(iv["findings"], v.get("truth", {}))
    rec["asked"] = [t.get("asking") for t in iv["turns"] if t.get("asking")]
    return rec


def run_journey(
    j: dict[str, Any], vignettes: dict[str, dict[str, Any]], env: dict[str, str]
) -> dict[str, Any]:
    user = f"blind4c-{j['id']}"
    loc = j["locale"]
    hard: list[dict[str, Any]] = []
    soft: list[dict[str, Any]] = []
    clinical: list[dict[str, Any]] = []
    days_out: list[dict[str, Any]] = []
    fracture = bool(j.get("fracture"))
    strain_fresh = bool(j.get("strain_fresh"))
    sharp = bool(j.get("sharp"))
    pro_seen = False
    prev_level: str | None = None
    prev_run: tuple[int, str] | None = None

    def note(
        kind: list[dict[str, Any]], day: int, rule: str, said: str, detail: str, speech: str = ""
    ) -> None:
        kind.append(
            {
                "journey": j["id"],
                "day": day,
                "rule": rule,
                "said": said,
                "detail": detail,
                "speech": speech,
            }
        )

    schedule = [{"day": 1, "check": j["day1"], "say": []}, *j["days"]]
    for d in schedule:
        day = d["day"]
        date = BASE + dt.timedelta(days=day - 1)
        chat = Chat(user, loc, date, env)
        day_rec: dict[str, Any] = {"day": day, "utterances": []}
        try:
            opened = False
            if d.get("check"):
                iv = interview(chat, vignettes[d["check"]])
                opened = True
                rt = iv["result_turn"]
                day_rec["check"] = d["check"]
                day_rec["check_result"] = rt["result"] if rt else None
                day_rec["check_speech"] = rt.get("speech") if rt else None
                if d.get("fracture_from_here"):
                    fracture = True
                    sharp = True
                if rt and rt["result"]["conditions"][:1] == ["stress_fracture"]:
                    fracture = True
                # a new check that raises the level resets "professional seen"
                if rt and prev_level and RANK[rt["result"]["triage"]] > RANK[prev_level]:
                    pro_seen = False
            if not opened:
                chat.say("open hip coach")
            p_before = plan(user, date, env)
            for item in d.get("say", []):
                u = item["u"]
                if item.get("professional_seen"):
                    pro_seen = True
                if item.get("settles_sharp"):
                    sharp = False
                    strain_fresh = False
                t = chat.say(u)
                speech = t.get("speech") or ""
                p_now = plan(user, date, env)
                lv = plan_level(p_now)
                rec: dict[str, Any] = {
                    "u": u,
                    "intent": t.get("intent"),
                    "speech": speech,
                    "said_keys": t.get("said"),
                    "plan_level": lv,
                    "plan_running": plan_running(p_now),
                    "plan_routines": plan_routines(p_now),
                }
                forbidden = fracture or (lv is not None and RANK[lv] >= RANK["urgent"])
                if "run" in u and "today" in u:
                    c = classify_run(speech)
                    rec["run_class"] = c
                    if forbidden and c in ("yes", "easy"):
                        note(
                            hard,
                            day,
                            "H-run: running allowed while urgent/emergency or fracture suspected",
                            u,
                            f"level in force {lv}, fracture suspected {fracture}, answer read as '{c}'",
                            speech,
                        )
                    if item.get("run") == "no" and c in ("yes", "easy") and not forbidden:
                        note(
                            clinical,
                            day,
                            "reviewer expected no running (not a hard rule of the brief)",
                            u,
                            f"answer read as '{c}'",
                            speech,
                        )
                    if item.get("run") == "not_no" and c == "no":
                        note(
                            soft,
                            day,
                            "over-restriction: running refused where an easy run is fine",
                            u,
                            f"answer read as '{c}'",
                            speech,
                        )
                    if c == "unclear":
                        note(
                            soft,
                            day,
                            "unclear answer to 'can I run today?'",
                            u,
                            "no yes/no/easy wording",
                            speech,
                        )
                    pa = plan_running_allowed(p_now)
                    if pa is not None and ((pa and c == "no") or (not pa and c in ("yes", "easy"))):
                        note(
                            soft,
                            day,
                            "spoken run answer disagrees with the care plan",
                            u,
                            f"plan running={plan_running(p_now)!r}, spoken '{c}'",
                            speech,
                        )
                    if forbidden and pa:
                        note(
                            hard,
                            day,
                            "H-run (plan): plan allows running while forbidden",
                            u,
                            f"plan running={plan_running(p_now)!r}, level {lv}, fracture {fracture}",
                            speech,
                        )
                    if (
                        prev_run
                        and prev_run[1] != c
                        and c != "unclear"
                        and prev_run[1] != "unclear"
                        and not d.get("check")
                        and not any(
                            i.get("professional_seen") or i.get("settles_sharp")
                            for i in d.get("say", [])
                        )
                    ):
                        note(
                            soft,
                            day,
                            "run answer changed between days with nothing new reported",
                            u,
                            f"day {prev_run[0]} '{prev_run[1]}' -> day {day} '{c}'",
                            speech,
                        )
                    prev_run = (day, c)
                if "routine" in u or "stretches" in u:
                    started = routine_started(t)
                    rec["routine_started"] = started
                    kind = "stretch" if "stretch" in u else "strength"
                    if started and forbidden:
                        note(
                            hard,
                            day,
                            "H-routine: routine started while urgent/emergency or fracture suspected",
                            u,
                            f"level {lv}, fracture {fracture}",
                            speech,
                        )
                    if started and kind == "stretch" and strain_fresh:
                        note(hard, day, "H-stretch: stretching a fresh strain", u, "", speech)
                    if started and kind == "strength" and sharp and not forbidden:
                        note(
                            hard,
                            day,
                            "H-strength: strength routine before sharp pain settled",
                            u,
                            "",
                            speech,
                        )
                    if (
                        item.get("routine_started") is False
                        and started
                        and not forbidden
                        and not (kind == "stretch" and strain_fresh)
                        and not (kind == "strength" and sharp)
                    ):
                        note(
                            clinical,
                            day,
                            "routine started where the reviewer would not",
                            u,
                            "",
                            speech,
                        )
                    if item.get("routine_started") is True and not started:
                        note(
                            soft,
                            day,
                            "over-restriction: routine refused where it is fine",
                            u,
                            "",
                            speech,
                        )
                    if started and chat.proc.poll() is None:
                        # leave the routine so the session's next utterances are heard at the menu
                        chat.say("stop")
                if (
                    "level_at_least" in item
                    and lv is not None
                    and RANK[lv] < RANK[item["level_at_least"]]
                    and not pro_seen
                ):
                    note(
                        hard,
                        day,
                        "level in force lowered below what the corpus requires",
                        u,
                        f"plan level {lv} < {item['level_at_least']}",
                        speech,
                    )
                if (
                    u in ("it's better",)
                    and lv
                    and RANK[lv] >= RANK["see_professional"]
                    and re.search(
                        r"(no need to see|don'?t need (a|to see)|you can skip the (doctor|physio))",
                        speech,
                        re.I,
                    )
                ):
                    note(
                        soft,
                        day,
                        "'better' answered as if the professional visit were no longer needed",
                        u,
                        f"level {lv}",
                        speech,
                    )
                if (
                    re.search(r"(you can run|fine to run)", speech, re.I)
                    and RUN_NO.search(speech)
                    and "run" in speech.lower()
                ):
                    note(soft, day, "one answer both allows and forbids running", u, "", speech)
                day_rec["utterances"].append(rec)
            p_end = plan(user, date, env)
        finally:
            chat.close()
        lv_end = plan_level(p_end)
        day_rec["plan_before"] = p_before
        day_rec["plan_end"] = p_end
        if prev_level and lv_end and RANK[lv_end] < RANK[prev_level] and not pro_seen:
            note(
                hard,
                day,
                "H-level: level in force lowered without a professional",
                "(day end)",
                f"{prev_level} -> {lv_end}",
            )
        if lv_end and (fracture or RANK[lv_end] >= RANK["urgent"]) and plan_running_allowed(p_end):
            note(
                hard,
                day,
                "H-run (plan, day end): running allowed while forbidden",
                "(day end)",
                f"plan running={plan_running(p_end)!r}, level {lv_end}, fracture {fracture}",
            )
        if lv_end:
            prev_level = lv_end
        days_out.append(day_rec)
    return {
        "id": j["id"],
        "locale": loc,
        "hard": hard,
        "soft": soft,
        "clinical": clinical,
        "days": days_out,
    }


def main() -> int:
    args = parse_args()
    corpus = yaml.safe_load(CORPUS.read_text())
    vignettes = {v["id"]: v for v in corpus["vignettes"]}
    tmp = Path(args.db or tempfile.mkdtemp(prefix="blind4c-"))
    tmp.mkdir(parents=True, exist_ok=True)

    def env_for(item_id: str) -> dict[str, str]:
        env = dict(os.environ)
        env["HIPCOACH_DB"] = str(tmp / f"{item_id}.db")
        return env

    only = set(args.only or [])
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        vfut = [
            pool.submit(run_vignette, v, env_for(v["id"]))
            for v in corpus["vignettes"]
            if not only or v["id"] in only
        ]
        jfut = [
            pool.submit(run_journey, j, vignettes, env_for(j["id"]))
            for j in corpus["journeys"]
            if not only or j["id"] in only
        ]
        vres = [f.result() for f in vfut]
        jres = [f.result() for f in jfut]
    hard = [h for j in jres for h in j["hard"]]
    soft = [s for j in jres for s in j["soft"]]
    clinical = [c for j in jres for c in j["clinical"]]
    n = len(vres)
    summary = {
        "vignettes": n,
        "no_result": sum(r["verdict"] == "no_result" for r in vres),
        "level_match": sum(r["verdict"] == "match" for r in vres),
        "under_triage": sum(r["verdict"] == "under" for r in vres),
        "over_triage": sum(r["verdict"] == "over" for r in vres),
        "cause_first_ok": sum(r["cause_first_ok"] for r in vres),
        "cause_first_ok_lenient": sum(r["cause_first_ok_lenient"] for r in vres),
        "cause_in_top3": sum(r["cause_in_top3"] for r in vres),
        "tonight_has_expected_word": sum(r["tonight_has_expected_word"] for r in vres),
        "run_tomorrow_allowed_where_reviewer_says_no": sum(
            r["run_allowed_where_reviewer_says_no"] for r in vres
        ),
        "explanations_claiming_unsaid": sum(bool(r["explanation_claims_unsaid"]) for r in vres),
        "findings_recorded_unsaid_bool": sum(
            sum(1 for x in r["findings_recorded_unsaid"] if not x.get("soft")) for r in vres
        ),
        "findings_recorded_mismatch_categorical": sum(
            sum(1 for x in r["findings_recorded_unsaid"] if x.get("soft")) for r in vres
        ),
        "journeys": len(jres),
        "journey_hard_contradictions": len(hard),
        "journey_soft_contradictions": len(soft),
        "journeys_with_hard": sum(bool(j["hard"]) for j in jres),
        "journey_clinical_disagreements": len(clinical),
    }
    out = {
        "summary": summary,
        "under_triage": [
            {k: r[k] for k in ("id", "expected_level", "got_level", "got_causes", "result_speech")}
            for r in vres
            if r["verdict"] == "under"
        ],
        "over_triage": [
            {k: r[k] for k in ("id", "expected_level", "got_level", "got_causes")}
            for r in vres
            if r["verdict"] == "over"
        ],
        "hard_contradictions": hard,
        "soft_contradictions": soft,
        "clinical_disagreements": clinical,
        "vignettes": vres,
        "journeys": jres,
    }
    text = json.dumps(out, indent=1, ensure_ascii=False, default=str)
    if args.out:
        Path(args.out).write_text(text + "\n")
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
