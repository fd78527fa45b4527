#!/usr/bin/env python3
"""Blind tester 8 driver: plays the runners, questions, journeys and routine sessions of
tests/corpora/blind8_runners.yaml against `hipcoach chat --json` and prints a JSON summary.

Usage (from the root of the checkout to score):
    python3 /path/to/blind8_driver.py --out /tmp/b8.json --jobs 6 --db-dir /tmp/b8
Options: --corpus FILE (default: the YAML beside this script's repo), --hipcoach PATH (default:
<repo of the current directory>/.venv/bin/hipcoach), --only ID[,ID...] (debug a few units).
Only the public contracts are used: the chat --json line format of /work/shared/DESIGN.md.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.normpath(os.path.join(HERE, "..", "corpora", "blind8_runners.yaml"))
LEVELS = ["self_care", "see_professional", "urgent", "emergency"]
DAY1 = "2026-12-01"
TURN_TIMEOUT = 60.0
MAX_TURNS = 45

VOCAB = {
    "pain_location": "enum",
    "pain_radiates": "enum",
    "pain_timing": "enum",
    "onset": "enum",
    "pain_quality": "enum",
    "pain_severity": "num",
    "pain_days": "num",
    "worse_lying_on_side": "bool",
    "tender_outer_hip": "bool",
    "pain_on_weight_bearing": "bool",
    "pain_lifting_leg": "bool",
    "clicking": "bool",
    "locking_or_catching": "bool",
    "giving_way": "bool",
    "stiffness": "bool",
    "eases_with_rest": "bool",
    "worsening": "bool",
    "recurrent": "bool",
    "daily_activities_limited": "bool",
    "night_pain": "bool",
    "numbness_or_tingling": "bool",
    "cannot_bear_weight": "bool",
    "cannot_move_leg": "bool",
    "hip_deformed": "bool",
    "sudden_swelling": "bool",
    "fever_or_chills": "bool",
    "after_fall_or_injury": "bool",
    "mileage_increase_pct": "num",
    "recent_speedwork": "bool",
    "downhill_running": "bool",
    "shoe_miles": "num",
    "one_side_weaker": "bool",
}

# Used only when the coach asks about something whose id is not a contract finding (a composite
# screen) or gives no id: guess the topic from the spoken question, as a listener would.
TOPIC_WORDS = [
    (
        "red_flag_screen",
        r"fever|chills|deformed|out of place|bear weight|put weight|move (your|the) leg|any of (these|the following)",
    ),
    ("pain_severity", r"scale|out of ten|zero to ten|0 to 10|how bad|how severe"),
    ("pain_days", r"how long|how many days|when did (it|this|the pain) start"),
    ("pain_location", r"where"),
    ("onset", r"sudden|gradual|how did it start|come on"),
    ("pain_quality", r"feel like|sharp|dull|burning"),
    ("pain_timing", r"when does it hurt|during|after (your|a) run"),
    ("pain_radiates", r"spread|radiat|travel"),
    ("worse_lying_on_side", r"lying|lie on"),
    ("tender_outer_hip", r"press|tender|touch"),
    ("mileage_increase_pct", r"mileage|distance|miles .* week|percent"),
    ("shoe_miles", r"shoe|trainers"),
    ("downhill_running", r"downhill"),
    ("clicking", r"click|pop"),
]

EMERGENCY_WORDS = [
    "911",
    "999",
    "112",
    "emergency services",
    "emergency department",
    "emergency room",
    "a&e",
    "a and e",
    "ambulance",
    "call an emergency",
    "this is an emergency",
    "emergency",
]
NOT_UNDERSTOOD = re.compile(
    r"didn'?t (quite )?(catch|understand|get) that|say that again|"
    r"could you repeat|can you repeat|sorry, i didn'?t|i missed that|"
    r"not sure i understood|i didn'?t understand",
    re.I,
)
NUM_WORD = (
    r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|a|a few|half a)"
)
TIME_LEFT = re.compile(NUM_WORD + r"\b[^.]{0,20}\b(minute|second|exercise|stretch|more|left)", re.I)


def say_has(text: str, words) -> bool:
    t = (text or "").lower()
    nums = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", t)]
    for w in words or []:
        w = w.lower()
        # driver fix 10: a distance said in kilometres (en-GB) matches the same distance in miles
        if re.fullmatch(r"\d{3,}", w) and any(
            abs(n - float(w) * 1.609) <= 0.1 * float(w) * 1.609 for n in nums
        ):
            return True
        if len(w) <= 3 and re.match(r"^[\w&]+$", w):
            if re.search(r"(?<![\w&])" + re.escape(w) + r"(?![\w&])", t):
                return True
        elif w in t:
            return True
    return False


def find_repo_root(start: str) -> str:
    try:
        return subprocess.check_output(
            ["git", "rev-parse", "--show-toplevel"], cwd=start, text=True, stderr=subprocess.DEVNULL
        ).strip()
    except Exception:
        return start


class Chat:
    """One `hipcoach chat --json` process: one utterance per line in, one JSON line out."""

    def __init__(self, exe, db, user, locale, date):
        env = dict(os.environ, HIPCOACH_DB=db)
        self.proc = subprocess.Popen(
            [exe, "chat", "--json", "--user", user, "--locale", locale, "--date", date],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            bufsize=1,
        )
        self.q: queue.Queue = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()
        threading.Thread(target=self._pump_err, daemon=True).start()
        self.transcript: list[dict] = []
        self.ended = False

    def _pump(self):
        for line in self.proc.stdout:
            self.q.put(line)
        self.q.put(None)

    def _pump_err(self):
        for line in self.proc.stderr:
            self.stderr.append(line)

    def send(self, text: str) -> dict:
        if self.ended and text != "open hip coach":
            self.send("open hip coach")
        try:
            self.proc.stdin.write(text + "\n")
            self.proc.stdin.flush()
        except Exception as exc:  # process died
            r = {"error": f"write failed: {exc}", "speech": "", "stderr": "".join(self.stderr[-5:])}
            self.transcript.append({"said": text, "reply": r})
            return r
        deadline = time.time() + TURN_TIMEOUT
        r = None
        while time.time() < deadline:
            try:
                line = self.q.get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                break
            if line is None:
                r = {"error": "process ended", "speech": "", "stderr": "".join(self.stderr[-5:])}
                break
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                r = json.loads(line)
                break
            except json.JSONDecodeError:
                continue
        if r is None:
            r = {"error": "timeout", "speech": ""}
        r.setdefault("speech", "")
        if r.get("speech") is None:
            r["speech"] = ""
        self.ended = bool(r.get("end_session"))
        self.transcript.append(
            {
                "said": text,
                "reply": {
                    k: r.get(k)
                    for k in (
                        "intent",
                        "slots",
                        "speech",
                        "asking",
                        "result",
                        "findings",
                        "end_session",
                        "error",
                    )
                },
            }
        )
        return r

    def close(self):
        try:
            self.proc.stdin.close()
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def new_chat(ctx, user, locale, date, fresh=False):
    db = os.path.join(ctx["db_dir"], f"{user}.db")
    if fresh:
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.remove(db + suffix)
            except FileNotFoundError:
                pass
    return Chat(ctx["exe"], db, user, locale, date)


# ------------------------------------------------------------------------------------------ runner
def topic_for(asking, speech):
    if asking in VOCAB:
        return asking
    s = (speech or "").lower()
    # driver fix 5: a question naming several signs, or a *_screen id, is a composite screen
    if (asking and "screen" in asking) or sum(bool(re.search(p, s)) for _, p in SCREEN_SIGNS) >= 2:
        return "red_flag_screen"
    for topic, pat in TOPIC_WORDS:
        if re.search(pat, s):
            return topic
    return asking or "unknown"


EMERGENCY_FLAGS = ("cannot_move_leg", "hip_deformed", "fever_or_chills", "cannot_bear_weight")

# driver fix 3: a composite "any of these" screen is answered by what the runner truly has among
# the signs the question names, in the runner's own words (their answer on that topic).
SCREEN_SIGNS = [
    ("after_fall_or_injury", r"fall|blow|knock|collision"),
    ("cannot_bear_weight", r"put weight|bear weight|stand on (it|the leg)"),
    ("cannot_move_leg", r"move (it|the leg|your leg)"),
    ("hip_deformed", r"out of place|deformed"),
    ("sudden_swelling", r"swell"),
    ("fever_or_chills", r"temperature|fever|chill|unwell"),
    ("numbness_or_tingling", r"numb|pins and needles|tingl"),
    (
        "pain_on_weight_bearing",
        r"sharp pain (whenever|when|every time) you (stand|put weight)|sharp pain when you stand",
    ),
    ("night_pain", r"night"),
    ("worsening", r"getting worse|worse (run|over|each)"),
    ("recurrent", r"coming back|recurr|keeps? com"),
    ("daily_activities_limited", r"walking|stairs|daily"),
    ("giving_way", r"give way|gives way|unstable|weakens"),
]


def screen_hits(runner, speech):
    truth = runner.get("truth", {})
    s = (speech or "").lower()
    return [k for k, pat in SCREEN_SIGNS if truth.get(k) is True and re.search(pat, s)]


def screen_reveals(runner, speech):
    return bool(screen_hits(runner, speech))


def screen_answer(runner, speech, n):
    hits = screen_hits(runner, speech)
    answers = runner.get("answers", {})
    if not hits:
        opts = runner["no"]
        return opts[min(n, len(opts) - 1)]
    said = [answers[k][min(n, len(answers[k]) - 1)] for k in hits if k in answers][:2]
    if said:
        return " and ".join(said)
    opts = answers.get("red_flag_screen") or ["yes"]
    return opts[min(n, len(opts) - 1)]


def answer_for(runner, topic, n, speech=""):
    answers = runner.get("answers", {})
    truth = runner.get("truth", {})
    if topic == "red_flag_screen":
        return screen_answer(runner, speech, n)
    if topic in answers:
        opts = answers[topic]
        return opts[min(n, len(opts) - 1)]
    kind = VOCAB.get(topic)
    if kind == "bool" or topic in ("red_flag_screen", "unknown") or topic not in VOCAB:
        if kind == "bool" and truth.get(topic) is True:
            return "yes"
        # driver fix 6: an unnamed yes/no sign the runner does not have is answered "no"
        opts = runner["no"]
        return opts[min(n, len(opts) - 1)]
    opts = runner["dont_know"]
    return opts[min(n, len(opts) - 1)]


def level_of(reply):
    res = reply.get("result") or {}
    return res.get("triage")


def told_emergency(reply):
    return (
        level_of(reply) == "emergency"
        or say_has(reply.get("speech"), EMERGENCY_WORDS[:-1])
        or re.search(r"\bemergency\b", (reply.get("speech") or "").lower()) is not None
    )


def run_interview(chat, runner, log):
    """Plays a runner's whole check. Returns a dict of observations."""
    obs = {
        "answer_turns": 0,
        "not_understood": 0,
        "result": None,
        "findings": None,
        "emergency_turn_ok": None,
        "dont_know_topics": [],
        "stuck": False,
        "errors": 0,
        "told_emergency_anywhere": False,
        "mid_question_changed_findings": None,
    }
    counts: dict = {}
    said_topics: list = []
    em_on = runner.get("emergency_on")
    em_said = False

    def note(reply):
        if reply.get("error"):
            obs["errors"] += 1
        if reply.get("findings"):
            obs["findings"] = reply["findings"]
        if reply.get("result"):
            obs["result"] = reply["result"]
            if reply.get("findings"):
                obs["findings"] = reply["findings"]
        if told_emergency(reply):
            obs["told_emergency_anywhere"] = True

    chat.send("open hip coach")
    r = chat.send(runner["opening"])
    note(r)
    if em_on == "opening":
        em_said = True
        obs["emergency_turn_ok"] = told_emergency(r)
        obs["em_turn_index"] = len(chat.transcript)
        obs["emergency_within_2"] = told_emergency(r)
    nudged = False
    mid = runner.get("mid_question")
    mid_done = False
    last_asking, same = None, 0
    for _ in range(MAX_TURNS):
        if r.get("error") or r.get("result") or r.get("end_session"):
            break
        asking = r.get("asking")
        if asking is None and not r.get("findings"):
            if nudged:
                break
            nudged = True
            obs["opening_not_taken"] = True
            r = chat.send("I want to check my hip pain")
            note(r)
            continue
        if mid and not mid_done and obs["answer_turns"] >= mid["after"]:
            mid_done = True
            before = dict(r.get("findings") or {})
            r2 = chat.send(mid["text"])
            note(r2)
            after = r2.get("findings")
            obs["mid_question_changed_findings"] = bool(
                after is not None and after != before and not r2.get("result")
            )
            r = r2
            continue
        if asking == last_asking:
            same += 1
            if same >= 4:
                obs["stuck"] = True
                break
        else:
            last_asking, same = asking, 0
        topic = topic_for(asking, r.get("speech"))
        key = (
            topic if (asking in VOCAB or not asking) else asking
        )  # driver fix 4: count per screen id
        n = counts.get(key, 0)
        counts[key] = n + 1
        utter = answer_for(runner, topic, n, r.get("speech"))
        if utter in runner["dont_know"]:
            obs["dont_know_topics"].append(topic)
        r_next = chat.send(utter)
        note(r_next)
        obs["answer_turns"] += 1
        said_topics.append(topic)
        nu = bool(NOT_UNDERSTOOD.search(r_next.get("speech") or "")) or (
            asking is not None and r_next.get("asking") == asking and not r_next.get("result")
        )
        if nu:
            obs["not_understood"] += 1
        chat.transcript[-1]["topic"] = topic
        chat.transcript[-1]["not_understood"] = nu
        carries = topic == em_on or (
            topic == "red_flag_screen"
            and any(k in screen_hits(runner, r.get("speech")) for k in EMERGENCY_FLAGS)
        )
        if em_on and em_on != "opening" and carries and not em_said:
            em_said = True
            obs["emergency_turn_ok"] = told_emergency(r_next)
            obs["em_turn_index"] = len(chat.transcript)
        if (
            obs.get("em_turn_index")
            and len(chat.transcript) <= obs["em_turn_index"] + 1
            and told_emergency(r_next)
        ):
            obs["emergency_within_2"] = True
        r = r_next
    if em_on and not em_said:
        # the coach never asked the topic: the runner volunteers it at the end, as people do
        obs["emergency_volunteered_late"] = True
        rr = chat.send("oh and one more thing, " + runner["answers"][em_on][0])
        note(rr)
        obs["emergency_turn_ok"] = told_emergency(rr)
        obs["emergency_within_2"] = told_emergency(rr)
    return obs


def close_num(key, want, got):
    try:
        got = float(got)
    except (TypeError, ValueError):
        return False
    want = float(want)
    if key == "pain_days":
        return abs(got - want) <= max(1.0, 0.2 * want)
    if key == "pain_severity":
        return abs(got - want) <= 0.5
    if key == "mileage_increase_pct":
        return abs(got - want) <= 5
    return abs(got - want) <= max(10.0, 0.1 * want)


def compare_findings(truth, stored, dont_know_topics):
    wrong, checked = [], 0
    for k, v in (stored or {}).items():
        if k not in VOCAB:
            continue
        checked += 1
        kind = VOCAB[k]
        if k in truth:
            want = truth[k]
            ok = close_num(k, want, v) if kind == "num" else (v == want)
        elif kind == "bool":
            ok = v is False
        elif k == "pain_radiates":
            ok = v == "none"
        else:
            ok = False  # the runner never gave this value (or said they didn't know)
        if not ok:
            wrong.append({"finding": k, "stored": v, "true": truth.get(k)})
    return wrong, checked


def score_runner(runner, obs):
    s = {"id": runner["id"]}
    res = obs["result"] or {}
    lvl = res.get("triage")
    if lvl is None and obs["told_emergency_anywhere"]:
        lvl = "emergency"
    s["level"] = lvl
    lo, hi = runner["level"]
    if lvl in LEVELS:
        s["under_triage"] = LEVELS.index(lvl) < LEVELS.index(lo)
        s["over_triage"] = LEVELS.index(lvl) > LEVELS.index(hi)
    else:
        s["under_triage"] = True  # no level told at all
        s["over_triage"] = False
        s["no_result"] = True
    conds = res.get("conditions") or []
    first = conds[0] if conds else None
    if isinstance(first, dict):
        first = first.get("id")
    s["first_cause"] = first
    if runner.get("cause"):
        s["cause_ok"] = first in runner["cause"]
    wrong, checked = compare_findings(
        runner.get("truth", {}), obs["findings"], obs["dont_know_topics"]
    )
    s["wrong_values"] = wrong
    s["values_checked"] = checked
    s["answer_turns"] = obs["answer_turns"]
    s["not_understood"] = obs["not_understood"]
    if runner.get("emergency_on"):
        s["emergency_turn_ok"] = bool(obs["emergency_turn_ok"])
        s["emergency_within_2_turns"] = bool(obs.get("emergency_within_2"))
    for k in (
        "stuck",
        "errors",
        "opening_not_taken",
        "emergency_volunteered_late",
        "mid_question_changed_findings",
    ):
        if obs.get(k):
            s[k] = obs[k]
    return s


def unit_runner(ctx, runner, user=None, keep_open=False):
    user = user or runner["id"]
    chat = new_chat(ctx, user, runner["locale"], DAY1, fresh=True)
    try:
        obs = run_interview(chat, runner, None)
    finally:
        if not keep_open:
            chat.close()
    return chat, obs


# --------------------------------------------------------------------------------------- questions
# The runners a question's context is set up with: the corpus may name them (question_setup:
# {after_result: id, mid_check: id}); else blind8's own runners; else the first runner whose check
# is a calm one (no emergency sign, self care allowed), so any corpus can carry questions.
_BLIND8_SETUP = {"after_result": "b8r23", "mid_check": "b8r17"}


def setup_runner(ctx, context):
    if context == "menu":
        return None
    named = (ctx.get("question_setup") or {}).get(context)
    if named:
        return named
    runners = ctx["runners"]
    if _BLIND8_SETUP[context] in runners:
        return _BLIND8_SETUP[context]
    for rid, runner in runners.items():
        if (
            not runner.get("emergency_on")
            and (runner.get("level") or ["self_care"])[0] == "self_care"
        ):
            return rid
    return next(iter(runners))


def unit_question(ctx, q):
    runners = ctx["runners"]
    user = "b8" + q["id"]
    setup = setup_runner(ctx, q["context"])
    chat = new_chat(ctx, user, q["locale"], DAY1, fresh=True)
    out = {"id": q["id"], "context": q["context"], "kind": q["kind"]}
    try:
        if q["context"] == "menu":
            prev = chat.send("open hip coach")
        elif q["context"] == "after_result":
            base = dict(runners[setup], locale=q["locale"])
            base.pop("mid_question", None)
            base.pop("emergency_on", None)
            obs = run_interview(chat, base, None)
            out["setup_result"] = bool(obs["result"])
            prev = chat.transcript[-1]["reply"]
        else:
            base = runners[setup]
            chat.send("open hip coach")
            prev = chat.send(base["opening"])
            for _ in range(2):
                if prev.get("result") or prev.get("end_session") or not prev.get("asking"):
                    break
                topic = topic_for(prev.get("asking"), prev.get("speech"))
                prev = chat.send(answer_for(base, topic, 0, prev.get("speech")))
        before = prev.get("findings")
        r = chat.send(q["text"])
        speech = r.get("speech") or ""
        exp = q.get("expect", {})
        out["content_ok"] = say_has(speech, exp.get("any_of")) if exp.get("any_of") else True
        out["never_hit"] = say_has(speech, exp.get("never"))
        after = r.get("findings")
        if q["context"] == "mid_check":
            out["recorded_finding"] = bool(
                after is not None and before is not None and after != before
            )
            out["started_check"] = False
            out["check_lost"] = not (r.get("asking") or r.get("findings"))
        else:
            # driver fix 11: an empty findings dict ({}) already means a check is running
            out["started_check"] = bool(
                r.get("asking") in VOCAB
                or (after is not None and before is None)
                or r.get("result")
            )
            out["recorded_finding"] = bool(after and after != (before or {}))
        out["not_understood"] = bool(NOT_UNDERSTOOD.search(speech))
        out["right"] = (
            out["content_ok"]
            and not out["never_hit"]
            and not out["started_check"]
            and not out["recorded_finding"]
            and not out["not_understood"]
        )
        out["error"] = r.get("error")
    finally:
        chat.close()
        out["transcript"] = chat.transcript
    return out


# ---------------------------------------------------------------------------------------- journeys
def unit_journey(ctx, j):
    runners = ctx["runners"]
    base = dict(runners[j["day1"]])
    base["locale"] = j["locale"]
    user = "b8" + j["id"]
    chat, obs = unit_runner(ctx, base, user=user)
    out = {
        "id": j["id"],
        "day1": score_runner(base, obs),
        "steps": [],
        "transcripts": [chat.transcript],
    }
    for st in j["steps"]:
        c = new_chat(ctx, user, j["locale"], str(st["date"]))  # driver fix 8: YAML dates
        try:
            c.send("open hip coach")
            r = c.send(st["say"])
            speech = r.get("speech") or ""
            hit_never = say_has(speech, st.get("never"))
            ok_any = say_has(speech, st.get("any_of")) if st.get("any_of") else True
            safety = st.get("safety", False)
            if hit_never or (safety and not ok_any):
                verdict = "hard"
            elif not ok_any or NOT_UNDERSTOOD.search(speech) or r.get("error"):
                verdict = "soft"
            else:
                verdict = "ok"
            out["steps"].append(
                {
                    "date": str(st["date"]),
                    "verdict": verdict,
                    "never_hit": hit_never,
                    "any_ok": ok_any,
                }
            )
        finally:
            c.close()
            out["transcripts"].append(c.transcript)
    out["right"] = all(s["verdict"] == "ok" for s in out["steps"])
    out["hard"] = sum(s["verdict"] == "hard" for s in out["steps"])
    out["soft"] = sum(s["verdict"] == "soft" for s in out["steps"])
    return out


# ---------------------------------------------------------------------------------------- routines
def words(s):
    return set(re.findall(r"[a-z']+", (s or "").lower()))


def unit_routine(ctx, rt):
    runners = ctx["runners"]
    base = dict(runners[rt["day1"]])
    base["locale"] = rt["locale"]
    user = "b8" + rt["id"]
    _, obs = unit_runner(ctx, base, user=user)
    out = {"id": rt["id"], "day1_result": bool(obs["result"]), "steps": [], "refused_on": []}
    # driver fix 7: a refusal to start is not a start.  The runner tries the day after the check;
    # if the coach declines (e.g. too soon), they come back two weeks later and try again.
    refusal = [
        "won't",
        "will not",
        "can't start",
        "cannot start",
        "not start",
        "not safe",
        "hold off",
        "not yet",
    ]
    c = None
    first_reply = None

    def starts(reply):
        sp = reply.get("speech") or ""
        return not (
            say_has(sp, refusal)
            or reply.get("end_session")
            or not say_has(sp, ["hold", "stretch", "exercise", "first", "second", "rep"])
        )

    for day in ("2026-12-02", "2026-12-15"):
        if c:
            c.close()
            out.setdefault("transcripts_refused", []).append(c.transcript)
        c = new_chat(ctx, user, rt["locale"], day)
        hello = c.send("open hip coach")
        if day != "2026-12-02" and re.search(r"better", hello.get("speech") or "", re.I):
            c.send("yes, it's much better now, hardly hurts")  # two weeks on, the runner is better
        first_reply = c.send(rt["steps"][0]["say"])
        if not starts(first_reply) and "strength" in rt["steps"][0]["say"]:
            # driver fix 9: strength declined -> the runner asks for the stretches instead
            first_reply = c.send("okay then, start my stretches")
            out.setdefault("fell_back_to_stretches", []).append(day)
        if not starts(first_reply):
            out["refused_on"].append(day)
            continue
        out["started_on"] = day
        break
    last_ex = ""
    try:
        for i, st in enumerate(rt["steps"]):
            r = first_reply if i == 0 else c.send(st["say"])
            sp = r.get("speech") or ""
            low = sp.lower()
            chk = st["check"]
            nu = bool(NOT_UNDERSTOOD.search(sp)) or bool(r.get("error"))
            if chk == "started":
                ok = (
                    say_has(sp, ["hold", "stretch", "exercise", "first", "second", "rep"])
                    and not r.get("end_session")
                    and not say_has(sp, refusal)
                )
                last_ex = sp
            elif chk == "paused":
                ok = "pause" in low
            elif chk == "resumed":
                ok = (
                    say_has(
                        sp, ["resum", "continu", "back", "hold", "next", "second", "let's", "carry"]
                    )
                    and "paused" not in low
                )
                last_ex = sp or last_ex
            elif chk == "skipped":
                ok = bool(sp) and (
                    say_has(sp, ["skip", "next", "moving on", "now"])
                    and words(sp) != words(last_ex)
                )
                last_ex = sp or last_ex
            elif chk == "repeated":
                a, b = words(sp), words(last_ex)
                ok = bool(a) and (len(a & b) >= 0.5 * max(1, min(len(a), len(b))) or "again" in low)
            elif chk == "time_left":
                ok = bool(TIME_LEFT.search(sp))
            elif chk == "hurts":
                ok = say_has(
                    sp,
                    [
                        "stop",
                        "gentl",
                        "ease",
                        "don't push",
                        "pain",
                        "skip",
                        "less",
                        "physio",
                        "doctor",
                    ],
                )
            elif chk == "stopped":
                ok = bool(r.get("end_session")) or say_has(
                    sp, ["stopp", "ended", "finish", "done", "well done", "good work", "bye", "ok"]
                )
            else:
                ok = False
            ok = (
                ok and not nu and bool(out.get("started_on"))
            )  # nothing is right in a routine that never started
            out["steps"].append(
                {"say": st["say"], "check": chk, "ok": ok, "untested": not out.get("started_on")}
            )
            if r.get("end_session") and chk != "stopped":
                c.ended = True
    finally:
        c.close()
        out["transcript"] = c.transcript
    out["right"] = all(s["ok"] for s in out["steps"])
    return out


# ------------------------------------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--db-dir", default="/tmp/b8")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--hipcoach", default=None)
    ap.add_argument("--only", default=None)
    a = ap.parse_args(argv)
    exe = a.hipcoach or os.path.join(find_repo_root(os.getcwd()), ".venv", "bin", "hipcoach")
    if not os.path.exists(exe):
        print(f"hipcoach not found at {exe}", file=sys.stderr)
        return 2
    os.makedirs(a.db_dir, exist_ok=True)
    corpus = yaml.safe_load(open(a.corpus))
    for r in corpus["runners"] + corpus.get("journey_runners", []):
        if False in r:  # driver fix 2: YAML 1.1 reads the key `no:` as the boolean False
            r["no"] = r.pop(False)
    runners = {r["id"]: r for r in corpus["runners"]}
    for r in corpus.get("journey_runners", []):
        runners[r["id"]] = r
    ctx = {
        "exe": exe,
        "db_dir": os.path.abspath(a.db_dir),
        "runners": runners,
        "question_setup": corpus.get("question_setup"),
    }
    only = set(a.only.split(",")) if a.only else None

    jobs = []
    for r in corpus["runners"]:
        jobs.append(("runner", r))
    for q in corpus.get("questions", []):
        jobs.append(("question", q))
    for j in corpus.get("journeys", []):
        jobs.append(("journey", j))
    for rt in corpus.get("routines", []):
        jobs.append(("routine", rt))
    if only:
        jobs = [(k, x) for k, x in jobs if x["id"] in only]

    def run(job):
        kind, item = job
        try:
            if kind == "runner":
                chat, obs = unit_runner(ctx, item)
                s = score_runner(item, obs)
                s["transcript"] = chat.transcript
                return kind, s
            if kind == "question":
                return kind, unit_question(ctx, item)
            if kind == "journey":
                return kind, unit_journey(ctx, item)
            return kind, unit_routine(ctx, item)
        except Exception as exc:  # keep going: one broken unit must not stop the run
            return kind, {"id": item["id"], "crash": repr(exc), "right": False}

    t0 = time.time()
    with ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        results = list(ex.map(run, jobs))
    by = {"runner": [], "question": [], "journey": [], "routine": []}
    for kind, res in results:
        by[kind].append(res)

    rs = [r for r in by["runner"] if "crash" not in r]
    answers = sum(r["answer_turns"] for r in rs)
    nu = sum(r["not_understood"] for r in rs)
    checked = sum(r["values_checked"] for r in rs)
    wrong = sum(len(r["wrong_values"]) for r in rs)
    em = [r for r in rs if "emergency_turn_ok" in r]
    cz = [r for r in rs if "cause_ok" in r]
    qs = by["question"]
    js = by["journey"]
    steps = [s for rt in by["routine"] for s in rt.get("steps", [])]
    jsteps = [s for j in js for s in j.get("steps", [])]
    summary = {
        "checkout": find_repo_root(os.getcwd()),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=os.getcwd()
        ).stdout.strip(),
        "seconds": round(time.time() - t0, 1),
        "runners": len(by["runner"]),
        "crashed_units": sum(1 for _, r in results if "crash" in r),
        "not_understood_pct": round(100.0 * nu / answers, 1) if answers else None,
        "not_understood": f"{nu}/{answers}",
        "wrong_values": f"{wrong}/{checked}",
        "wrong_values_pct": round(100.0 * wrong / checked, 1) if checked else None,
        "under_triage": f"{sum(r['under_triage'] for r in rs)}/{len(rs)}",
        "over_triage": f"{sum(r['over_triage'] for r in rs)}/{len(rs)}",
        "no_result": sum(1 for r in rs if r.get("no_result")),
        "emergency_on_turn": f"{sum(r['emergency_turn_ok'] for r in em)}/{len(em)}",
        "emergency_within_2_turns": f"{sum(r['emergency_within_2_turns'] for r in em)}/{len(em)}",
        "cause_first": f"{sum(r['cause_ok'] for r in cz)}/{len(cz)}",
        "stuck_runs": sum(1 for r in rs if r.get("stuck")),
        "questions_right": f"{sum(bool(q.get('right')) for q in qs)}/{len(qs)}",
        "checks_started_by_question": f"{sum(bool(q.get('started_check')) for q in qs)}/{len(qs)}",
        "findings_recorded_by_question": f"{sum(bool(q.get('recorded_finding')) for q in qs)}/{len(qs)}",
        "journeys_right": f"{sum(bool(j.get('right')) for j in js)}/{len(js)}",
        "journey_steps_hard": f"{sum(s['verdict'] == 'hard' for s in jsteps)}/{len(jsteps)}",
        "journey_steps_soft": f"{sum(s['verdict'] == 'soft' for s in jsteps)}/{len(jsteps)}",
        "routine_steps_right": f"{sum(s['ok'] for s in steps)}/{len(steps)}",
        "routine_steps_right_when_started": f"{sum(s['ok'] for s in steps if not s.get('untested'))}/{sum(not s.get('untested') for s in steps)}",
        "routines_started_day_after_check": f"{sum(r.get('started_on') == '2026-12-02' for r in by['routine'])}/{len(by['routine'])}",
        "routines_started_at_all": f"{sum(bool(r.get('started_on')) for r in by['routine'])}/{len(by['routine'])}",
        "routines_right": f"{sum(bool(r.get('right')) for r in by['routine'])}/{len(by['routine'])}",
    }
    with open(a.out, "w") as fh:
        json.dump(
            {
                "summary": summary,
                "runners": by["runner"],
                "questions": qs,
                "journeys": js,
                "routines": by["routine"],
            },
            fh,
            indent=1,
            default=str,
        )
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
