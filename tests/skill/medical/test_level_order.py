"""content/level_order.yaml: the levels' order and result parts, read without PyYAML or the engine."""

from __future__ import annotations

import json
import subprocess
import sys

import yaml

from hipcoach.medical.knowledge import knowledge
from hipcoach.medical.level_order import LEVEL_ORDER_FILE, level_order


def test_the_order_is_the_rules_and_the_levels_file():
    order = level_order().order
    assert tuple(knowledge().levels) == order
    assert yaml.safe_load(LEVEL_ORDER_FILE.read_text(encoding="utf-8"))["order"] == list(order)
    assert level_order().highest(["urgent", "self_care", "unknown"]) == "urgent"
    assert level_order().highest([]) is None


def test_read_at_launch_without_yaml_or_the_engine():
    code = (
        "import json, sys; from hipcoach.medical.level_order import level_order; "
        "level_order(); print(json.dumps(sorted(m for m in ('yaml', 'forwardrules') "
        "if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
