"""The house: imports run one way (import-linter's contracts in pyproject.toml) and no module or
room imports itself back through others (no cycle between files, none between subpackages)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("hipcoach", "forwardrules")
# Cycles still being taken apart, each by the work named; this list only ever shrinks.
KNOWN_FILE_CYCLES: frozenset[frozenset[str]] = frozenset(
    {
        # issue 23: the handlers are rebuilt on one conversation policy and never import each other
        frozenset({"hipcoach.handlers.interview", "hipcoach.handlers.routines"}),
        frozenset({"hipcoach.handlers.prevention", "hipcoach.handlers.questions"}),
        # issue 24: the engine's own
        frozenset({"forwardrules.records", "forwardrules.vocabulary"}),
        frozenset({"forwardrules.explain", "forwardrules.results"}),
        frozenset(
            {
                "forwardrules.host",
                "forwardrules.questions",
                "forwardrules.rulebook",
                "forwardrules.session",
            }
        ),
    }
)


def strongly_connected(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """Tarjan's strongly connected components of more than one node: the import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES)


def _edges(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    return {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}


def _room(module: str) -> str:
    """A module's room: its top package's direct subpackage or module (hipcoach.memory)."""
    return ".".join(module.split(".")[:2])


def test_no_import_cycle_between_files_beyond_those_being_taken_apart(graph):
    cycles = set(strongly_connected(_edges(graph)))
    assert cycles - KNOWN_FILE_CYCLES == set()


def test_no_import_cycle_between_the_skills_rooms(graph):
    """hipcoach's subpackages (forwardrules is one flat package: its files are its rooms)."""
    rooms: dict[str, set[str]] = {}
    for importer, imported in _edges(graph).items():
        for target in imported:
            if importer.startswith("hipcoach.") and _room(importer) != _room(target):
                rooms.setdefault(_room(importer), set()).add(_room(target))
    assert strongly_connected(rooms) == []


def test_import_linter_contracts_hold():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-4000:]
