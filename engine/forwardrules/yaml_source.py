"""YAML loading that remembers the line each mapping started on, for error messages.

PyYAML is imported on the first parse, so a rulebook read from the validated cache needs no YAML.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

_EXPONENT_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$")


class LineDict(dict[Any, Any]):
    """A mapping from YAML that knows its 1-based source line."""

    line: int | None = None


@cache
def _line_loader() -> type:
    import yaml

    # libyaml's parser (in PyYAML's wheels) is about ten times faster than the pure-Python one.
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    resolved: dict[tuple[Any, Any, Any], Any] = {}

    class _LineLoader(base):  # type: ignore[valid-type,misc]
        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            # Tag resolution runs regular expressions on every scalar; the answer depends only
            # on these three (rule files repeat the same keys and values thousands of times).
            key = (kind, value, implicit)
            try:
                return resolved[key]
            except KeyError:
                tag = resolved[key] = super().resolve(kind, value, implicit)
                return tag
            except TypeError:  # an unhashable value: resolve it the ordinary way
                return super().resolve(kind, value, implicit)

    # YAML 1.1 reads 1e300 and 1.0e300 (no dot or no sign in the exponent) as text; YAML 1.2
    # and JSON read them as numbers, and so do the rules.
    _LineLoader.add_implicit_resolver(
        "tag:yaml.org,2002:float", _EXPONENT_FLOAT, list("-+0123456789.")
    )

    def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:  # an unhashable key: construct_mapping reports it
                continue
            if first is not key_node:  # the last would silently win
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r} (first on line {first.start_mark.line + 1})",
                    key_node.start_mark,
                )
        mapping = LineDict(loader.construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        return mapping

    _LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    return _LineLoader


def load_yaml(path: Path) -> Any:
    """Parse one YAML file (safe tags only); mappings come back as LineDict, knowing the 1-based
    line they start on. Public: a host reads its own content beside the rules the same way."""
    import yaml

    return yaml.load(path.read_text(encoding="utf-8"), Loader=_line_loader())


def line_of(node: object) -> int | None:
    return getattr(node, "line", None)
