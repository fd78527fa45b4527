"""Where the knowledge base (the top-level content/ folder, YAML data only) lies.

content/ is data, not a package: in the repository it sits two levels above this file
(skill/hipcoach/ -> the repository root); in the Lambda zip one level (beside hipcoach/).
HIPCOACH_CONTENT overrides both, for a deployment that keeps the data elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

_MARKER = "sources.yaml"  # every content tree names its seed articles here


def find_content_dir() -> Path:
    """The content folder: $HIPCOACH_CONTENT, else the first content/ above this package."""
    configured = os.environ.get("HIPCOACH_CONTENT")
    if configured:
        return Path(configured).resolve()
    package = Path(__file__).resolve().parent
    for base in (package.parent, package.parent.parent):
        if (base / "content" / _MARKER).is_file():
            return base / "content"
    raise FileNotFoundError(
        f"no content/ folder with {_MARKER} beside or above {package}; set HIPCOACH_CONTENT"
    )


CONTENT_DIR = find_content_dir()
