"""`record`: a dataclass whose methods are not compiled when the class is defined.

``@dataclass`` writes each method it adds (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
and a frozen class's ``__setattr__`` and ``__delattr__``) as source text and compiles it with
``exec`` when the class statement runs: about 3.5 million instructions per frozen class, a third of
what a cold Lambda container spends beyond a hello-world skill on its first LaunchRequest (thirteen
such classes on that path; docs/benchmarks.md). ``record`` asks ``dataclasses`` for the fields only
(``init=False, repr=False, eq=False``: nothing to compile) and adds the same methods as shared
functions, already compiled into this module's bytecode.

The classes stay real dataclasses (``dataclasses.fields``, ``replace``, ``asdict`` and pickling work
as before) and behave as ``@dataclass`` / ``@dataclass(frozen=True)`` do for what the skill uses:
positional and keyword fields, defaults, ``field(default_factory=...)``, ``field(init=False /
repr=False / compare=False / hash=...)``, ``__post_init__``, methods the class defines itself left
alone, equality between instances of the same class, frozen instances hashable and read-only,
mutable ones unhashable. ``InitVar``, keyword-only fields and inheritance between records are
refused when the class is defined (use ``@dataclass`` there).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar, cast, dataclass_transform, overload

T = TypeVar("T")
_MISSING: Any = dataclasses.MISSING


class _Spec:
    """What the shared methods need to know about one record class."""

    __slots__ = ("after", "by_name", "cls", "compared", "hashed", "init", "names", "shown")

    def __init__(self, cls: type) -> None:
        every = dataclasses.fields(cls)
        self.cls = cls
        # (name, default, factory) for the __init__ parameters, in order, and for the rest
        self.init = tuple((f.name, f.default, _factory(f)) for f in every if f.init)
        self.after = tuple(
            (f.name, f.default, _factory(f))
            for f in every
            if not f.init and (f.default is not _MISSING or _factory(f) is not None)
        )
        self.by_name = {name: i for i, (name, _, _) in enumerate(self.init)}
        self.shown = tuple(f.name for f in every if f.repr)
        self.compared = tuple(f.name for f in every if f.compare)
        self.hashed = tuple(f.name for f in every if (f.compare if f.hash is None else f.hash))
        self.names = frozenset(f.name for f in every)


def _factory(f: dataclasses.Field[Any]) -> Callable[[], Any] | None:
    factory: Any = f.default_factory
    return None if factory is _MISSING else factory


def _init_method(spec: _Spec, post_init: bool, own_setattr: bool) -> Callable[..., None]:
    params, after, by_name = spec.init, spec.after, spec.by_name
    names = tuple(name for name, _, _ in params)
    qualname = spec.cls.__qualname__

    def values_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        if len(args) > len(params):
            raise TypeError(
                f"{qualname}.__init__() takes {len(params) + 1} positional arguments "
                f"but {len(args) + 1} were given"
            )
        values = dict(zip(names, args))  # noqa: B905  (more args than fields: refused above)
        if len(values) == len(params) and not kwargs:
            return values
        for key in kwargs:
            index = by_name.get(key)
            if index is None:
                raise TypeError(f"{qualname}.__init__() got an unexpected keyword argument {key!r}")
            if index < len(args):
                raise TypeError(f"{qualname}.__init__() got multiple values for argument {key!r}")
        values.update(kwargs)
        ordered: dict[str, Any] = {}
        for name, default, factory in params:  # in field order, as @dataclass sets them
            if name in values:
                ordered[name] = values[name]
            elif factory is not None:
                ordered[name] = factory()
            elif default is not _MISSING:
                ordered[name] = default
            else:
                raise TypeError(
                    f"{qualname}.__init__() missing 1 required positional argument: {name!r}"
                )
        return ordered

    count, every = len(params), frozenset(names)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        values: Any
        if not kwargs and len(args) == count:  # every field, in order
            values = zip(names, args, strict=True)
        elif not args and kwargs.keys() == every:  # every field, by name
            values = kwargs
        else:
            values = values_of(args, kwargs)
        if own_setattr:  # the class's own __setattr__ sees every field, as @dataclass's would
            for name, value in dict(values).items():
                setattr(self, name, value)
        else:  # what @dataclass's __init__ does, one field at a time
            self.__dict__.update(values)
        for name, default, factory in after:
            object.__setattr__(self, name, factory() if factory is not None else default)
        if post_init:
            self.__post_init__()

    return __init__


def _methods(spec: _Spec, frozen: bool) -> dict[str, Any]:
    cls, shown, compared, hashed, names = (
        spec.cls,
        spec.shown,
        spec.compared,
        spec.hashed,
        spec.names,
    )

    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__qualname__}({inner})"

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in compared)

    def __hash__(self: Any) -> int:
        return hash(tuple(getattr(self, name) for name in hashed))

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        object.__delattr__(self, name)

    methods: dict[str, Any] = {"__repr__": __repr__, "__eq__": __eq__}
    if frozen:
        methods.update(__hash__=__hash__, __setattr__=__setattr__, __delattr__=__delattr__)
    return methods


def _make(cls: type[T], frozen: bool) -> type[T]:
    own = dict(cls.__dict__)
    if any(isinstance(base, type) and dataclasses.is_dataclass(base) for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__qualname__}: a record cannot inherit from a dataclass")
    annotations = own.get("__annotations__", {})
    if any("InitVar" in str(kind) for kind in annotations.values()):
        raise TypeError(f"{cls.__qualname__}: InitVar is not supported by record")
    if frozen and ("__setattr__" in own or "__delattr__" in own):
        raise TypeError(f"Cannot overwrite attribute __setattr__ or __delattr__ in {cls.__name__}")
    # eq=True's hash rule (dataclasses' _hash_action): an explicit __hash__ stays; otherwise a
    # frozen record hashes its fields and a mutable one is unhashable.
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    if not cls.__doc__:  # else dataclasses writes one from inspect.signature (costly at import)
        cls.__doc__ = f"{cls.__name__}: a record"
    made: Any = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    if any(f.kw_only is True for f in dataclasses.fields(made)):
        raise TypeError(f"{cls.__qualname__}: keyword-only fields are not supported by record")
    spec = _Spec(made)
    added = _methods(spec, frozen)
    added["__init__"] = _init_method(
        spec, post_init=hasattr(made, "__post_init__"), own_setattr="__setattr__" in own
    )
    for name, method in added.items():
        kept = explicit_hash if name == "__hash__" else name in own
        if not kept:
            method.__qualname__ = f"{made.__qualname__}.{name}"
            setattr(made, name, method)
    if not frozen and not explicit_hash:
        made.__hash__ = None  # as @dataclass: mutable and compared, so unhashable
    return cast(type[T], made)


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(*, frozen: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[T] | None = None, /, *, frozen: bool = False) -> Any:
    """``@record`` for ``@dataclass``, ``@record(frozen=True)`` for ``@dataclass(frozen=True)``."""
    if cls is None:
        return lambda target: _make(target, frozen)
    return _make(cls, frozen)
