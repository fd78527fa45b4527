"""Check the skill manifest for what certification would reject: ``python lambda/check_package.py``.

Warns (exit 0) while an icon, privacy-policy or terms-of-use URL is missing or still a placeholder
(not https, or a host under example.com, example.org or example.net, RFC 2606's documentation
domains): Amazon needs real, reachable ones before the skill can be submitted. An icon may also be
a ``file://`` path inside the skill package (the ASK CLI uploads it with the package); the file
must exist. ``--strict`` turns the warnings into a failure (exit 1), for a release build.

Fails always (exit 1) when ``usesHealthInfo`` is true (that declares the developer a HIPAA Covered
Entity or Business Associate whose skill has Amazon process PHI, which Hip Coach is not) or when
``usesPersonalInfo`` is not true (the skill keeps each runner's last check, training and shoes
across days): docs/deploying.md argues both. ``make lambda`` runs it on the package that
``ask deploy`` uploads (dist/skill-package/, written by lambda/skill_package.py), where the
privacy and terms URLs come from the deployed stack or your own.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "skill" / "skill-package" / "skill.json"
PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net")
# Per locale: (section of the manifest, field) holding a URL Amazon shows or links to.
URL_FIELDS = (
    ("publishingInformation", "smallIconUri"),
    ("publishingInformation", "largeIconUri"),
    ("privacyAndCompliance", "privacyPolicyUrl"),
    ("privacyAndCompliance", "termsOfUseUrl"),
)


def is_placeholder(url: object, package: Path | None = None) -> bool:
    """Missing, not https, or on a documentation domain; a ``file://`` path counts when the file
    is inside `package` (the skill package folder)."""
    if not isinstance(url, str) or not url:
        return True
    if url.startswith("file://") and package is not None:
        target = (package / url.removeprefix("file://")).resolve()
        return not (target.is_relative_to(package.resolve()) and target.is_file())
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    on_example = any(host == d or host.endswith("." + d) for d in PLACEHOLDER_DOMAINS)
    return parts.scheme != "https" or on_example


def placeholders(manifest: dict[str, Any], package: Path | None = None) -> Iterator[str]:
    """`section.locales.<locale>.field = url` for every URL that still needs a real value, for
    every locale the skill is published in."""
    published = sorted(manifest.get("publishingInformation", {}).get("locales", {}))
    for section, field in URL_FIELDS:
        locales = manifest.get(section, {}).get("locales", {})
        for locale in sorted(set(published) | set(locales)):
            url = locales.get(locale, {}).get(field)
            if is_placeholder(url, package):
                yield f"{section}.locales.{locale}.{field} = {url}"


def errors(manifest: dict[str, Any]) -> Iterator[str]:
    declared = manifest.get("privacyAndCompliance", {}).get("usesHealthInfo")
    if declared is not None and declared is not False:  # unset counts as false (the schema)
        yield (
            "privacyAndCompliance.usesHealthInfo must be false: true declares a HIPAA Covered "
            "Entity or Business Associate having Amazon process PHI (docs/deploying.md)"
        )
    if manifest.get("privacyAndCompliance", {}).get("usesPersonalInfo") is not True:
        yield (
            "privacyAndCompliance.usesPersonalInfo must be true: the skill keeps each runner's "
            "last check, training and shoes under their user id (docs/deploying.md)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--strict", action="store_true", help="fail on placeholder URLs too")
    args = parser.parse_args(argv)
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))["manifest"]
    found_errors = list(errors(manifest))
    found_placeholders = list(placeholders(manifest, args.manifest.parent))
    for message in found_errors:
        print(f"error: {message}", file=sys.stderr)
    if found_placeholders:
        level = "error" if args.strict else "warning"
        print(
            f"{level}: {len(found_placeholders)} URLs missing or placeholders in {args.manifest}; "
            "set them before submitting the skill for certification (docs/deploying.md):",
            file=sys.stderr,
        )
        for line in found_placeholders:
            print(f"  {line}", file=sys.stderr)
    if found_errors or (args.strict and found_placeholders):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
