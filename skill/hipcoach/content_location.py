"""Where the knowledge base (the top-level content/ folder, YAML data only) lies.

content/ is data, not a package: in the repository it sits two levels above this file
(skill/hipcoach/ -> the repository root); in the Lambda zip one level (beside hipcoach/).
HIPCOACH_CONTENT overrides both, for a deployment that keeps the data elsewhere.

``CONTENT_DIR`` is that folder as a `pathlib.Path`, made on first use; ``CONTENT_ROOT`` the same
as a string, for what a first LaunchRequest reads (a cold start need not import pathlib).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

_MARKER = "sources.yaml"  # every content tree names its seed articles here


def find_content_root() -> str:
    """The content folder: $HIPCOACH_CONTENT, else the first content/ above this package."""
    configured = os.environ.get("HIPCOACH_CONTENT")
    if configured:
        return os.path.realpath(configured)
    package = os.path.dirname(os.path.realpath(__file__))
    for base in (os.path.dirname(package), os.path.dirname(os.path.dirname(package))):
        if os.path.isfile(os.path.join(base, "content", _MARKER)):
            return os.path.join(base, "content")
    raise FileNotFoundError(
        f"no content/ folder with {_MARKER} beside or above {package}; set HIPCOACH_CONTENT"
    )


def find_content_dir() -> Path:
    """`find_content_root` as a Path."""
    from pathlib import Path

    return Path(find_content_root())


CONTENT_ROOT = find_content_root()

if TYPE_CHECKING:
    CONTENT_DIR: Path
else:

    def __getattr__(name: str) -> object:
        if name == "CONTENT_DIR":
            from pathlib import Path

            global CONTENT_DIR
            CONTENT_DIR = Path(CONTENT_ROOT)
            return CONTENT_DIR
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
