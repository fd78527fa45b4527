"""The Lambda deployment zip: built once per session, unzipped, run on a bare interpreter."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from _web_signing import SKILL_ID, envelope

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lambda_zip")]

# Used only while hipcoach.app does not exist yet: a real CustomSkill with a LaunchRequest handler.
STUB_APP = """
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_request_type


def build_skill(persistence_adapter=None):
    builder = SkillBuilder()

    @builder.request_handler(can_handle_func=is_request_type("LaunchRequest"))
    def launch(handler_input):
        return handler_input.response_builder.speak("Welcome to Hip Coach.").response

    return builder.create()
"""


def load_build_zip():
    spec = importlib.util.spec_from_file_location("build_zip", ROOT / "lambda" / "build_zip.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """(zip path, summary, extracted dir, uses the real skill)."""
    build_zip = load_build_zip()
    out = tmp_path_factory.mktemp("lambda") / "hipcoach-lambda.zip"
    summary = build_zip.build(out)
    extracted = tmp_path_factory.mktemp("lambda-unzipped")
    with zipfile.ZipFile(out) as archive:
        archive.extractall(extracted)
    real = (extracted / "hipcoach" / "app.py").exists()
    if not real:
        (extracted / "hipcoach" / "app.py").write_text(STUB_APP)
    return out, summary, extracted, real


RUNNER = """
import json, sys
sys.path.insert(0, sys.argv[1])
import lambda_function
event = json.loads(sys.stdin.read())
answer = lambda_function.lambda_handler(event, None)
loaded = sorted(m for m in ("boto3", "botocore", "flask", "werkzeug") if m in sys.modules)
launch = sorted(sys.modules)
import durable_rules_engine, forwardrules, yaml
native = [durable_rules_engine.__file__.startswith(sys.argv[1]), yaml.__with_libyaml__]
print(json.dumps({
    "answer": answer, "loaded": loaded, "path": sys.path, "native": native, "launch": launch
}))
"""


def run_bare(directory: Path, event: dict, **env: str) -> subprocess.CompletedProcess[str]:
    """A bare interpreter: -I (no env vars, no user site) -S (no site-packages)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "HIPCOACH_"))}
    clean.pop("SKILL_ID", None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-I", "-S", "-c", RUNNER, str(directory)],
        input=json.dumps(event),
        capture_output=True,
        text=True,
        timeout=120,
        env=clean,
        cwd=directory,
    )


def test_handler_answers_a_launch_request_on_a_bare_interpreter(built):
    _, _, extracted, real = built
    result = run_bare(extracted, envelope(), SKILL_ID=SKILL_ID)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.splitlines()[-1])
    assert not any("site-packages" in p for p in out["path"])
    speech = out["answer"]["response"]["outputSpeech"]
    assert out["answer"]["version"] == "1.0"
    assert speech["type"] == "SSML" and len(speech["ssml"]) > len("<speak></speak>")
    assert out["loaded"] == []  # no boto3 without a table, no Flask ever
    assert out["native"] == [True, True]  # durable-rules' and PyYAML's C extensions load
    # A first LaunchRequest reads the validated content caches: no YAML, no rule engine, no
    # answer parsing, result speech or routine player, no SQLite.
    heavy = (
        "yaml",
        "forwardrules",
        "durable",
        "sqlite3",
        "hipcoach.dialog.interview",
        "hipcoach.standin.nlu",
    )
    heavy += (
        "hipcoach.dialog.answers",
        "hipcoach.dialog.result_speech",
        "hipcoach.routines.player",
    )
    heavy += ("hipcoach.medical.knowledge",)
    # nor OpenSSL (hashlib, hmac: the session seal is made only once a reply is sealed; the
    # content caches are keyed with CPython's own SHA-256), nor the slots' entity resolution
    heavy += ("hashlib", "_hashlib", "hmac", "ask_sdk_model.slu.entityresolution")
    # nor the logging module (no runtime loaded it: the log lines are written directly) nor the
    # pickle module's Python half (the caches are read with the C unpickler)
    heavy += ("logging", "pickle")
    assert not [m for m in out["launch"] if m.split(".")[0] in heavy or m in heavy]
    logs = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert any(e["event"] == "request" and e["outcome"] == "ok" for e in logs)
    line = next(e for e in logs if e["event"] == "request")
    assert line["level"] == "info" and line["logger"] == "hipcoach.lambda"
    assert line["request_type"] == "LaunchRequest" and isinstance(line["ts"], float)
    if not real:
        pytest.xfail("hipcoach.app is not written yet: ran the zip with a stub skill")


CACHED_RULEBOOKS = """
import json, sys
sys.path.insert(0, sys.argv[1])
import lambda_function
from hipcoach.medical.triage import rulebook as hip
from hipcoach.memory.prevention import rulebook as prevention
books = [hip(), prevention()]
print(json.dumps({"record_rules": [len(b.record_rules) for b in books], "yaml": "yaml" in sys.modules}))
"""


def test_both_rulebooks_load_from_the_shipped_cache(built):
    """A cold container gets the hip and the prevention rules from the build's pickles: it never
    imports PyYAML to parse them (a rulebook missing from the cache would be parsed)."""
    _, _, extracted, _ = built
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "HIPCOACH_"))}
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", CACHED_RULEBOOKS, str(extracted)],
        capture_output=True,
        text=True,
        timeout=120,
        env=clean,
        cwd=extracted,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.splitlines()[-1])
    assert out["yaml"] is False
    assert out["record_rules"][1] > 0  # the prevention rulebook: rules over records


def test_skill_id_mismatch_is_rejected(built):
    _, _, extracted, _ = built
    result = run_bare(extracted, envelope(skill_id="amzn1.ask.skill.other"), SKILL_ID=SKILL_ID)
    assert result.returncode != 0
    assert "SkillIdMismatch" in result.stderr


def test_without_skill_id_every_request_is_refused(built):
    _, _, extracted, _ = built
    result = run_bare(extracted, envelope())
    assert result.returncode != 0
    assert "SkillIdUnset" in result.stderr
    logs = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert [e["outcome"] for e in logs if e["event"] == "skill_id_unset"] == ["refused"]


def test_the_explicit_opt_out_answers_any_skill(built):
    _, _, extracted, _ = built
    event = envelope(skill_id="amzn1.ask.skill.someone-elses")
    result = run_bare(extracted, event, HIPCOACH_ALLOW_ANY_SKILL_ID="1")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.splitlines()[-1])["answer"]
    assert answer["response"]["outputSpeech"]["ssml"]


def test_zip_contents_and_size(built):
    out, summary, _, _ = built
    assert out.stat().st_size < 10 * 1024 * 1024
    names = zipfile.ZipFile(out).namelist()
    tops = {n.split("/")[0] for n in names}
    assert "lambda_function.py" in names
    assert {"forwardrules", "hipcoach", "content", "ask_sdk_core", "ask_sdk_model"} <= tops
    assert {"ask_sdk_runtime", "durable", "yaml", "ask_sdk_dynamodb"} <= tops
    assert any(n.startswith("durable_rules_engine.cpython-311-x86_64-linux-gnu") for n in names)
    assert any(n.startswith("content/") and n.endswith(".yaml") for n in names)
    for forbidden in ("boto3", "botocore", "flask", "werkzeug", "tests", "flask_ask_sdk"):
        assert forbidden not in tops
    # Bytecode: one checked-hash .pyc per module, for CPython 3.11, nothing else cached.
    build_zip = load_build_zip()
    modules = {n for n in names if n.endswith(".py")}
    compiled = {n for n in names if "__pycache__" in n or n.endswith((".pyc", ".pyo"))}
    assert compiled == {build_zip.bytecode_path(n) for n in modules}
    assert all(n.endswith(".cpython-311.pyc") for n in compiled)
    assert summary["pyc"] == len(compiled)
    caches = sorted(n.split("/")[1].split("-")[0] for n in names if n.startswith("content_cache/"))
    shipped = ("answers", "disclaimer", "knowledge", "locales", "nlu_en_GB", "nlu_en_US")
    assert caches == sorted([*shipped, "routines", "texts"])
    rulebooks = [n for n in names if n.startswith("rulebook_cache/rulebook-")]
    assert len(rulebooks) == len(build_zip.RULEBOOKS) == 2  # the hip and the prevention rules
    assert not [n for n in names if "/tests/" in n or n.split("/")[-1].startswith("test_")]
    assert "hipcoach/hosting/web.py" not in names
    for so, version in summary["glibc"].items():
        assert tuple(int(p) for p in version.split(".")) <= (2, 26), so


def test_bytecode_matches_its_source(built):
    """Each .pyc is CPython 3.11's, checked-hash, and hashes the very source beside it: the
    interpreter uses it, and would recompile a module edited in place."""
    _, _, extracted, _ = built
    build_zip = load_build_zip()
    sources = sorted(extracted.rglob("*.py"))
    assert len(sources) > 100
    for source in sources:
        arcname = source.relative_to(extracted).as_posix()
        data = (extracted / build_zip.bytecode_path(arcname)).read_bytes()
        assert data[:4] == importlib.util.MAGIC_NUMBER, arcname
        assert int.from_bytes(data[4:8], "little") == 0b11, arcname  # hash-based, checked
        assert data[8:16] == importlib.util.source_hash(source.read_bytes()), arcname


COMPILED = """
import json, sys
from importlib import _bootstrap_external as external
compiled = []
original = external.SourceLoader.source_to_code

def source_to_code(self, data, path, *args, **kwargs):
    compiled.append(path)  # called only when no valid .pyc is found
    return original(self, data, path, *args, **kwargs)

external.SourceLoader.source_to_code = source_to_code
sys.path.insert(0, sys.argv[1])
import lambda_function
lambda_function.lambda_handler(json.loads(sys.stdin.read()), None)
print(json.dumps(compiled))
"""


def test_launch_runs_on_the_shipped_bytecode(built):
    """A bare -B interpreter answers a LaunchRequest without compiling any module of the zip."""
    _, _, extracted, _ = built
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-B", "-c", COMPILED, str(extracted)],
        input=json.dumps(envelope()),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=extracted,
        env={**os.environ, "SKILL_ID": SKILL_ID},
    )
    assert result.returncode == 0, result.stderr
    compiled = json.loads(result.stdout.splitlines()[-1])
    assert [p for p in compiled if p.startswith(str(extracted))] == []


def test_build_refuses_bytecode_from_another_python(monkeypatch, tmp_path):
    build_zip = load_build_zip()
    monkeypatch.setattr(build_zip, "BYTECODE_TAG", "cpython-312")
    source = tmp_path / "m.py"
    source.write_text("x = 1\n")
    with pytest.raises(build_zip.BuildError, match=r"CPython 3\.11"):
        build_zip.compile_bytecode({"m.py": source}, tmp_path)


def test_extensions_need_at_most_glibc_2_26(built):
    _, _, extracted, _ = built
    build_zip = load_build_zip()
    objects = list(extracted.rglob("*.so"))
    assert any(p.name.startswith("durable_rules_engine") for p in objects)
    for path in objects:
        versions = build_zip.glibc_versions(path)
        assert versions and max(versions) <= (2, 26), (path.name, versions)


def test_build_refuses_an_extension_needing_newer_glibc(monkeypatch, tmp_path):
    build_zip = load_build_zip()
    monkeypatch.setattr(build_zip, "glibc_versions", lambda path: [(2, 2, 5), (2, 38)])
    with pytest.raises(build_zip.BuildError, match=r"GLIBC_2\.38"):
        build_zip.check_extension("yaml/_yaml.cpython-311-x86_64-linux-gnu.so", tmp_path)
    with pytest.raises(build_zip.BuildError, match="another Python"):
        build_zip.check_extension("x.cpython-312-x86_64-linux-gnu.so", tmp_path)


# What only a developer or a web host runs: named here, not taken from build_zip, so a change to
# the build's exclusions that lets one of them in fails.
DEVELOPER_ONLY = (
    "hipcoach/standin/",  # the local NLU, envelopes and chat console: stand-ins for Alexa
    "hipcoach/tools/",  # cli, triage_cli, loadtest_app (a web app with verification off)
    "content/cases/",  # the test vignettes
    "forwardrules/cli.py",
)
WEB_ONLY = ("web", "verify", "oscrypto_fix")  # hipcoach/hosting/ ships jsonlog and skill_id only


def test_zip_ships_no_developer_tools_web_hosting_vignettes_or_tests(built):
    out, _, _, _ = built
    names = [n for n in zipfile.ZipFile(out).namelist() if "__pycache__" not in n]
    assert [n for n in names if n.startswith(DEVELOPER_ONLY)] == []
    hosting = sorted(n for n in names if n.startswith("hipcoach/hosting/"))
    assert hosting == [
        "hipcoach/hosting/__init__.py",
        "hipcoach/hosting/jsonlog.py",
        "hipcoach/hosting/skill_id.py",
    ]
    stems = {Path(n).stem for n in names if n.startswith("hipcoach/")}
    assert stems.isdisjoint({*WEB_ONLY, "chat", "nlu", "envelopes", "loadtest_app", "triage_cli"})
    tests = [n for n in names if {"tests", "test"} & set(n.split("/")[:-1])]
    tests += [n for n in names if Path(n).name.startswith(("test_", "conftest"))]
    assert tests == []
    # the rules, the knowledge base and the speech texts still ship
    assert [n for n in names if n.startswith("content/rules/")]
    assert [n for n in names if n.startswith("content/speech/")]


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_imports(name: str, path: Path, modules: set[str]) -> set[str]:
    """The project modules `name` imports anywhere in its body (lazy imports included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found |= {base, *(f"{base}.{alias.name}" for alias in node.names)}
    reached = set()
    for dotted in found:
        parts = dotted.split(".")
        reached |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)} & modules
    return reached


def test_every_project_module_in_the_zip_is_reachable_from_the_handler(built):
    """Ship only what a request can reach: each forwardrules/hipcoach module is imported, at the
    top or lazily, on some path from lambda_function."""
    _, _, extracted, _ = built
    tops = ("forwardrules", "hipcoach")
    paths = {_module_name(p, extracted): p for top in tops for p in (extracted / top).rglob("*.py")}
    paths["lambda_function"] = extracted / "lambda_function.py"
    seen: set[str] = set()
    stack = ["lambda_function"]
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(_project_imports(name, paths[name], set(paths)) - seen)
    assert sorted(set(paths) - seen) == []


IMPORT_ALL = """
import importlib, json, sys
sys.path.insert(0, sys.argv[1])
failed = {}
for name in json.loads(sys.stdin.read()):
    try:
        importlib.import_module(name)
    except ImportError as exc:
        missing = exc.name if isinstance(exc, ModuleNotFoundError) else str(exc)
        failed[name] = missing
print(json.dumps(failed))
"""
# Imported only on platforms or with extras Lambda's python3.11 never uses, or provided by the
# Lambda runtime itself (boto3): {missing module: why it may be missing}.
MAY_BE_MISSING = {
    "boto3": "the Lambda runtime provides it",
    "js": "urllib3's Pyodide support",
    "OpenSSL": "urllib3's pyOpenSSL extra",
    "socks": "urllib3's SOCKS extra",
    "h2": "urllib3's HTTP/2 extra",
    "winreg": "dateutil on Windows",
}


def test_every_module_in_the_zip_imports_on_a_bare_interpreter(built):
    _, _, extracted, _ = built
    names = sorted(
        _module_name(p, extracted) for p in extracted.rglob("*.py") if p.name != "__main__.py"
    )
    assert len(names) > 500
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", IMPORT_ALL, str(extracted)],
        input=json.dumps(names),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=extracted,
    )
    assert result.returncode == 0, result.stderr
    failed = json.loads(result.stdout.splitlines()[-1])
    project = ("lambda_function", "forwardrules", "hipcoach", "content")
    assert {m: why for m, why in failed.items() if m.split(".")[0] in project} == {}
    unexplained = {
        m: why
        for m, why in failed.items()
        if not any(why == name or f"'{name}'" in why for name in MAY_BE_MISSING)
    }
    assert unexplained == {}


def test_the_runners_words_are_understood_inside_the_zip(built):
    """The catch-all's words are read by the skill's own understanding, shipped in the zip with
    its catalogue and rapidfuzz (a misheard word is mended on a bare interpreter)."""
    out, _, extracted, real = built
    names = set(zipfile.ZipFile(out).namelist())
    assert {
        "hipcoach/understanding/reading.py",
        "hipcoach/understanding/catalogue/en-US.json",
        "hipcoach/understanding/catalogue/en-GB.json",
        "hipcoach/understanding/catalogue/context.json",
    } <= names
    assert any(n.startswith("rapidfuzz/") and n.endswith(".so") for n in names)
    if not real:
        pytest.skip("the stub skill has no understanding")
    words = {
        "name": "words",
        "value": "there's a clikcing in my hip and I fell",
        "confirmationStatus": "NONE",
    }
    intent = {"name": "UtteranceIntent", "confirmationStatus": "NONE", "slots": {"words": words}}
    result = run_bare(extracted, envelope("IntentRequest", intent=intent), SKILL_ID=SKILL_ID)
    assert result.returncode == 0, result.stderr
    out_json = json.loads(result.stdout.splitlines()[-1])
    interview = out_json["answer"]["sessionAttributes"]["interview"]
    assert interview["findings"]["after_fall_or_injury"] is True
    assert interview["findings"]["clicking"] is True  # "clikcing", mended with rapidfuzz
    assert "rapidfuzz" in out_json["launch"]
