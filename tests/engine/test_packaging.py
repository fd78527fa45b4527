"""`forwardrules` builds and installs on its own, and its code passes `mypy --strict`."""

import json
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "engine"
pytestmark = pytest.mark.xdist_group("packaging")


def run(*command, cwd=None):
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=600)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The wheel and the sdist, built from a copy of engine/ (the build leaves files behind)."""
    root = tmp_path_factory.mktemp("forwardrules")
    source = root / "src"
    shutil.copytree(ENGINE, source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    dist = root / "dist"
    # The build requirements of engine/pyproject.toml, in a venv of their own (as `python -m
    # build` would make), then setuptools' PEP 517 hooks for both artefacts.
    builder = root / "build-env"
    venv.create(builder, with_pip=True)
    python = str(builder / "bin" / "python")
    got = subprocess.run(
        [python, "-m", "pip", "install", "-q", "setuptools==84.2.1", "wheel"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if got.returncode != 0:
        pytest.skip(f"cannot install the build requirements: {got.stderr[-300:]}")
    for hook in ("build_wheel", "build_sdist"):  # one process each, as a build frontend does
        code = f"import sys; from setuptools import build_meta as b; b.{hook}(sys.argv[1])"
        run(python, "-c", code, str(dist), cwd=source)
    return root, dist


def test_the_wheel_holds_forwardrules_only_with_two_pinned_dependencies(built):
    _, dist = built
    (wheel,) = dist.glob("forwardrules-*.whl")
    (sdist,) = dist.glob("forwardrules-*.tar.gz")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.startswith("forwardrules-")}
    assert tops == {"forwardrules"}
    assert "forwardrules/py.typed" in names and "forwardrules/cli.py" in names
    metadata = next(n for n in names if n.endswith("METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    requires = sorted(line for line in text.splitlines() if line.startswith("Requires-Dist"))
    assert requires == ["Requires-Dist: PyYAML==6.0.3", "Requires-Dist: durable-rules==2.0.28"]
    assert "# forwardrules" in text  # engine/README.md is the description
    data = "forwardrules-0.2.0.data/data/share/forwardrules/examples/"
    assert {
        data + "fraud/rules.yaml",
        data + "manners/generate.py",
        data + "monkey_bananas/rules.yaml",
        data + "wine/rules.yaml",
    } <= set(names)
    assert sdist.stat().st_size > 0


def test_installs_alone_in_a_fresh_virtualenv(built):
    root, dist = built
    wheelhouse = root / "wheelhouse"
    fetched = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "-w", str(wheelhouse),
         "durable-rules==2.0.28", "PyYAML==6.0.3", "setuptools==84.2.1", "wheel"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if fetched.returncode != 0:
        pytest.skip(f"no local source for the dependencies: {fetched.stderr[-300:]}")
    env = root / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    for artefact in ("forwardrules-*.tar.gz", "forwardrules-*.whl"):  # the sdist, then the wheel
        (path,) = dist.glob(artefact)
        run(str(python), "-m", "pip", "install", "-q", "--no-index", "--force-reinstall",
            "--find-links", str(wheelhouse), str(path))  # fmt: skip
        # the wheel carries the examples: run the installed copy
        example = Path(run(str(env / "bin" / "forwardrules"), "examples").strip()) / "fraud"
        assert str(example).startswith(str(env))
        output = run(
            str(env / "bin" / "forwardrules"),
            "run",
            str(example),
            str(example / "transactions.json"),
        )
        kinds = sorted(f["kind"] for f in json.loads(output)["facts"] if f["type"] == "alert")
        assert kinds == ["big_spender", "two_countries", "unknown_card"]
    listed = run(str(python), "-m", "pip", "list", "--format", "json")
    assert {p["name"].lower() for p in json.loads(listed)} == {
        "forwardrules", "durable_rules", "pyyaml", "pip", "setuptools",
    } - ({"setuptools"} if "setuptools" not in listed else set())  # fmt: skip


def test_mypy_strict(tmp_path):
    pytest.importorskip("mypy")
    (tmp_path / "forwardrules").symlink_to(ENGINE)  # mypy checks it under its import name
    run(
        sys.executable, "-m", "mypy", "--config-file", str(ENGINE / "pyproject.toml"),
        "--cache-dir", str(tmp_path / "cache"), "-p", "forwardrules", cwd=tmp_path,
    )  # fmt: skip
