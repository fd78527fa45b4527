"""The SAM template passes cfn-lint and grants exactly what the skill needs; ASK CLI resources."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cfnlint.decode import decode

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "lambda" / "template.yaml"


def cfn_lint() -> list[str]:
    exe = Path(sys.executable).with_name("cfn-lint")
    return [str(exe)] if exe.exists() else [shutil.which("cfn-lint") or "cfn-lint"]


@pytest.mark.slow
def test_cfn_lint_passes():
    result = subprocess.run(
        [*cfn_lint(), str(TEMPLATE)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def template() -> dict:
    parsed, errors = decode(str(TEMPLATE))
    assert not errors
    return parsed


def test_function(template):
    function = template["Resources"]["SkillFunction"]
    assert function["Type"] == "AWS::Serverless::Function"
    props = function["Properties"]
    assert props["Runtime"] == "python3.11"
    assert props["Architectures"] == ["x86_64"]
    assert props["Handler"] == "lambda_function.lambda_handler"
    assert props["MemorySize"] == 128
    assert props["Timeout"] < 8
    assert (TEMPLATE.parent / props["CodeUri"]).resolve() == ROOT / "dist" / "hipcoach-lambda.zip"
    env = props["Environment"]["Variables"]
    assert env["HIPCOACH_DYNAMODB_TABLE"] == {"Ref": "AttributesTable"}
    assert env["SKILL_ID"] == {"Ref": "SkillId"}
    event = props["Events"]["AlexaSkill"]
    assert event["Type"] == "AlexaSkill"
    assert event["Properties"]["SkillId"] == {"Ref": "SkillId"}


def test_least_privilege(template):
    (policy,) = template["Resources"]["SkillFunction"]["Properties"]["Policies"]
    (statement,) = policy["Statement"]
    assert statement["Effect"] == "Allow"
    assert sorted(statement["Action"]) == [
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
    ]
    assert statement["Resource"] == {"Fn::GetAtt": ["AttributesTable", "Arn"]}


def test_table(template):
    table = template["Resources"]["AttributesTable"]
    assert table["Type"] == "AWS::DynamoDB::Table"
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert props["AttributeDefinitions"] == [{"AttributeName": "id", "AttributeType": "S"}]
    assert table["DeletionPolicy"] == "Retain"


def test_ask_resources_points_at_the_generated_skill_package():
    """`ask deploy` uploads dist/skill-package (lambda/skill_package.py, from the tracked one)."""
    resources = json.loads((ROOT / "ask-resources.json").read_text())
    src = resources["profiles"]["default"]["skillMetadata"]["src"]
    assert (ROOT / src).resolve() == ROOT / "dist" / "skill-package"
    package = ROOT / "skill" / "skill-package"
    assert (package / "skill.json").is_file()
    assert list((package / "interactionModels" / "custom").glob("*.json"))
