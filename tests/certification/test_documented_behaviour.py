"""What the documentation promises a deployer, checked against what runs: the web service's
health body, the console options README names, the Lambda runtime's stated deprecation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cfnlint.decode import decode

from hipcoach.app import build_skill
from hipcoach.hosting.web import create_app

ROOT = Path(__file__).resolve().parents[2]
DEPLOYING = (ROOT / "docs" / "deploying.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("verify", [True, False])
def test_health_answers_the_documented_body(verify):
    documented = re.search(r"GET `/health` answers `(\{[^`]*\})`", DEPLOYING)
    assert documented, "docs/deploying.md documents /health"
    skill_id = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
    client = create_app(build_skill(), verify=verify, skill_id=skill_id).test_client()
    reply = client.get("/health")
    assert reply.status_code == 200
    assert reply.get_data(as_text=True).strip() == documented.group(1).replace(" ", "")


def test_readme_documents_every_console_option():
    from hipcoach.standin import chat

    parser_source = Path(chat.__file__).read_text(encoding="utf-8")
    options = set(re.findall(r'add_argument\(\s*"(--[a-z-]+)"', parser_source))
    assert {"--locale", "--apl", "--speak"} <= options
    for option in options:
        assert f"`{option}" in README or f" {option}" in README, option


def test_the_runtime_and_its_deprecation_are_stated():
    """The template's runtime is the zip's; deploying.md gives its deprecation date and the plan."""
    parsed, errors = decode(str(ROOT / "lambda" / "template.yaml"))
    assert not errors
    runtime = parsed["Resources"]["SkillFunction"]["Properties"]["Runtime"]
    assert runtime in DEPLOYING
    section = DEPLOYING[DEPLOYING.index("## Python runtime") :]
    assert re.search(r"deprecat\w+ on \w+ \d+, 20\d\d", section), section[:400]
