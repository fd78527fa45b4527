"""The skill package `ask deploy` uploads: ``make lambda`` -> ``dist/skill-package/``.

A copy of the tracked skill/skill-package/ with what only a deployment knows, so no tracked file
is ever edited by hand or by the ASK CLI (ask-resources.json points the CLI at this copy):

* the endpoint of each Alexa region, kept from the last ``ask deploy`` (the ``SkillEndpoint``
  output of each region's stack, recorded by the CLI in ``.ask/ask-states.json``); the CLI writes
  it into this copy itself after deploying the stack;
* the privacy-policy and terms-of-use URLs of every locale: ``HIPCOACH_PRIVACY_POLICY_URL`` and
  ``HIPCOACH_TERMS_OF_USE_URL`` when you host the documents yourself, otherwise the
  ``PrivacyPolicyUrl`` and ``TermsOfUseUrl`` outputs of the default region's stack (the pages it
  serves). Before the first deploy there are none: the skill works in development, and
  ``lambda/check_package.py`` says they are missing (certification needs them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "skill" / "skill-package"
DEFAULT_OUTPUT = ROOT / "dist" / "skill-package"
STATES = ROOT / ".ask" / "ask-states.json"
DEPLOYER = "@ask-cli/cfn-deployer"
DEFAULT_REGION = "default"
# manifest field -> (environment variable, stack output)
LEGAL_URLS = {
    "privacyPolicyUrl": ("HIPCOACH_PRIVACY_POLICY_URL", "PrivacyPolicyUrl"),
    "termsOfUseUrl": ("HIPCOACH_TERMS_OF_USE_URL", "TermsOfUseUrl"),
}


def stack_outputs(states: dict[str, Any], profile: str) -> dict[str, dict[str, str]]:
    """{Alexa region: {output key: value}} from the ASK CLI's record of its deploys."""
    infrastructure = states.get("profiles", {}).get(profile, {}).get("skillInfrastructure", {})
    deploy_state = infrastructure.get(DEPLOYER, {}).get("deployState", {})
    found: dict[str, dict[str, str]] = {}
    for region, state in deploy_state.items():
        outputs = state.get("outputs") if isinstance(state, dict) else None
        if isinstance(outputs, list):
            found[region] = {
                o["OutputKey"]: o["OutputValue"]
                for o in outputs
                if isinstance(o, dict) and "OutputKey" in o and "OutputValue" in o
            }
    return found


def complete(
    manifest: dict[str, Any], outputs: dict[str, dict[str, str]], environ: dict[str, str]
) -> dict[str, Any]:
    """The manifest with the deployed endpoints and the legal URLs filled in (a new dict)."""
    result: dict[str, Any] = json.loads(json.dumps(manifest))
    body = result["manifest"]
    custom = body.setdefault("apis", {}).setdefault("custom", {})
    for region, values in sorted(outputs.items()):
        endpoint = values.get("SkillEndpoint")
        if not endpoint:
            continue
        if region == DEFAULT_REGION:  # the ASK CLI's own layout (Manifest.setApisEndpoint...)
            custom["endpoint"] = {"uri": endpoint}
        else:
            custom.setdefault("regions", {})[region] = {"endpoint": {"uri": endpoint}}
    served = outputs.get(DEFAULT_REGION, {})
    compliance = body.setdefault("privacyAndCompliance", {})
    for locale in body.get("publishingInformation", {}).get("locales", {}):
        for field, (variable, output) in LEGAL_URLS.items():
            url = environ.get(variable) or served.get(output)
            if url:
                compliance.setdefault("locales", {}).setdefault(locale, {})[field] = url
    return result


def build(
    source: Path = SOURCE,
    output: Path = DEFAULT_OUTPUT,
    states_file: Path = STATES,
    profile: str = "default",
    environ: dict[str, str] | None = None,
) -> Path:
    """Write the deployable skill package; returns its skill.json."""
    states = json.loads(states_file.read_text(encoding="utf-8")) if states_file.is_file() else {}
    manifest = json.loads((source / "skill.json").read_text(encoding="utf-8"))
    completed = complete(manifest, stack_outputs(states, profile), dict(environ or os.environ))
    partial = output.with_name(output.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(source, partial)
    (partial / "skill.json").write_text(json.dumps(completed, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(output, ignore_errors=True)
    partial.replace(output)
    return output / "skill.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--states", type=Path, default=STATES)
    parser.add_argument("--profile", default="default", help="the ASK CLI profile deployed")
    args = parser.parse_args(argv)
    written = build(output=args.output, states_file=args.states, profile=args.profile)
    print(f"skill package for ask deploy: {written.parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
