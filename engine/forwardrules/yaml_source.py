"""YAML loading that remembers the line each mapping started on, for error messages.

PyYAML is imported on the first parse, so a rulebook read from the validated cache needs no YAML.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from .gc_pause import paused_gc

_EXPONENT_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$")


class LineDict(dict[Any, Any]):
    """A mapping from YAML that knows its 1-based source line (None when unset). A slot, not
    an instance dictionary: 10,000 rules make 80,000 of these."""

    __slots__ = ("line",)
    line: int | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = None

    def __reduce__(self) -> tuple[Any, ...]:  # pickle and copy, every protocol
        return _line_dict, (dict(self), self.line)


def _line_dict(items: dict[Any, Any], line: int | None) -> LineDict:
    mapping = LineDict(items)
    mapping.line = line
    return mapping


@cache
def _line_loader() -> type:
    import yaml

    # libyaml's parser (in PyYAML's wheels) is about ten times faster than the pure-Python one.
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _LineLoader(base):  # type: ignore[valid-type,misc]
        def __init__(self, stream: Any) -> None:
            super().__init__(stream)
            # per document, not per process: reloads of changing content keep memory bounded
            self.resolved: dict[tuple[Any, Any, Any], Any] = {}

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            # Tag resolution runs regular expressions on every scalar; the answer depends only
            # on these three (rule files repeat the same keys and values thousands of times).
            resolved = self.resolved
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
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<`: merged by construct_mapping below, explicit keys winning
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
    _LineLoader.construct_document = _fast_construct_document(yaml)
    return _LineLoader


def _fast_construct_document(yaml: Any) -> Any:
    """construct_document for plain documents without PyYAML's per-node bookkeeping: mappings,
    sequences and strings built directly (half the time of construct_object on 10,000 rules),
    with the same checks and messages; merge keys, other tags and anything unusual go the
    ordinary way. Aliases share one object, as with PyYAML; a recursive one is refused."""
    from yaml.constructor import ConstructorError
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    str_tag, seq_tag = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq"
    map_tag, merge_tag = "tag:yaml.org,2002:map", "tag:yaml.org,2002:merge"

    def construct_document(loader: Any, node: Any) -> Any:
        scalars = loader.yaml_constructors
        built: dict[Any, Any] = {}  # node → object: aliases are the same node
        building: set[Any] = set()

        def build(node: Any) -> Any:
            kind = type(node)
            if kind is ScalarNode:
                if node.tag == str_tag:
                    return node.value
                constructor = scalars.get(node.tag)
                if constructor is not None:
                    return constructor(loader, node)
                return loader.construct_object(node, deep=True)
            known = built.get(node)
            if known is not None:
                return known
            if node in building:
                raise ConstructorError(
                    None, None, "found unconstructable recursive node", node.start_mark
                )
            if kind is SequenceNode and node.tag == seq_tag:
                building.add(node)
                items: Any = [build(child) for child in node.value]
            elif kind is MappingNode and node.tag == map_tag:
                if any(key.tag == merge_tag for key, _ in node.value):
                    return loader.construct_object(node, deep=True)
                building.add(node)
                items = LineDict()
                items.line = node.start_mark.line + 1
                lines: dict[Any, Any] = {}
                for key_node, value_node in node.value:
                    key = build(key_node)
                    try:
                        first = lines.setdefault(key, key_node)
                    except TypeError:
                        raise ConstructorError(
                            "while constructing a mapping",
                            node.start_mark,
                            "found unhashable key",
                            key_node.start_mark,
                        ) from None
                    if first is not key_node:  # the last would silently win
                        raise ConstructorError(
                            "while reading a mapping",
                            node.start_mark,
                            f"found duplicate key {key!r} (first on line "
                            f"{first.start_mark.line + 1})",
                            key_node.start_mark,
                        )
                    items[key] = build(value_node)
            else:
                return loader.construct_object(node, deep=True)
            building.discard(node)
            built[node] = items
            return items

        try:
            return build(node)
        finally:
            # build refers to itself (a cycle through its cell, holding the loader and the node
            # tree): empty what it holds so that is freed now, not at the collector's next pass
            built.clear()
            loader.resolved.clear()
            loader.constructed_objects = {}
            loader.recursive_objects = {}
            loader.state_generators = []

    return construct_document


class _Unusual(Exception):
    """Something the event reader leaves to PyYAML's own path (which also words its errors)."""


def _from_events(text: str) -> Any:
    """One document built straight from the parser's events, never composing PyYAML's node
    tree: the tree of 10,000 rules (a node and two marks per scalar) peaks near 180 MB beside
    the result, which the process then keeps (the allocator's arenas stay fragmented); built
    from events, memory never holds more than the result. Plain mappings, sequences, scalars
    and aliases only; merge keys, explicit tags, recursive aliases, several documents, a
    duplicate or unhashable key, or anything unusual raise _Unusual and go the ordinary way
    (which also words the error, with the first key's line)."""
    import yaml
    from yaml.nodes import ScalarNode

    loader: Any = _line_loader()(text)
    try:
        str_tag, merge_tag = "tag:yaml.org,2002:str", "tag:yaml.org,2002:merge"
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        document_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent
        scalars = loader.yaml_constructors
        resolve = loader.resolve
        new_dict = dict.__new__
        # The implicit types (int, float, bool, null, date...) by the first character they may
        # start with; `plain` caches, so the loader's own per-document cache is skipped here.
        first_chars = loader.yaml_implicit_resolvers
        resolve_text = super(type(loader), loader).resolve
        # A plain scalar's value depends only on its text (its tag is resolved from the text
        # alone, and ints, floats, booleans, nulls and dates are immutable): built once per
        # distinct text. A quoted one is always a string.
        plain: dict[str, Any] = {}
        anchors: dict[str, Any] = {}
        open_anchors: set[str] = set()
        # The open container, whether it is a list, the key awaiting its value (no_key: none)
        # and its anchor, kept in locals; the enclosing ones' on the stack.
        no_key = object()
        top: Any = None
        top_is_list, key, top_anchor = False, no_key, None
        stack: list[tuple[Any, bool, Any, str | None]] = []
        document: Any = None
        documents = 0
        next_event = loader.get_event
        if loader.yaml_path_resolvers or None in first_chars:
            raise _Unusual  # else an untagged collection is a map or a seq; see first_chars
        while True:
            event: Any = next_event()
            kind = type(event)
            if kind is scalar_event:
                tag = event.tag
                if tag is None:
                    text_value = event.value
                    if not event.implicit[0]:
                        value: Any = text_value
                    else:
                        try:
                            value = plain[text_value]
                        except KeyError:
                            if text_value and text_value[0] not in first_chars:
                                tag = str_tag  # no implicit type starts with this character
                            else:
                                tag = resolve_text(ScalarNode, text_value, event.implicit)
                            if tag == str_tag:
                                value = text_value
                            elif tag == merge_tag:
                                raise _Unusual from None
                            else:
                                constructor = scalars.get(tag)
                                if constructor is None:
                                    raise _Unusual from None
                                node = ScalarNode(tag, text_value, event.start_mark, None)
                                value = constructor(loader, node)
                            plain[text_value] = value
                elif tag == "!":  # the non-specific tag: resolved as PyYAML's composer does
                    tag = resolve(ScalarNode, event.value, event.implicit)
                    constructor = scalars.get(tag)
                    if tag == merge_tag or constructor is None:
                        raise _Unusual
                    node = ScalarNode(tag, event.value, event.start_mark, None)
                    value = constructor(loader, node)
                else:
                    raise _Unusual
                if event.anchor is not None:
                    anchors[event.anchor] = value
            elif kind is mapping_start or kind is sequence_start:
                mapping = kind is mapping_start
                tag = event.tag
                if tag is not None and tag != "!":
                    raise _Unusual
                items: Any
                if mapping:
                    items = new_dict(LineDict)  # LineDict() without its Python-level __init__
                    items.line = event.start_mark.line + 1
                else:
                    items = []
                anchor = event.anchor
                if anchor is not None:
                    anchors[anchor] = items
                    open_anchors.add(anchor)
                stack.append((top, top_is_list, key, top_anchor))
                top, top_is_list, key, top_anchor = items, not mapping, no_key, anchor
                continue
            elif kind is mapping_end or kind is sequence_end:
                value = top
                if top_anchor is not None:
                    open_anchors.discard(top_anchor)
                top, top_is_list, key, top_anchor = stack.pop()
            elif kind is alias_event:
                if event.anchor not in anchors or event.anchor in open_anchors:
                    raise _Unusual  # undefined, or recursive
                value = anchors[event.anchor]
            elif kind is document_start:
                documents += 1
                if documents > 1:
                    raise _Unusual
                continue
            elif kind is stream_end:
                return document
            else:
                continue
            if top_is_list:
                top.append(value)
            elif top is None:
                document = value
            elif key is no_key:
                try:
                    if value in top:
                        raise _Unusual  # a duplicate key: the last would silently win
                except TypeError:
                    raise _Unusual from None  # an unhashable key
                key = value
            else:
                top[key] = value
                key = no_key
    finally:
        loader.dispose()


def load_yaml(path: Path) -> Any:
    """Parse one YAML file (safe tags only); mappings come back as LineDict, knowing the 1-based
    line they start on. Public: a host reads its own content beside the rules the same way."""
    import yaml

    text = path.read_text(encoding="utf-8")
    with paused_gc():
        try:
            return _from_events(text)
        except _Unusual:
            return yaml.load(text, Loader=_line_loader())


def line_of(node: object) -> int | None:
    return getattr(node, "line", None)
