"""Build the AWS Lambda deployment zip: ``make lambda`` -> ``dist/hipcoach-lambda.zip``.

Target: the python3.11 runtime on x86_64 (Amazon Linux 2, glibc 2.26). The zip holds, at its root:

* ``lambda_function.py`` (the handler ``lambda_function.lambda_handler``);
* the project packages ``forwardrules`` (engine/forwardrules/) and ``hipcoach`` (skill/hipcoach/),
  modules and declared package data (no tests, no caches, none of the Flask web service modules),
  and the knowledge base ``content/`` beside them, where ``hipcoach.content_location`` finds it;
* the runtime dependencies, copied file by file from the installed distributions (their RECORD),
  with their dependency closure: ask-sdk-core, ask-sdk-model, ask-sdk-runtime, durable-rules (and
  its compiled ``durable_rules_engine`` extension), PyYAML, ask-sdk-dynamodb-persistence-adapter.
  boto3 and botocore (and their own s3transfer, jmespath) come with the Lambda runtime and are left
  out.

Every compiled extension is checked with ``objdump -T``: it must be x86-64 ELF for CPython 3.11
and need no glibc symbol version newer than 2.26, or the build fails. When the locally built
durable-rules extension needs a newer glibc (hosts with glibc >= 2.38 redirect ``strtol``, which
``atoi`` inlines, to ``__isoc23_strtol@GLIBC_2.38``), it is rebuilt from the sdist with zig's C
compiler targeting glibc 2.26 (``--rebuild-extension`` forces that path).

``rulebook_cache/`` holds the hip rules and the prevention rules validated at build time
(forwardrules' pickle cache, keyed by each rulebook's content hash); the handler points
``HIPCOACH_RULEBOOK_CACHE`` at it, so a cold container skips parsing and validating the YAML
rules. ``content_cache/`` does the same for the
knowledge base, the speech texts and the routines (``hipcoach.content_cache``, pointed at by
``HIPCOACH_CONTENT_CACHE``); with both, a cold start never imports PyYAML.

Every module ships with its bytecode (``__pycache__/*.cpython-311.pyc``), compiled by this very
CPython 3.11 with checked-hash invalidation: Lambda's ``/var/task`` is read-only, so without it a
cold container compiles every module it imports from source on each cold start (about 150 ms
more for Hip Coach, docs/benchmarks.md). Checked-hash ``.pyc`` files hold the source's hash, not
its timestamp: the interpreter uses them only while the ``.py`` beside them is unchanged (a module
edited in place is compiled from its source, as without bytecode). ``--no-bytecode`` leaves them
out; a build on any other Python refuses to write bytecode.

The zip is reproducible (sorted entries, fixed timestamps) and must stay under 10 MB.
"""

from __future__ import annotations

import argparse
import importlib.metadata as metadata
import importlib.util
import json
import os
import py_compile
import re
import subprocess
import sys
import tempfile
import tomllib
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "dist" / "hipcoach-lambda.zip"
HANDLER = Path(__file__).resolve().parent / "lambda_function.py"

RUNTIME_DISTRIBUTIONS = (
    "ask-sdk-core",
    "ask-sdk-model",
    "ask-sdk-runtime",
    "durable-rules",
    "PyYAML",
    "ask-sdk-dynamodb-persistence-adapter",
)
PROVIDED_BY_LAMBDA = frozenset({"boto3", "botocore", "s3transfer", "jmespath"})
# What no Lambda request can reach: the web service's hosting (Lambda logs through jsonlog only),
# the stand-ins for Alexa, developer commands (the engine's CLI too), the test vignettes and the
# sources of the interaction model (Alexa holds the model; the skill never reads them).
NOT_SHIPPED = (
    "forwardrules/cli.py",
    "forwardrules/examples/",
    "hipcoach/hosting/",
    "hipcoach/standin/",
    "hipcoach/tools/",
    "content/cases/",
    "content/language/",
)
SHIPPED_ANYWAY = frozenset({"hipcoach/hosting/__init__.py", "hipcoach/hosting/jsonlog.py"})
FORBIDDEN_TOP_LEVEL = frozenset(
    {"boto3", "botocore", "flask", "werkzeug", "flask_ask_sdk", "tests", "test", "pytest"}
)
MAX_GLIBC = (2, 26)
MAX_BYTES = 10 * 1024 * 1024
EXTENSION_TAG = ".cpython-311-x86_64-linux-gnu.so"
ZIG_TARGET = "x86_64-linux-gnu.2.26"
ZIP_TIME = (2020, 1, 1, 0, 0, 0)
# Lambda's python3.11: the bytecode must come from CPython 3.11 (magic number and cache tag).
TARGET_PYTHON = (3, 11)
BYTECODE_TAG = "cpython-311"
TASK_ROOT = "/var/task"  # where Lambda unpacks the zip: the file names tracebacks show
# Lambda's python3.11 runtime, for evaluating dependency markers.
TARGET_ENV = {
    "python_version": "3.11",
    "python_full_version": "3.11.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}


class BuildError(RuntimeError):
    pass


def _skipped(path: PurePosixPath) -> bool:
    parts = path.parts
    return (
        "__pycache__" in parts
        or path.suffix in {".pyc", ".pyo"}
        or any(p in {"tests", "test"} for p in parts)
    )


def _not_shipped(arcname: str) -> bool:
    return arcname.startswith(NOT_SHIPPED) and arcname not in SHIPPED_ANYWAY


PROJECT_PACKAGES = {"forwardrules": ROOT / "engine", "hipcoach": ROOT / "skill"}
CONTENT = ROOT / "content"
CONTENT_SUFFIXES = frozenset({".yaml", ".yml"})


def project_files() -> Iterator[tuple[str, Path]]:
    """(zip path, file) for the project packages and the content/ data beside them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    package_data: dict[str, list[str]] = config.get("package-data", {})
    for package, parent in PROJECT_PACKAGES.items():
        source = parent / package
        declared = {f for p in package_data.get(package, []) for f in source.glob(p)}
        for file in sorted(source.rglob("*")):
            if not file.is_file():
                continue
            relative = PurePosixPath(file.relative_to(parent).as_posix())
            arcname = str(relative)
            if _skipped(relative) or _not_shipped(arcname):
                continue
            # Modules (subpackages' too) plus the package data pyproject.toml declares.
            if file.suffix == ".py" or file in declared:
                yield arcname, file
    for file in sorted(CONTENT.rglob("*")):
        relative = PurePosixPath(file.relative_to(ROOT).as_posix())
        arcname = str(relative)
        if file.is_file() and file.suffix in CONTENT_SUFFIXES and not _not_shipped(arcname):
            yield arcname, file


def dependency_closure(roots: Iterable[str]) -> list[metadata.Distribution]:
    """Installed distributions needed at run time, without what Lambda already provides."""
    env = {key: str(value) for key, value in default_environment().items()}
    env.update(TARGET_ENV, extra="")
    seen: dict[str, metadata.Distribution] = {}
    stack = list(roots)
    while stack:
        name = canonicalize_name(stack.pop())
        if name in seen or name in PROVIDED_BY_LAMBDA:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError as exc:
            raise BuildError(f"{name} is not installed (run make install)") from exc
        seen[name] = dist
        for spec in dist.requires or []:
            requirement = Requirement(spec)
            if requirement.marker is None or requirement.marker.evaluate(env):
                stack.append(requirement.name)
    return [seen[k] for k in sorted(seen)]


def distribution_files(dist: metadata.Distribution) -> Iterator[tuple[str, Path]]:
    for file in dist.files or []:
        relative = PurePosixPath(str(file))
        if relative.parts[0] == ".." or _skipped(relative):
            continue  # console scripts, caches
        path = Path(str(dist.locate_file(file)))
        if path.is_file():
            yield str(relative), path


def glibc_versions(path: Path) -> list[tuple[int, ...]]:
    """The GLIBC_x.y symbol versions an ELF shared object needs (objdump -T)."""
    try:
        out = subprocess.run(
            ["objdump", "-T", "-f", str(path)], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise BuildError(f"cannot inspect {path.name} with objdump (install binutils)") from exc
    if "elf64-x86-64" not in out:
        raise BuildError(f"{path.name} is not an x86-64 ELF object")
    found = {tuple(int(p) for p in v.split(".")) for v in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", out)}
    return sorted(found)


def check_extension(arcname: str, path: Path) -> tuple[int, ...]:
    """Fail unless the extension loads on python3.11 x86_64 with glibc 2.26; its newest need."""
    name = PurePosixPath(arcname).name
    if ".cpython-" in name and not name.endswith(EXTENSION_TAG):
        raise BuildError(f"{arcname} is built for another Python or platform")
    versions = glibc_versions(path)
    newest = versions[-1] if versions else (0,)
    if newest > MAX_GLIBC:
        raise BuildError(
            f"{arcname} needs GLIBC_{'.'.join(map(str, newest))} > "
            f"{'.'.join(map(str, MAX_GLIBC))} (Amazon Linux 2)"
        )
    return newest


def rebuild_durable_rules(workdir: Path) -> Path:
    """durable_rules_engine rebuilt from the sdist with zig cc, targeting glibc 2.26."""
    python = sys.executable
    spec = importlib.util.find_spec("ziglang")
    if spec is not None and spec.origin:
        zig = Path(spec.origin).parent / "zig"
    else:  # not a project dependency: fetched only when this fallback runs
        zig_home = workdir / "zig"
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", "--target", str(zig_home), "ziglang"],
            check=True,
        )
        zig = zig_home / "ziglang" / "zig"
    # The zig binary itself, not `python -m ziglang`: pip's isolated build resets PYTHONPATH.
    compiler = f"{zig} cc -target {ZIG_TARGET}"
    cflags = "-O2 -fno-sanitize=undefined"
    env = dict(os.environ, CC=compiler, LDSHARED=f"{compiler} -shared -s", CFLAGS=cflags)
    version = metadata.version("durable-rules")
    wheels = workdir / "wheels"
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-binary",
            "durable-rules",
            "--no-cache-dir",
            "-w",
            str(wheels),
            f"durable-rules=={version}",
        ],
        check=True,
        env=env,
    )
    wheel = next(wheels.glob("durable_rules-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        member = next(n for n in archive.namelist() if n.startswith("durable_rules_engine"))
        target = workdir / PurePosixPath(member).name
        target.write_bytes(archive.read(member))
    return target


RULEBOOKS = ("rules", "prevention_rules")  # content/ folders: the hip rules, the prevention rules


def rulebook_cache(workdir: Path) -> dict[str, Path]:
    """The validated hip and prevention rulebooks as forwardrules caches them: {zip path: pickle}.

    Written by a fresh interpreter: load_rulebook writes the cache only when it really loads, and
    this process may already hold the rules in memory."""
    from hipcoach.content_location import CONTENT_DIR

    folder = workdir / "rulebook_cache"
    write = (
        "import sys, forwardrules\n"
        "for rules in sys.argv[2:]:\n"
        "    forwardrules.load_rulebook(rules, cache_dir=sys.argv[1])"
    )
    folders = [str(Path(CONTENT_DIR) / name) for name in RULEBOOKS]
    subprocess.run([sys.executable, "-c", write, str(folder), *folders], check=True)
    pickles = sorted(folder.glob("rulebook-*.pickle"))
    if len(pickles) != len(RULEBOOKS):
        raise BuildError(
            f"expected {len(RULEBOOKS)} cached rulebooks in {folder}, found {len(pickles)}"
        )
    return {f"rulebook_cache/{p.name}": p for p in pickles}


def content_cache(workdir: Path) -> dict[str, Path]:
    """The validated knowledge base, texts and routines (hipcoach.content_cache): {zip path:
    pickle}, written by a fresh interpreter that loads them from YAML."""
    folder = workdir / "content_cache"
    write = "import sys, hipcoach.tools.build_content_cache as c; c.write_caches(sys.argv[1])"
    env = {k: v for k, v in os.environ.items() if k != "HIPCOACH_CONTENT_CACHE"}
    subprocess.run([sys.executable, "-c", write, str(folder)], check=True, env=env)
    pickles = sorted(folder.glob("*.pickle"))
    names = sorted(p.name.split("-")[0] for p in pickles)
    from hipcoach.content_cache import SECTIONS

    if names != sorted(SECTIONS):
        raise BuildError(f"expected the caches {', '.join(SECTIONS)}: got {names}")
    return {f"content_cache/{p.name}": p for p in pickles}


def bytecode_path(arcname: str) -> str:
    """Where the interpreter looks for a module's bytecode: ``pkg/__pycache__/mod.<tag>.pyc``."""
    path = PurePosixPath(arcname)
    return str(path.parent / "__pycache__" / f"{path.stem}.{BYTECODE_TAG}.pyc").removeprefix("./")


def compile_bytecode(files: dict[str, Path], workdir: Path) -> dict[str, Path]:
    """Checked-hash bytecode of every module in `files`: {zip path: .pyc}."""
    if sys.implementation.cache_tag != BYTECODE_TAG or sys.version_info[:2] != TARGET_PYTHON:
        raise BuildError(
            f"bytecode for Lambda's python3.11 must be compiled by CPython 3.11, not "
            f"{sys.implementation.cache_tag}; build with it or pass --no-bytecode"
        )
    out: dict[str, Path] = {}
    for arcname, source in files.items():
        if not arcname.endswith(".py"):
            continue
        target = bytecode_path(arcname)
        cfile = workdir / "bytecode" / target
        try:
            with warnings.catch_warnings():  # dependencies' invalid escapes and the like
                warnings.simplefilter("ignore", DeprecationWarning)
                warnings.simplefilter("ignore", SyntaxWarning)
                py_compile.compile(
                    str(source),
                    cfile=str(cfile),
                    dfile=f"{TASK_ROOT}/{arcname}",
                    doraise=True,
                    invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH,
                )
        except py_compile.PyCompileError as exc:
            raise BuildError(f"{arcname} does not compile on Python 3.11: {exc.msg}") from exc
        out[target] = cfile
    return out


def collect(rebuild_extension: bool, workdir: Path, bytecode: bool = True) -> dict[str, Path]:
    files: dict[str, Path] = {"lambda_function.py": HANDLER}
    files.update(project_files())
    files.update(rulebook_cache(workdir))
    files.update(content_cache(workdir))
    for dist in dependency_closure(RUNTIME_DISTRIBUTIONS):
        files.update(distribution_files(dist))
    extensions = [a for a in files if a.endswith(".so")]
    for arcname in extensions:
        if arcname.startswith("durable_rules_engine") and rebuild_extension:
            files[arcname] = rebuild_durable_rules(workdir)
        try:
            check_extension(arcname, files[arcname])
        except BuildError:
            if not arcname.startswith("durable_rules_engine") or rebuild_extension:
                raise
            print(f"{arcname}: local build too new for Amazon Linux 2; rebuilding with zig")
            files[arcname] = rebuild_durable_rules(workdir)
            check_extension(arcname, files[arcname])
    for arcname in files:
        top = arcname.split("/")[0].removesuffix(".py").lower()
        if top in FORBIDDEN_TOP_LEVEL or top.split("-")[0] in FORBIDDEN_TOP_LEVEL:
            raise BuildError(f"{arcname} must not be in the Lambda zip")
    if bytecode:
        files.update(compile_bytecode(files, workdir))
    return files


def write_zip(files: dict[str, Path], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for arcname in sorted(files):
            info = zipfile.ZipInfo(arcname, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if arcname.endswith(".so") else 0o644
            info.external_attr = (0o100000 | mode) << 16
            archive.writestr(info, files[arcname].read_bytes())
    partial.replace(output)


def build(
    output: Path = DEFAULT_OUTPUT, rebuild_extension: bool = False, bytecode: bool = True
) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="hipcoach-lambda-") as tmp:
        files = collect(rebuild_extension, Path(tmp), bytecode)
        write_zip(files, output)
        glibc = {
            a: ".".join(map(str, check_extension(a, p)))
            for a, p in files.items()
            if a.endswith(".so")
        }
    size = output.stat().st_size
    if size >= MAX_BYTES:
        output.unlink()
        raise BuildError(f"zip is {size} bytes; the limit is {MAX_BYTES}")
    pyc = sum(1 for a in files if a.endswith(".pyc"))
    return {"zip": str(output), "bytes": size, "files": len(files), "pyc": pyc, "glibc": glibc}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--rebuild-extension",
        action="store_true",
        help="always rebuild durable_rules_engine with zig for glibc 2.26",
    )
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="ship sources only (every cold start then compiles what it imports)",
    )
    args = parser.parse_args(argv)
    try:
        summary = build(args.output, args.rebuild_extension, not args.no_bytecode)
    except (BuildError, subprocess.CalledProcessError) as exc:
        print(f"lambda build failed: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
