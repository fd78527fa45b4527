"""`ask deploy` from a clean clone: the project's ASK CLI runs, reads ask-resources.json as the
deployer will, picks the project's build hook, and the CloudFormation deployer's template takes
exactly the parameters the CLI passes and gives back the endpoint it reads. Offline: the ASK CLI's
own code is run on the configuration, nothing is sent to AWS or Amazon."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import decode

ROOT = Path(__file__).resolve().parents[2]
ASK_CLI = ROOT / "infrastructure" / "ask-cli"
ASK_LIB = ASK_CLI / "node_modules" / "ask-cli" / "dist" / "lib"
ASK_BIN = ASK_CLI / "node_modules" / ".bin" / "ask"
STACK = ROOT / "infrastructure" / "cfn-deployer" / "skill-stack.yaml"
SAM = ROOT / "lambda" / "template.yaml"
RESOURCES = json.loads((ROOT / "ask-resources.json").read_text(encoding="utf-8"))
PROFILE = RESOURCES["profiles"]["default"]
INFRA = PROFILE["skillInfrastructure"]
# The parameters the cfn-deployer always passes (ask-cli's cfn-deployer _mapStackParameters).
DEPLOYER_PARAMETERS = {"SkillId", "LambdaRuntime", "LambdaHandler", "CodeBucket", "CodeKey",
                       "CodeVersion"}  # fmt: skip
# Where Alexa's Lambda trigger exists; the cfn-deployer's own map for each Alexa region.
ALEXA_TRIGGER_REGIONS = {"us-east-1", "us-west-2", "eu-west-1"}
ALEXA_REGIONS = {"default", "NA", "EU", "FE"}

needs_ask_cli = pytest.mark.skipif(
    not ASK_BIN.exists() or shutil.which("node") is None,
    reason="the project's ASK CLI is not installed (make install, with Node 20)",
)


def load(path: Path) -> dict[str, Any]:
    parsed, errors = decode(str(path))
    assert not errors, errors
    return dict(parsed)


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    return load(STACK)


@pytest.fixture(scope="module")
def sam() -> dict[str, Any]:
    return load(SAM)


@pytest.mark.slow
def test_cfn_lint_passes_on_the_deployer_template():
    exe = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run(
        [str(exe) if exe.exists() else "cfn-lint", str(STACK)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@needs_ask_cli
def test_the_projects_ask_cli_runs():
    """ask-cli 2.30.7 with antlr4ts 0.5.0-dev dies on every command; the override keeps it alive."""
    version = subprocess.run(
        [str(ASK_BIN), "--version"], capture_output=True, text=True, timeout=120
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == "2.30.7"
    helped = subprocess.run(
        [str(ASK_BIN), "deploy", "--help"], capture_output=True, text=True, timeout=120
    )
    assert helped.returncode == 0, helped.stderr
    assert "--target" in helped.stdout
    lock = json.loads((ASK_CLI / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/antlr4ts"]["version"] == "0.5.0-alpha.4"


def test_the_virtual_environment_runs_the_projects_ask_cli():
    link = Path(sys.executable).parent / "ask"
    if not link.is_symlink():
        pytest.skip("no .venv/bin/ask (npm was missing at install time)")
    assert link.resolve() == ASK_BIN.resolve()


def test_ask_resources_deploys_code_and_infrastructure_with_the_cfn_deployer(stack):
    assert INFRA["type"] == "@ask-cli/cfn-deployer"
    config = INFRA["userConfig"]
    assert (ROOT / config["templatePath"]).resolve() == STACK
    # The runtime the zip is built for (its bytecode and extension), and one the template accepts.
    build_zip = (ROOT / "lambda" / "build_zip.py").read_text(encoding="utf-8")
    target = re.search(r"TARGET_PYTHON = \((\d+), (\d+)\)", build_zip)
    assert target and config["runtime"] == f"python{target.group(1)}.{target.group(2)}"
    assert stack["Parameters"]["LambdaRuntime"]["AllowedValues"] == [config["runtime"]]
    assert config["handler"] == "lambda_function.lambda_handler"
    assert (ROOT / "lambda" / "lambda_function.py").is_file()
    for region, code in PROFILE["code"].items():
        assert region in ALEXA_REGIONS
        assert (ROOT / code["src"]).resolve() == ROOT / "lambda"


def test_every_region_deploys_where_alexas_trigger_exists(stack):
    config = INFRA["userConfig"]
    assert config["awsRegion"] in ALEXA_TRIGGER_REGIONS
    overrides = config.get("regionalOverrides", {})
    for region in PROFILE["code"]:
        aws_region = config["awsRegion"] if region == "default" else overrides[region]["awsRegion"]
        assert aws_region in ALEXA_TRIGGER_REGIONS, (region, aws_region)


def test_user_parameters_are_declared_and_not_reserved(stack):
    config = INFRA["userConfig"]
    sets = [config.get("cfn", {}).get("parameters", {})]
    sets += [o.get("cfn", {}).get("parameters", {}) for o in config["regionalOverrides"].values()]
    declared = stack["Parameters"]
    for parameters in sets:
        assert not set(parameters) & DEPLOYER_PARAMETERS
        for name, value in parameters.items():
            assert name in declared, name
            assert isinstance(value, str)  # CloudFormation parameter values are strings
            allowed = declared[name].get("AllowedValues")
            assert allowed is None or value in [str(a) for a in allowed], (name, value)
    # Everything else the template asks for has a default.
    needed = {n for n, p in declared.items() if "Default" not in p}
    assert needed == DEPLOYER_PARAMETERS


def test_the_stack_gives_the_deployer_its_endpoint_and_binds_the_trigger_to_the_skill(stack):
    resources = stack["Resources"]
    assert stack["Outputs"]["SkillEndpoint"]["Value"] == {"Fn::GetAtt": ["SkillFunction", "Arn"]}
    function = resources["SkillFunction"]["Properties"]
    assert function["Code"] == {
        "S3Bucket": {"Ref": "CodeBucket"},
        "S3Key": {"Ref": "CodeKey"},
        "S3ObjectVersion": {"Ref": "CodeVersion"},
    }
    assert function["Handler"] == {"Ref": "LambdaHandler"}
    assert function["Runtime"] == {"Ref": "LambdaRuntime"}
    (trigger,) = [r for r in resources.values() if r["Type"] == "AWS::Lambda::Permission"
                  and r["Properties"]["Principal"] == "alexa-appkit.amazon.com"]  # fmt: skip
    assert trigger["Properties"]["EventSourceToken"] == {"Ref": "SkillId"}
    assert trigger["Properties"]["Action"] == "lambda:InvokeFunction"


def test_the_two_templates_deploy_the_same_skill(stack, sam):
    """infrastructure/ (ASK CLI) and lambda/template.yaml (SAM) must not drift apart."""
    ours, theirs = stack["Resources"], sam["Resources"]
    assert ours["AttributesTable"] == theirs["AttributesTable"]
    function, sam_function = (
        ours["SkillFunction"]["Properties"],
        theirs["SkillFunction"]["Properties"],
    )
    for key in ("MemorySize", "Timeout", "Architectures"):
        assert function[key] == sam_function[key], key
    assert sam_function["Runtime"] in stack["Parameters"]["LambdaRuntime"]["AllowedValues"]
    assert set(function["Environment"]["Variables"]) == set(
        sam_function["Environment"]["Variables"]
    )
    (sam_policy,) = sam_function["Policies"]
    role = ours["SkillFunctionRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    dynamodb = [s for s in role["Statement"] if s["Action"][0].startswith("dynamodb:")]
    assert dynamodb == sam_policy["Statement"]


def test_the_skill_function_can_only_touch_its_own_table_and_log_group(stack):
    role = stack["Resources"]["SkillFunctionRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    for statement in role["Statement"]:
        assert "*" not in json.dumps(statement["Resource"])
        assert all("*" not in action for action in statement["Action"])
    pages_role = stack["Resources"]["LegalPagesRole"]["Properties"]["Policies"][0]
    assert "dynamodb" not in json.dumps(pages_role)


def test_memory_can_be_turned_off_without_an_empty_table_name_breaking_the_skill(stack):
    variables = stack["Resources"]["SkillFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["HIPCOACH_DYNAMODB_TABLE"] == {
        "Fn::If": ["Remember", {"Ref": "AttributesTable"}, ""]
    }
    from hipcoach.persistence.dynamodb import from_environment

    os.environ["HIPCOACH_DYNAMODB_TABLE"] = ""
    try:
        assert from_environment() is None  # no memory, no failure
    finally:
        del os.environ["HIPCOACH_DYNAMODB_TABLE"]


def test_the_legal_pages_are_optional_and_published_as_outputs(stack):
    assert stack["Parameters"]["HostLegalPages"]["Default"] == "true"
    for name in ("PrivacyPolicyUrl", "TermsOfUseUrl"):
        assert stack["Outputs"][name]["Condition"] == "ServeLegalPages"
    assert stack["Resources"]["LegalPagesFunction"]["Properties"]["Handler"] == (
        "legal_pages.handler"
    )
    assert stack["Resources"]["LegalPagesUrl"]["Properties"]["AuthType"] == "NONE"


def _node_script(tmp_path: Path, body: str) -> dict[str, Any]:
    """Run `body` with the ASK CLI's own modules, in a copy of the project's layout."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "ask-resources.json", project)
    for name in ("hooks", "infrastructure"):
        (project / name).symlink_to(ROOT / name)
    # The CLI copies the code folder into .ask/: a real folder, as in a clone.
    shutil.copytree(
        ROOT / "lambda", project / "lambda", ignore=shutil.ignore_patterns("__pycache__")
    )
    script = tmp_path / "probe.js"
    script.write_text(f"const lib = {json.dumps(str(ASK_LIB))};\n{body}", encoding="utf-8")
    result = subprocess.run(
        ["node", str(script)], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    parsed: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


PROBE = """
const path = require("path");
const ResourcesConfig = require(lib + "/model/resources-config");
const CodeBuilder = require(lib + "/controllers/skill-code-controller/code-builder");
const config = new ResourcesConfig(path.resolve("ask-resources.json"));
const profile = "default";
const regions = config.getCodeRegions(profile);
const build = config.getCodeBuildByRegion(profile, "default");
const builder = new CodeBuilder({src: config.getCodeSrcByRegion(profile, "default"), build});
const deployer = require(lib + "/builtins/deploy-delegates/cfn-deployer");
"""


@needs_ask_cli
def test_the_ask_cli_reads_the_configuration_and_builds_with_the_projects_hook(tmp_path):
    found = _node_script(
        tmp_path,
        PROBE
        + """console.log(JSON.stringify({
    infra: config.getSkillInfraType(profile), meta: config.getSkillMetaSrc(profile), regions,
    flow: builder.BuildFlowClass.name, deployer: Object.keys(deployer).sort()}));""",
    )
    assert found["infra"] == "@ask-cli/cfn-deployer"
    assert found["meta"] == "./dist/skill-package"
    assert sorted(found["regions"]) == sorted(PROFILE["code"])
    assert found["flow"] == "CustomBuildFlow"  # hooks/build.sh, not the CLI's pip flow
    assert found["deployer"] == ["bootstrap", "invoke"]


@pytest.mark.slow
@needs_ask_cli
def test_the_build_hook_makes_the_projects_zip_where_the_ask_cli_wants_it(tmp_path):
    found = _node_script(
        tmp_path,
        PROBE
        + """builder.execute((error) => {
    if (error) { console.error(error); process.exit(1); }
    console.log(JSON.stringify({zip: build.file}));
});""",
    )
    with zipfile.ZipFile(found["zip"]) as archive:
        names = set(archive.namelist())
    assert {"lambda_function.py", "legal_pages.py", "legal/privacy-policy.md"} <= names
    assert any(n.startswith("hipcoach/") for n in names)
