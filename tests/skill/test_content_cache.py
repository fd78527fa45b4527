"""The validated content caches the Lambda zip ships (hipcoach.content_cache)."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from hipcoach import content_cache
from hipcoach.content_location import CONTENT_DIR
from hipcoach.medical.disclaimer import disclaimers
from hipcoach.medical.knowledge import load_knowledge
from hipcoach.routines.loader import load_routines
from hipcoach.speech.texts import load_catalogue
from hipcoach.understanding import matcher

ROOT = Path(__file__).resolve().parents[2]


def _never() -> dict:
    raise AssertionError("loaded from YAML although the cache is valid")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("content_cache")
    env = {k: v for k, v in os.environ.items() if k != content_cache.CACHE_ENV}
    code = "import sys, hipcoach.tools.build_content_cache as c; c.write_caches(sys.argv[1])"
    subprocess.run([sys.executable, "-c", code, str(folder)], check=True, env=env, cwd=ROOT)
    return folder


def test_build_writes_one_pickle_per_section(written):
    names = sorted(p.name.split("-")[0] for p in written.glob("*.pickle"))
    assert names == sorted(content_cache.SECTIONS)
    assert {"answers", "disclaimer", "knowledge", "locales", "routines", "texts"} < set(names)
    assert {"nlu_en_GB", "nlu_en_US"} < set(names)  # each catalogue's matcher, built


def test_cached_matcher_reads_as_the_built_one(written):
    """A fresh interpreter pointed at the cache unpickles the matcher (it builds none) and reads
    the runner's words exactly as a matcher built from the catalogue does."""
    code = """
import json, sys
from datetime import date
from hipcoach.understanding import matcher

def refuse(*args, **kwargs):
    raise AssertionError("built the matcher although the cache is valid")

matcher.Nlu.__init__ = refuse
today = date(2026, 11, 20)
words = json.loads(sys.argv[1])
out = {}
for locale in ("en-US", "en-GB"):
    nlu = matcher.nlu(locale)
    out[locale] = [repr(nlu.resolve(w, today)) + repr(nlu.findings_said(w, today)) for w in words]
print(json.dumps(out))
"""
    words = [
        "the outside of my hip",
        "no fever or swelling, nothing like that",
        "can I take ibuprofen for my hip",
        "it's like a seven out of ten",
        "about two weeks",
        "i fell and i can't put weight on it",
        "should I wear a hip brace when I run",
    ]
    env = dict(os.environ, **{content_cache.CACHE_ENV: str(written)})
    result = subprocess.run(
        [sys.executable, "-c", code, json.dumps(words)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    today = date(2026, 11, 20)
    for locale in ("en-US", "en-GB"):
        built = matcher.Nlu(locale)
        expected = [
            repr(built.resolve(w, today)) + repr(built.findings_said(w, today)) for w in words
        ]
        assert out[locale] == expected


def test_cached_objects_equal_the_yaml_ones(written):
    """Read in a fresh interpreter pointed at the cache: no YAML parsed, the same objects."""
    code = """
import json, sys
from hipcoach.medical import knowledge
from hipcoach.speech import texts
from hipcoach.medical.disclaimer import disclaimers
from hipcoach.routines.loader import routines
kb = knowledge.knowledge()
out = {
    "yaml": "yaml" in sys.modules,
    "rules_dir": str(kb.rules_dir),
    "questions": list(kb.questions),
    "disclaimer": dict(disclaimers()),
    "texts": len(texts._catalogue()),
    "routines": sorted(routines()),
}
print(json.dumps(out))
"""
    env = dict(os.environ, **{content_cache.CACHE_ENV: str(written)})
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    kb = load_knowledge()
    assert out["yaml"] is False
    assert out["rules_dir"] == str(CONTENT_DIR / "rules")
    assert out["questions"] == list(kb.questions)
    assert out["disclaimer"] == dict(kb.disclaimer) == dict(disclaimers())
    assert out["texts"] == len(load_catalogue())
    assert out["routines"] == sorted(load_routines())


def _inputs(content: Path) -> tuple[str, Path, list[Path], list[Path]]:
    files = sorted((content / "speech").glob("*.yaml"))
    return "texts", content / "speech", files, [ROOT / "skill" / "hipcoach" / "speech" / "texts.py"]


def test_valid_cache_is_used(tmp_path, monkeypatch):
    name, root, files, code = _inputs(CONTENT_DIR)
    content_cache.write(tmp_path, name, content_cache.digest(name, root, files, code), {"k": 1})
    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path))
    assert content_cache.cached(name, root, files, code, dict, _never) == {"k": 1}


def test_stale_cache_falls_back_to_yaml(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR / "speech", content / "speech")
    name, root, files, code = _inputs(content)
    cache = tmp_path / "cache"
    content_cache.write(cache, name, content_cache.digest(name, root, files, code), {"k": 1})
    monkeypatch.setenv(content_cache.CACHE_ENV, str(cache))
    files[0].write_text(files[0].read_text() + "\nextra: text\n")  # the content changed
    assert content_cache.cached(name, root, files, code, dict, lambda: {"k": 2}) == {"k": 2}


@pytest.mark.parametrize(
    "payload",
    [b"not a pickle", pickle.dumps(("wrong key", {"k": 1})), None, "wrong type"],
    ids=["garbage", "wrong-key", "missing", "wrong-type"],
)
def test_bad_cache_falls_back_to_yaml(tmp_path, monkeypatch, payload):
    name, root, files, code = _inputs(CONTENT_DIR)
    key = content_cache.digest(name, root, files, code)
    path = content_cache.cache_file(tmp_path, name, key)
    if payload == "wrong type":
        content_cache.write(tmp_path, name, key, ["a", "list"])
    elif payload is not None:
        path.write_bytes(payload)
    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path))
    assert content_cache.cached(name, root, files, code, dict, lambda: {"k": 2}) == {"k": 2}


def test_no_cache_folder_loads_yaml(monkeypatch):
    monkeypatch.delenv(content_cache.CACHE_ENV, raising=False)
    name, root, files, code = _inputs(CONTENT_DIR)
    assert content_cache.cached(name, root, files, code, dict, lambda: {"k": 2}) == {"k": 2}


def test_key_covers_code_and_content(tmp_path):
    name, root, files, code = _inputs(CONTENT_DIR)
    key = content_cache.digest(name, root, files, code)
    other_code = tmp_path / "texts.py"
    other_code.write_text(code[0].read_text() + "\n# changed\n")
    assert content_cache.digest(name, root, files, [other_code]) != key
    assert content_cache.digest(name, root, files[1:], code) != key
    assert content_cache.digest("other", root, files, code) != key


def test_the_cache_key_is_the_same_in_another_interpreter() -> None:
    # build_zip.py writes the keys in a fresh interpreter; a container recomputes them in its own
    import subprocess
    import sys

    name, root, files, code = _inputs(CONTENT_DIR)
    key = content_cache.digest(name, root, files, code)
    script = (
        "import sys; from pathlib import Path; from hipcoach import content_cache as c; "
        "print(c.digest(sys.argv[1], Path(sys.argv[2]), [Path(p) for p in sys.argv[4:]], "
        "[Path(sys.argv[3])]))"
    )
    args = [name, str(root), str(code[0]), *map(str, files)]
    other = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    assert other.stdout.strip() == key and len(key) == 16
