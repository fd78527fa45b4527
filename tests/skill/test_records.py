"""hipcoach.records.record behaves as @dataclass for what the skill uses, side by side."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import dataclass, field
from typing import Any

import pytest

from hipcoach.records import record


def _pair(frozen: bool) -> tuple[type[Any], type[Any]]:
    def body() -> dict[str, Any]:
        return {
            "__annotations__": {
                "name": "str",
                "count": "int",
                "tags": "list[str]",
                "note": "str",
                "cache": "dict[str, int]",
            },
            "count": 1,
            "tags": field(default_factory=list, hash=False),
            "note": field(default="", compare=False, repr=False),
            "cache": field(default_factory=dict, init=False, hash=False, compare=False),
            "__module__": __name__,
        }

    plain = dataclass(frozen=frozen)(type("Item", (), body()))
    ours = record(frozen=frozen)(type("Item", (), body()))
    return plain, ours


@pytest.mark.parametrize("frozen", [False, True])
def test_construction_repr_equality_like_dataclass(frozen: bool) -> None:
    plain, ours = _pair(frozen)
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        (("a",), {}),
        (("a", 3), {}),
        (("a",), {"tags": ["x"]}),
        ((), {"name": "b", "count": 2, "note": "hidden"}),
    ]
    for args, kwargs in calls:
        p, o = plain(*args, **kwargs), ours(*args, **kwargs)
        assert repr(p) == repr(o)
        assert dataclasses.asdict(p) == dataclasses.asdict(o)
        assert o == ours(*args, **kwargs) and o != ours("other")
        assert (o == p) is False  # another class: never equal, as dataclasses compare
    assert ours("a", note="x") == ours("a", note="y")  # compare=False
    assert ours("a").tags is not ours("a").tags  # a fresh default per instance
    assert [f.name for f in dataclasses.fields(ours)] == [f.name for f in dataclasses.fields(plain)]
    assert ours.__match_args__ == plain.__match_args__


@pytest.mark.parametrize("frozen", [False, True])
def test_bad_calls_fail_like_dataclass(frozen: bool) -> None:
    plain, ours = _pair(frozen)
    for args, kwargs in [((), {}), (("a", 1, [], "", "x"), {}), (("a",), {"name": "b"})]:
        with pytest.raises(TypeError):
            plain(*args, **kwargs)
        with pytest.raises(TypeError):
            ours(*args, **kwargs)
    with pytest.raises(TypeError):
        ours("a", cache={})  # init=False
    with pytest.raises(TypeError):
        ours("a", colour="red")


def test_frozen_is_read_only_and_hashable_mutable_is_not() -> None:
    _, ours = _pair(True)
    item = ours("a", 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.count = 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        del item.name
    assert hash(item) == hash(ours("a", 2)) and {item, ours("a", 2)} == {item}
    _, mutable = _pair(False)
    changed = mutable("a")
    changed.count = 5
    assert changed.count == 5
    with pytest.raises(TypeError):
        hash(changed)


@record(frozen=True)
class Kept:
    name: str
    tags: tuple[str, ...] = ()


def test_replace_pickle_copy_and_post_init() -> None:
    _, ours = _pair(True)
    item = ours("a", 2, ["t"])
    assert dataclasses.replace(item, count=4) == ours("a", 4, ["t"])
    assert copy.deepcopy(item) == item
    item = Kept("a", ("t",))
    assert pickle.loads(pickle.dumps(item)) == item
    assert copy.deepcopy(item) == item

    @record
    class Checked:
        value: int
        double: int = field(init=False, default=0)

        def __post_init__(self) -> None:
            self.double = self.value * 2

    assert Checked(3).double == 6


def test_methods_the_class_defines_stay() -> None:
    @record(frozen=True)
    class Named:
        name: str

        def __repr__(self) -> str:
            return "<named>"

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Named)

        def __hash__(self) -> int:
            return 7

    assert repr(Named("a")) == "<named>"
    assert Named("a") == Named("b") and hash(Named("x")) == 7


def test_unsupported_shapes_are_refused() -> None:
    @dataclass
    class Base:
        x: int

    with pytest.raises(TypeError):
        record(type("Child", (Base,), {"__annotations__": {"y": "int"}}))
    with pytest.raises(TypeError):
        record(type("Later", (), {"__annotations__": {"y": "InitVar[int]"}}))
