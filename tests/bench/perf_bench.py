"""Performance of the deployed skill: cold starts, warm turns, the hip rules, the Lambda package.

Everything that is "cold" runs in a fresh subprocess:

* Cold start: the deployment zip is built into a temporary folder (``lambda/build_zip.py``, a
  few seconds) and unzipped; a bare interpreter (``-I -S -B``, only that folder on ``sys.path``)
  imports ``lambda_function`` and answers its first LaunchRequest. The anchor is
  ``hello_skill.py``: a hello-world ask-sdk-core skill run from the same unzipped dependencies on
  the same interpreter. Runs alternate between the two. First as shipped: the zip carries
  checked-hash ``.pyc`` files for every module (both skills use them); ``-B`` because Lambda's
  ``/var/task`` is read-only. Then from source: the same folder with every ``__pycache__``
  removed, so each cold start compiles every module it imports (a zip built ``--no-bytecode``).
* Warm turns: one subprocess on the unzipped folder calls ``lambda_handler`` in-process with a
  LaunchRequest, an interview answer (mid-interview, session attributes carried), a question at the
  menu (the catalogue's close phrasings) and a routine step ("next" in routine mode), recorded from
  a real conversation through the same skill; the hello-world skill answers the same LaunchRequest
  in another such subprocess (``SkillBuilder.lambda_handler``: the same envelope parse, dispatch
  and serialisation as Hip Coach's handler).
* Ratios are of medians; the cold ones also in CPU time (``time.process_time`` in the child), which
  other processes on a busy machine disturb less than wall time. The load average is printed with
  the figures: above the core count, every wall-clock figure is noisy.
* Engine: the hip rulebook on one core, in a fresh subprocess of the project's venv.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
COLD_RUNS = 7
WARM_TURNS = 1000
WARM_UP = 100
ENGINE_SESSIONS = 100_000
LOAD_RUNS = 5

COLD = r"""
import sys, time
started = time.perf_counter()
cpu_started = time.process_time()
mode, folder, bench, event_file = sys.argv[1:5]
sys.path.insert(0, folder)
if mode == "hello":
    sys.path.insert(0, bench)
import json, resource
with open(event_file) as handle:
    event = json.load(handle)
if mode == "hello":
    from hello_skill import lambda_handler
else:
    from lambda_function import lambda_handler
imported = time.perf_counter()
answer = lambda_handler(event, None)
answered = time.perf_counter()
cpu_answered = time.process_time()
rusage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
hwm = rusage
with open("/proc/self/status") as status:
    for line in status:
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) / 1024
heavy = ("boto3", "botocore", "flask", "hipcoach.standin.nlu", "yaml", "forwardrules", "sqlite3")
heavy += ("logging", "pickle", "pathlib")
heavy = sorted(m for m in heavy if m in sys.modules)
print(json.dumps({
    "import_ms": (imported - started) * 1000,
    "total_ms": (answered - started) * 1000,
    "cpu_ms": (cpu_answered - cpu_started) * 1000,
    "rss_mb": hwm,
    "rusage_mb": rusage,
    "speech": answer["response"]["outputSpeech"]["ssml"],
    "heavy": heavy,
}))
"""

WARM = r"""
import sys, time
folder, events_file, turns, warm_up = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
hello_bench = sys.argv[5] if len(sys.argv) > 5 else None
sys.path.insert(0, folder)
import json
if hello_bench:
    sys.path.insert(0, hello_bench)
    from hello_skill import lambda_handler
else:
    from lambda_function import lambda_handler
with open(events_file) as handle:
    events = json.load(handle)
out = {}
for name, event in events.items():
    for _ in range(warm_up):
        answer = lambda_handler(event, None)
    samples = []
    for _ in range(turns):
        start = time.perf_counter()
        lambda_handler(event, None)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    out[name] = {
        "p50": samples[len(samples) // 2],
        "p99": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
        "max": samples[-1],
        "speech": answer["response"]["outputSpeech"]["ssml"],
    }
print(json.dumps(out))
"""

ENGINE = r"""
import json, sys, time
n_sessions, seconds = int(sys.argv[1]), float(sys.argv[2])
from hipcoach.medical.triage import rulebook
from hipcoach.medical.knowledge import knowledge

def rss_mb():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

findings = json.loads(sys.argv[3])
book = rulebook()
knowledge()

def full():
    with book.session() as session:
        session.add(dict(findings))
        result = session.result()
        result.value("triage")
        result.ranking("condition_score")
        session.next_question()

def result_only():
    with book.session() as session:
        session.add(dict(findings))
        result = session.result()
        result.value("triage")
        result.ranking("condition_score")

out = {}
for name, run in (("full", full), ("result", result_only)):
    for _ in range(300):
        run()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        run()
        count += 1
    out[name + "_per_s"] = count / (time.perf_counter() - start)
import gc
gc.collect()
before = rss_mb()
start = time.perf_counter()
for _ in range(n_sessions):
    result_only()
out["memory_s"] = time.perf_counter() - start
gc.collect()
out["rss_before"], out["rss_after"] = before, rss_mb()
print(json.dumps(out))
"""

LOAD = r"""
import json, sys, time
rules, cache = sys.argv[1], sys.argv[2] or None
import forwardrules
start = time.perf_counter()
forwardrules.load_rulebook(rules, cache_dir=cache)
print(json.dumps({"ms": (time.perf_counter() - start) * 1000}))
"""


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "HIPCOACH_"))}
    env.pop("SKILL_ID", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["HIPCOACH_ALLOW_ANY_SKILL_ID"] = "1"  # the recorded events name no real skill
    return env


def _child(args: list[str], cwd: Path | None = None, timeout: float = 180) -> dict[str, Any]:
    # the skill's log lines go to a file, as Lambda's runtime takes them: a pipe read by this busy
    # process would time how soon it is scheduled, not the skill
    with tempfile.TemporaryFile("w+") as log:
        result = subprocess.run(
            args,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            timeout=timeout,
            env=_clean_env(),
            cwd=cwd,
        )
        if result.returncode != 0:
            log.seek(0)
            raise RuntimeError(f"benchmark child failed: {log.read()[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def build_and_unzip(workdir: Path) -> tuple[Path, Path]:
    """A fresh deployment zip of the working tree, and the folder it unzips to."""
    archive = workdir / "hipcoach-lambda.zip"
    subprocess.run(
        [sys.executable, str(ROOT / "lambda" / "build_zip.py"), "--output", str(archive)],
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    folder = workdir / "task"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(folder)
    return archive, folder


def record_events() -> dict[str, dict[str, Any]]:
    """Request envelopes (as Lambda receives them) from a real conversation through the skill."""
    from hipcoach.app import build_skill
    from hipcoach.standin.envelopes import Conversation, request_timestamp, to_dict
    from hipcoach.standin.nlu import Nlu

    logging.disable(logging.WARNING)  # no persistence here: the skill says so on every turn
    skill = build_skill(None)
    nlu = Nlu("en-US")
    today = date.today()
    stamp = request_timestamp()

    def say(chat: Conversation, utterance: str | None) -> dict[str, Any]:
        envelope = (
            chat.launch(stamp)
            if utterance is None
            else chat.intent(nlu.resolve(utterance, today), stamp)
        )
        event = to_dict(envelope)
        chat.absorb(skill.invoke(request_envelope=envelope, context=None))
        return event

    interview = Conversation("en-US")
    launch = say(interview, None)
    for utterance in ("yes", "no", "no"):
        say(interview, utterance)
    answer = say(interview, "the outside of my hip")
    routine = Conversation("en-US")
    say(routine, "start the stretch routine")
    step = say(routine, "next")
    menu = Conversation("en-US")
    say(menu, None)
    question = say(menu, "can I take ibuprofen for my hip")
    logging.disable(logging.NOTSET)
    assert answer["session"]["attributes"].get("mode") == "interview", answer["session"]
    assert step["session"]["attributes"].get("mode") == "routine", step["session"]
    return {"launch": launch, "answer": answer, "question": question, "routine_next": step}


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def strip_bytecode(folder: Path) -> int:
    """Remove every __pycache__ folder: the zip as built --no-bytecode. Returns the .pyc count."""
    caches = [p for p in folder.rglob("__pycache__") if p.is_dir()]
    count = sum(1 for c in caches for _ in c.glob("*.pyc"))
    for cache in caches:
        shutil.rmtree(cache)
    return count


def cold_starts(
    folder: Path, event_file: Path, bytecode: bool, answer_file: Path | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Alternating hip / hello cold starts (and, given answer_file, a container whose first request
    is a mid-interview answer); wall_ms is the whole process, spawn to exit."""
    flags = ["-I", "-S", "-B"]
    plan = [("hip", "hip", event_file), ("hello", "hello", event_file)]
    if answer_file is not None:
        plan.append(("hip_answer", "hip", answer_file))
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in plan}
    for _ in range(COLD_RUNS):
        for name, mode, event in plan:
            start = time.perf_counter()
            out = _child(
                [sys.executable, *flags, "-c", COLD, mode, str(folder), str(HERE), str(event)],
                cwd=folder,
            )
            out["wall_ms"] = (time.perf_counter() - start) * 1000
            runs[name].append(out)
    if not bytecode:
        assert not list(folder.rglob("__pycache__")), "a cold start wrote bytecode"
    return runs


def median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def engine_figures() -> dict[str, Any]:
    findings = {
        "pain_location": "outer_hip",
        "pain_timing": "after_run",
        "onset": "gradual",
        "worse_lying_on_side": True,
        "tender_outer_hip": True,
        "pain_severity": 4,
        "pain_days": 10,
        "mileage_increase_pct": 20,
    }
    python = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
    engine = _child(  # 100,000 sessions: minutes on a busy machine
        [python, "-c", ENGINE, str(ENGINE_SESSIONS), "3", json.dumps(findings)], ROOT, timeout=900
    )
    from hipcoach.medical.knowledge import knowledge

    rules = str(knowledge().rules_dir)
    with tempfile.TemporaryDirectory(prefix="hipcoach-cache-") as cache:
        cold = [_child([python, "-c", LOAD, rules, ""], ROOT)["ms"] for _ in range(LOAD_RUNS)]
        _child([python, "-c", LOAD, rules, cache], ROOT)  # writes the validated cache
        warm = [_child([python, "-c", LOAD, rules, cache], ROOT)["ms"] for _ in range(LOAD_RUNS)]
    engine["load_cold_ms"] = statistics.median(cold)
    engine["load_cache_ms"] = statistics.median(warm)
    engine["findings"] = len(findings)
    return engine


def main(engine: bool = True) -> dict[str, Any]:
    figures: dict[str, Any] = {"load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="hipcoach-perf-") as tmp:
        workdir = Path(tmp)
        archive, folder = build_and_unzip(workdir)
        figures["zip_bytes"] = archive.stat().st_size
        figures["unpacked_bytes"] = tree_bytes(folder)
        figures["files"] = sum(1 for p in folder.rglob("*") if p.is_file())
        events = record_events()
        launch_file = workdir / "launch.json"
        launch_file.write_text(json.dumps(events["launch"]))
        answer_file = workdir / "answer.json"
        answer_file.write_text(json.dumps(events["answer"]))
        figures["cold"] = cold_starts(folder, launch_file, bytecode=True, answer_file=answer_file)
        events_file = workdir / "events.json"
        events_file.write_text(json.dumps(events))
        figures["warm"] = _child(
            [
                sys.executable,
                "-I",
                "-S",
                "-c",
                WARM,
                str(folder),
                str(events_file),
                str(WARM_TURNS),
                str(WARM_UP),
            ],
            cwd=folder,
        )
        hello_events = workdir / "hello_events.json"
        hello_events.write_text(json.dumps({"launch": events["launch"]}))
        figures["warm_hello"] = _child(
            [
                sys.executable,
                "-I",
                "-S",
                "-c",
                WARM,
                str(folder),
                str(hello_events),
                str(WARM_TURNS),
                str(WARM_UP),
                str(HERE),
            ],
            cwd=folder,
        )
        figures["pyc_files"] = strip_bytecode(folder)
        figures["source_bytes"] = tree_bytes(folder)
        figures["cold_source"] = cold_starts(
            folder, launch_file, bytecode=False, answer_file=answer_file
        )
    figures["load_after_turns"] = os.getloadavg()
    if engine:
        figures["engine"] = engine_figures()
    return figures


def run(engine: bool = True) -> Any:
    from run_all import Section

    f = main(engine)
    section = Section("Performance: cold starts, warm turns, the hip rules, the Lambda package")
    section.command = "make bench  (tests/bench/perf_bench.py)"
    cold, source = f["cold"], f["cold_source"]
    hip, hello = median(cold["hip"], "total_ms"), median(cold["hello"], "total_ms")
    section.add(
        "cold start, Hip Coach as shipped (.pyc in the zip): import handler + first LaunchRequest",
        f"{hip:.0f} ms",
    )
    section.add("cold start, hello-world ask-sdk-core skill, same", f"{hello:.0f} ms")
    section.add(
        "cold start ratio Hip Coach / hello world, as shipped", f"{hip / hello:.2f}", "≤ 1.15"
    )
    c_hip, c_hello = median(cold["hip"], "cpu_ms"), median(cold["hello"], "cpu_ms")
    section.add(
        "cold start in CPU time, Hip Coach / hello, as shipped",
        f"{c_hip:.0f} / {c_hello:.0f} ms = {c_hip / c_hello:.2f}",
        "≤ 1.15",
    )
    s_hip, s_hello = median(source["hip"], "total_ms"), median(source["hello"], "total_ms")
    section.add(
        "cold start from source (no .pyc: every module compiled), Hip Coach / hello",
        f"{s_hip:.0f} / {s_hello:.0f} ms",
    )
    section.add(
        "cold start ratio Hip Coach / hello world, from source", f"{s_hip / s_hello:.2f}", "≤ 1.3"
    )
    hip_wall, hello_wall = median(cold["hip"], "wall_ms"), median(cold["hello"], "wall_ms")
    section.add(
        "cold start as shipped, whole process (interpreter start to exit), Hip Coach / hello",
        f"{hip_wall:.0f} / {hello_wall:.0f} ms = {hip_wall / hello_wall:.2f}",
    )
    section.add(
        "of which importing `lambda_function` / `hello_skill` (as shipped)",
        f"{median(cold['hip'], 'import_ms'):.0f} / {median(cold['hello'], 'import_ms'):.0f} ms",
    )
    section.add(
        "cold start whose first request is an interview answer (the hip rules run), "
        "as shipped / from source",
        f"{median(cold['hip_answer'], 'total_ms'):.0f} / "
        f"{median(source['hip_answer'], 'total_ms'):.0f} ms",
    )
    hip_runs = cold["hip"] + cold["hip_answer"] + source["hip"] + source["hip_answer"]
    peak = max(r["rss_mb"] for r in hip_runs)
    hello_peak = max(r["rss_mb"] for r in cold["hello"] + source["hello"])
    section.add("peak memory (RSS high-water mark) of a cold start", f"{peak:.1f} MB", "< 100 MB")
    section.add("peak memory of the hello-world cold start", f"{hello_peak:.1f} MB")
    section.notes.append(
        "Peak memory is the child's VmHWM (this process image's RSS high-water mark). "
        "`getrusage(RUSAGE_SELF).ru_maxrss` in the child reads "
        f"{max(r['rusage_mb'] for r in cold['hip']):.1f} MB for both skills: Linux carries the "
        "forking parent's (this benchmark's) RSS across exec into ru_maxrss, so it measures the "
        "parent, not the function."
    )
    labels = {
        "launch": "LaunchRequest",
        "answer": "interview answer (mid-interview: understanding + one rules run)",
        "question": "question at the menu (understanding: close phrasings)",
        "routine_next": 'routine step ("next")',
    }
    hello_warm = f["warm_hello"]["launch"]["p50"]
    section.add("warm turn, hello-world LaunchRequest: p50", f"{hello_warm:.2f} ms")
    for key, label in labels.items():
        w = f["warm"][key]
        section.add(f"warm turn, {label}: p50 / p99", f"{w['p50']:.2f} / {w['p99']:.2f} ms")
    for key, label in labels.items():
        section.add(
            f"warm turn ratio Hip Coach / hello world, {label} (p50)",
            f"{f['warm'][key]['p50'] / hello_warm:.2f}",
            "≤ 1.5" if key == "launch" else "",
        )
    before, after = f["load_before"], f["load_after_turns"]
    section.add(
        "load average (1 / 5 / 15 min) before / after the cold and warm runs",
        f"{before[0]:.1f} / {before[1]:.1f} / {before[2]:.1f}; "
        f"{after[0]:.1f} / {after[1]:.1f} / {after[2]:.1f} ({os.cpu_count()} cores)",
    )
    section.add("Lambda zip size (with .pyc)", f"{f['zip_bytes'] / 1e6:.2f} MB", "< 10 MB")
    section.add(
        "Lambda package unpacked",
        f"{f['unpacked_bytes'] / 1e6:.2f} MB ({f['files']} files, of which {f['pyc_files']} .pyc; "
        f"{f['source_bytes'] / 1e6:.2f} MB without them)",
    )
    heavy = sorted({m for r in cold["hip"] for m in r["heavy"]})
    section.notes.append(
        f"Cold start: median of {COLD_RUNS} fresh `python -I -S -B` processes each, alternating, "
        "on the unzipped deployment zip built from the working tree; timed from the first line "
        "of the child script to the first answer. As shipped, the zip carries checked-hash "
        "`.pyc` files compiled by CPython 3.11 for every module (Hip Coach's and the "
        "dependencies', so the hello-world skill uses them too): Lambda's `/var/task` is "
        "read-only, so without them every cold start compiles each module it imports from "
        "source, which the from-source rows measure (the same folder, every `__pycache__` "
        "removed). The first LaunchRequest reads the validated content caches built into the zip "
        "(knowledge base, disclaimer, texts, routines; the rulebook for the hip rules). Heavy "
        f"modules loaded by the first LaunchRequest: {', '.join(heavy) or 'none'} (checked: "
        "boto3, botocore, flask, the NLU, PyYAML, forwardrules, sqlite3, logging, pickle, "
        "pathlib)."
    )
    section.notes.append(
        f"Warm turns: {WARM_TURNS} calls of `lambda_handler` per request after {WARM_UP} "
        "warm-up calls, in one process on the unzipped zip (JSON log line per request included, "
        "no persistence table). The interview answer is the location answer after the safety "
        "screens (the hip rules run once and pick the next question); the question is 'can I "
        "take ibuprofen for my hip' at the menu (no sample matches it exactly: the matcher's "
        "close phrasings); the routine step is `next` in the stretch routine. The hello-world "
        "skill writes no log line; Hip Coach's line goes to a file, as Lambda's runtime takes it."
    )
    if f.get("engine") is not None:  # not with --skill-only
        _engine_rows(section, f["engine"])
    return section


def _engine_rows(section: Any, e: dict[str, Any]) -> None:
    section.add(
        "hip rules, sessions per second, one core (result + next_question)",
        f"{e['full_per_s']:.0f}",
    )
    section.add(
        "hip rules, sessions per second, one core (result only)", f"{e['result_per_s']:.0f}"
    )
    section.add(
        f"RSS before / after {ENGINE_SESSIONS:,} hip sessions (result only)",
        f"{e['rss_before']:.1f} / {e['rss_after']:.1f} MB "
        f"(Δ {e['rss_after'] - e['rss_before']:+.1f} MB, {e['memory_s']:.0f} s)",
        "no growth",
    )
    section.add("load + validate the hip rules, cold (YAML)", f"{e['load_cold_ms']:.1f} ms")
    section.add("load the hip rules from the validated cache", f"{e['load_cache_ms']:.1f} ms")
    section.notes.append(
        f"Engine: a session adds {e['findings']} findings (an outer-hip runner), reads the triage "
        "level and the condition ranking and (first row) the next question; 3 s per figure. The "
        f"memory run is {ENGINE_SESSIONS:,} result-only sessions (with next_question it would "
        "take several times longer). Rule loading: median of "
        f"{LOAD_RUNS} fresh processes, `forwardrules` already imported."
    )


if __name__ == "__main__":
    # --skill-only: the skill's cold starts and warm turns without the engine's minutes-long runs
    print(run(engine="--skill-only" not in sys.argv[1:]))
