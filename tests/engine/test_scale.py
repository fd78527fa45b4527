"""Large rulebooks run (no 256-link or 500-rule limit of durable-rules), and reloading rulebooks
frees the old ones."""

import subprocess
import sys
import textwrap

from forwardrules import host as engine_host
from forwardrules import load_rulebook

from .conftest import write_rules


def shared_first_pattern(count: int) -> str:
    """`count` rules whose first test is the same fact, chained across rulebook chunks: rule i
    derives level i when the previous level is derived, so a run crosses every chunk."""
    lines = [
        "vocabulary:",
        "  facts:",
        "    flag: {type: boolean}",
        "  derived:",
        f"    level: {{type: integer, combine: set, values: [{', '.join(map(str, range(count)))}]}}",
        "    top: {type: integer, combine: max, conclusion: true}",
        "rules:",
        "  - {id: r0, when: {fact: flag, eq: true}, then: [{assert: level, value: 0}]}",
    ]
    for i in range(1, count):
        lines.append(
            f"  - {{id: r{i}, when: {{all: [{{fact: flag, eq: true}}, {{fact: level, eq: {i - 1}}}]}},"
            f" then: [{{assert: level, value: {i}}}, {{assert: top, value: {i}}}]}}"
        )
    return "\n".join(lines) + "\n"


def test_258_rules_sharing_a_first_pattern_validate_and_run(tmp_path):
    book = load_rulebook(write_rules(tmp_path, shared_first_pattern(258)))
    with book.session() as session:
        session.add({"flag": True})
        result = session.result()
    assert result.value("top") == 257
    assert len(result.firings) == 258


def test_forward_chaining_across_many_chunks(tmp_path):
    book = load_rulebook(write_rules(tmp_path, shared_first_pattern(900)))
    assert len(engine_host._compile(book.digest, book.rules, book.vocabulary).chunks) >= 4
    with book.session() as session:
        session.add({"flag": True})
        assert session.result().value("top") == 899
    with book.session() as session:
        session.add({"flag": False})
        assert session.result().firings == ()


RELOADS = textwrap.dedent(
    """
    import pathlib, sys, tempfile
    from forwardrules import load_rulebook
    from forwardrules import host

    def rss():
        return int(open("/proc/self/statm").read().split()[1]) * 4096 / 1e6

    folder = pathlib.Path(tempfile.mkdtemp())
    figures = {}
    for version in range(1, 1001):
        (folder / "rules.yaml").write_text(
            "vocabulary:\\n  facts: {n: {type: integer}}\\n"
            "  derived: {out: {type: integer, combine: max, conclusion: true}}\\nrules:\\n"
            + "".join(
                f"  - {{id: r{i}, when: {{fact: n, ge: {i + version}}}, "
                f"then: [{{assert: out, value: {i}}}]}}\\n" for i in range(20)
            )
        )
        book = load_rulebook(folder)  # new content every time: a replaced rulebook
        with book.session() as session:
            session.add({"n": version + 5})
            assert session.result().value("out") == 5
        if version in (100, 1000):
            figures[version] = rss()
    print(figures[100], figures[1000], host.registered_rulesets())
    """
)


def test_memory_stays_bounded_over_1000_reloads():
    done = subprocess.run(
        [sys.executable, "-c", RELOADS], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    after_100, after_1000, registered = done.stdout.split()
    assert float(after_1000) - float(after_100) < 10  # MB; never freeing grows ~0.3 MB a reload
    assert int(registered) <= 5  # the loader keeps the last few rulebooks


def independent_rules(count: int) -> str:
    """`count` rules each on its own input (x_i at least 10, x_i+1 not 7), and one that holds
    when nothing at all is given: the shape of the 10,000-rule load benchmark."""
    lines = ["vocabulary:", "  facts:"]
    lines += [f"    x{i}: {{type: integer, min: 0, max: 100}}" for i in range(count)]
    lines += [
        "  derived:",
        "    top: {type: integer, combine: max, conclusion: true}",
        "    quiet: {type: boolean, conclusion: true}",
        "rules:",
    ]
    lines += [
        f"  - {{id: r{i}, when: {{all: [{{fact: x{i}, ge: 10}}, "
        f"{{not: {{fact: x{(i + 1) % count}, eq: 7}}}}]}}, then: [{{assert: top, value: {i}}}]}}"
        for i in range(count)
    ]
    lines.append(
        f"  - {{id: none, when: {{fact: x{count - 1}, absent: true}}, "
        "then: [{assert: quiet, value: true}]}"
    )
    return "\n".join(lines) + "\n"


def test_a_run_registers_only_the_chunks_its_inputs_can_match(tmp_path):
    book = load_rulebook(write_rules(tmp_path, independent_rules(1000)))
    with book.session() as session:
        session.add({"x0": 60})
        result = session.result()
        assert (result.value("top"), result.value("quiet")) == (0, True)
    compiled = engine_host._registered[book.digest]
    built = [chunk is not None for chunk in compiled.chunks]
    assert len(built) >= 5
    # the chunk of r0 and the last one (its `absent` rule can fire on no input at all)
    assert built == [True] + [False] * (len(built) - 2) + [True]
    with book.session() as session:  # inputs reaching other chunks: registered then
        session.add({"x500": 20, "x501": 7, "x998": 11, "x999": 3})
        result = session.result()
        assert result.value("top") == 998
        assert result.value("quiet") is None
        assert {firing.rule for firing in result.firings} == {"r998"}  # r500 blocked by x501
    assert sum(chunk is not None for chunk in compiled.chunks) == 4
