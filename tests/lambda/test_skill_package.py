"""lambda/skill_package.py (the package `ask deploy` uploads) and lambda/legal_pages.py (the
privacy policy and terms of use the stack serves)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRACKED = ROOT / "skill" / "skill-package"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "lambda" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


skill_package = load("skill_package")
legal_pages = load("legal_pages")
ARN = "arn:aws:lambda:{}:123456789012:function:ask-hipcoach-skill"


def states(regions: dict[str, dict[str, str]]) -> dict:
    deploy_state = {
        region: {"outputs": [{"OutputKey": k, "OutputValue": v} for k, v in outputs.items()]}
        for region, outputs in regions.items()
    }
    return {
        "askcliStatesVersion": "2020-03-31",
        "profiles": {
            "default": {
                "skillInfrastructure": {"@ask-cli/cfn-deployer": {"deployState": deploy_state}}
            }
        },
    }


def build(tmp_path: Path, ask_states: dict | None, environ: dict[str, str]) -> dict:
    states_file = tmp_path / "ask-states.json"
    if ask_states is not None:
        states_file.write_text(json.dumps(ask_states))
    written = skill_package.build(
        output=tmp_path / "dist" / "skill-package", states_file=states_file, environ=environ
    )
    return json.loads(written.read_text())["manifest"]


def test_before_the_first_deploy_the_package_is_the_tracked_one(tmp_path):
    before = (TRACKED / "skill.json").read_bytes()
    manifest = build(tmp_path, None, {})
    assert manifest == json.loads(before)["manifest"]
    assert (TRACKED / "skill.json").read_bytes() == before  # never edited
    copied = tmp_path / "dist" / "skill-package"
    assert (copied / "assets" / "images" / "en-GB_largeIconUri.png").is_file()
    assert sorted(p.name for p in (copied / "interactionModels" / "custom").iterdir()) == sorted(
        p.name for p in (TRACKED / "interactionModels" / "custom").iterdir()
    )


def test_after_a_deploy_the_endpoints_and_the_served_pages_are_filled_in(tmp_path):
    served = "https://abc.lambda-url.us-east-1.on.aws/"
    manifest = build(
        tmp_path,
        states(
            {
                "default": {
                    "SkillEndpoint": ARN.format("us-east-1"),
                    "PrivacyPolicyUrl": served + "privacy",
                    "TermsOfUseUrl": served + "terms",
                },
                "EU": {"SkillEndpoint": ARN.format("eu-west-1")},
            }
        ),
        {},
    )
    custom = manifest["apis"]["custom"]
    assert custom["endpoint"] == {"uri": ARN.format("us-east-1")}
    assert custom["regions"] == {"EU": {"endpoint": {"uri": ARN.format("eu-west-1")}}}
    assert custom["interfaces"]  # APL kept
    for locale in ("en-US", "en-GB"):
        legal = manifest["privacyAndCompliance"]["locales"][locale]
        assert legal == {"privacyPolicyUrl": served + "privacy", "termsOfUseUrl": served + "terms"}
    check = load("check_package")
    package = tmp_path / "dist" / "skill-package"
    assert list(check.placeholders(manifest, package)) == []
    assert list(check.errors(manifest)) == []


def test_your_own_addresses_win_over_the_stacks(tmp_path):
    manifest = build(
        tmp_path,
        states({"default": {"PrivacyPolicyUrl": "https://x.on.aws/privacy"}}),
        {"HIPCOACH_PRIVACY_POLICY_URL": "https://coach.example.net/privacy"},
    )
    legal = manifest["privacyAndCompliance"]["locales"]["en-GB"]
    assert legal == {"privacyPolicyUrl": "https://coach.example.net/privacy"}


def event(path: str, method: str = "GET") -> dict:
    return {"rawPath": path, "requestContext": {"http": {"method": method}}}


@pytest.mark.parametrize(
    ("path", "document"), [("/privacy", "privacy-policy.md"), ("/terms/", "terms-of-use.md")]
)
def test_the_pages_serve_the_documents(path, document):
    reply = legal_pages.handler(event(path), None)
    assert reply["statusCode"] == 200
    assert reply["headers"]["Content-Type"] == "text/html; charset=utf-8"
    body = reply["body"]
    first = (ROOT / "docs" / document).read_text().splitlines()[0].removeprefix("# ")
    assert f"<h1>{first}</h1>" in body and f"<title>{first}</title>" in body
    assert "<strong>" in body and "**" not in body and "\n- " not in body
    assert legal_pages.handler(event(path, "HEAD"), None)["body"] == ""


@pytest.mark.parametrize("path", ["/", "/privacy.md", "/../lambda_function.py", "/admin"])
def test_anything_else_is_not_found(path):
    assert legal_pages.handler(event(path), None)["statusCode"] == 404
    assert legal_pages.handler(event("/privacy", "POST"), None)["statusCode"] == 404


def test_markup_in_the_documents_is_escaped():
    page = legal_pages.render("# T <b>\n\nA <script>x</script> & **bold**\n\n- one\n  more\n")
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp;" in page
    assert "<li>one more</li>" in page and "<strong>bold</strong>" in page


@pytest.mark.parametrize("document", ["privacy-policy.md", "terms-of-use.md"])
def test_the_documents_name_what_certification_asks(document):
    text = " ".join((ROOT / "docs" / document).read_text().lower().split())
    if document == "privacy-policy.md":
        for needed in ("what hip coach keeps", "where", "how long", "who can see",
                       "delete my data", "likely cause", "urgency", "training", "shoes",
                       "routine"):  # fmt: skip
            assert needed in text, needed
    else:
        for needed in ("not medical advice", "not a substitute", "911", "999", "diagnos"):
            assert needed in text, needed
