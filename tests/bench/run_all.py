"""`make bench`: every benchmark, printed side by side, and recorded in docs/benchmarks.md.

Each benchmark module in this folder exposes `run() -> Section`; figures are measured, printed
as ratios and numbers, never asserted as wall-clock limits.
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
REPORT = ROOT / "docs" / "benchmarks.md"
# Sections in report order; each module is tests/bench/<name>.py with run() -> Section.
MODULES = ["engine_bench", "perf_bench", "load_bench"]


@dataclass
class Section:
    title: str
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # figure, value, target
    notes: list[str] = field(default_factory=list)
    command: str = "make bench"
    columns: list[str] = field(default_factory=list)  # a side-by-side table, before the rows
    grid: list[list[str]] = field(default_factory=list)

    def add(self, figure: str, value: str, target: str = "") -> None:
        self.rows.append((figure, value, target))


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def render(sections: list[Section]) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {machine()}.",
        "Figures are printed as measured; targets are the issues' aims, not test assertions.",
        "",
    ]
    for section in sections:
        lines += [f"## {section.title}", "", f"Reproduce: `{section.command}`", ""]
        if section.grid:
            lines += [*_table(section.columns, section.grid), ""]
        if section.rows:
            lines += _table(["figure", "value", "target"], [list(row) for row in section.rows])
        lines += [""] + [f"- {note}" for note in section.notes] + [""]
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    sys.path.insert(0, str(HERE))
    sections: list[Section] = []
    for name in MODULES:
        if not (HERE / f"{name}.py").exists():
            continue
        started = time.perf_counter()
        module = importlib.import_module(name)
        result = module.run()  # one Section, or a list of them
        for section in result if isinstance(result, list) else [result]:
            sections.append(section)
            print(f"\n== {section.title} ({time.perf_counter() - started:.0f} s)")
            if section.grid:
                widths = [
                    max(len(row[i]) for row in [section.columns, *section.grid])
                    for i in range(len(section.columns))
                ]
                for row in [section.columns, *section.grid]:
                    print(
                        "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
                    )
            width = max(len(row[0]) for row in section.rows) if section.rows else 0
            for figure, value, target in section.rows:
                aim = f"   (target {target})" if target else ""
                print(f"  {figure:<{width}}  {value}{aim}")
            for note in section.notes:
                print(f"  - {note}")
    REPORT.write_text(render(sections), encoding="utf-8")
    print(f"\nwritten to {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
