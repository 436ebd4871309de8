"""Plain frozen dataclasses inside, pydantic at the boundaries.

The data wa-audit works on (the pack, conditions, answers, the assessment and the report) are
frozen stdlib dataclasses, so that the paths a person waits for (a report from the pack cache, the
interview's first question) never import pydantic, whose import alone costs more than those paths
may take (README "Speed"). pydantic validates these same dataclasses through a `TypeAdapter`
where the input is big or rarely read: a rule pack read from YAML, drafts, stored assessments,
`wa-audit schema`. The small inputs of the hot paths (an answers file, history rows) are checked
by hand against the same types.

`@record` makes such a class: a stdlib dataclass (fields, `dataclasses.replace`, pydantic's support),
frozen, keyword-only, compared and hashed by its fields, whose methods are shared functions rather
than code generated per class (`dataclasses` compiles six functions for each frozen class: about
25 ms for the fifty records, a third of what a JSON report may take). `@frozen` is the same for
internal classes whose fields may also be given by position.

The dataclasses say everything pydantic needs without importing it:

- field constraints and aliases go in `dataclasses.field(metadata=...)` under pydantic's own names
  (`alias`, `min_length`, `ge`, ...), which pydantic reads from a stdlib dataclass field (`meta`);
- string constraints inside a type (`tuple[Id, ...]`) are `Annotated[str, Str(...)]`;
- the class attribute `__pydantic_config__` (a plain dict) forbids unknown fields.

This module holds the helpers that replace pydantic's model methods: `validate` (pydantic, lazily),
`to_jsonable` (what `model_dump(mode="json", by_alias=True)` gave, in field order) and `decode`, the
trusted decoder that rebuilds a dataclass from JSON that `to_jsonable` wrote (the pack cache).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import sys
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal, TypeVar, Union, dataclass_transform, get_args, get_origin

T = TypeVar("T")
_MISSING: Any = dataclasses.MISSING

# What every record class sets as `__pydantic_config__`: unknown fields are errors; the field name
# (`from_`) is accepted as well as its alias (`from`), as the pydantic models accepted before.
CONFIG: dict[str, Any] = {"extra": "forbid", "populate_by_name": True}


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(dataclasses.field,))
def record(cls: type[T]) -> type[T]:
    """`cls` as a frozen, keyword-only dataclass, equal and hashed by its fields (see above)."""
    return _make(cls)


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def frozen(cls: type[T]) -> type[T]:
    """Like `record`, for internal classes whose fields may also be given by position (views)."""
    return _make(cls)


def _make(cls: type[T]) -> type[T]:
    doc = cls.__dict__.get("__doc__")
    cls.__doc__ = doc or "-"  # else dataclasses computes a signature for the docstring (slow)
    dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    cls.__doc__ = doc  # pydantic uses it as the schema's description: keep "none" as none
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    setattr(cls, "__record_init__", tuple((f.name, f.default, f.default_factory) for f in fields))  # noqa: B010
    setattr(cls, "__record_compare__", tuple(f.name for f in fields if f.compare))  # noqa: B010
    setattr(cls, "__record_repr__", tuple(f.name for f in fields if f.repr))  # noqa: B010
    for name, function in _METHODS.items():
        setattr(cls, name, function)
    return cls


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    spec = type(self).__record_init__
    if args:  # only `frozen` classes are given positions (mypy holds `record` classes to keywords)
        if len(args) > len(spec):
            raise TypeError(f"{type(self).__name__}() takes {len(spec)} arguments, {len(args)} given")
        for (name, _, _), value in zip(spec, args, strict=False):
            if name in kwargs:
                raise TypeError(f"{type(self).__name__}() got multiple values for argument '{name}'")
            kwargs[name] = value
    values = self.__dict__
    for name, default, factory in spec:
        if name in kwargs:
            values[name] = kwargs.pop(name)
        elif default is not _MISSING:
            values[name] = default
        elif factory is not _MISSING:
            values[name] = factory()
        else:
            raise TypeError(f"{type(self).__name__}() missing required argument: '{name}'")
    if kwargs:
        raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument '{next(iter(kwargs))}'")


def _frozen(self: Any, name: str, *value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field '{name}'")


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return all(getattr(self, n) == getattr(other, n) for n in self.__record_compare__)


def _hash(self: Any) -> int:
    return hash(tuple(getattr(self, n) for n in self.__record_compare__))


def _repr(self: Any) -> str:
    fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__record_repr__)
    return f"{type(self).__qualname__}({fields})"


_METHODS: dict[str, Any] = {
    "__init__": _init,
    "__setattr__": _frozen,
    "__delattr__": _frozen,
    "__eq__": _eq,
    "__hash__": _hash,
    "__repr__": _repr,
}


def meta(*, alias: str | None = None, **constraints: Any) -> dict[str, Any]:
    """Field metadata pydantic reads: an alias and constraints such as min_length, ge, le."""
    return {**({"alias": alias} if alias else {}), **constraints}


@dataclasses.dataclass(frozen=True)
class Str:
    """Constraints on a string inside a type, honoured by pydantic (built only when validating)."""

    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.str_schema(
            pattern=self.pattern, min_length=self.min_length, max_length=self.max_length
        )


# --- pydantic, lazily ------------------------------------------------------------------------------
def adapter(tp: Any) -> Any:
    """The pydantic TypeAdapter of `tp`, built once per process (this is where pydantic loads)."""
    return _adapter(tp)


@functools.cache
def _adapter(tp: Any) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(tp)


def validate(tp: type[T], data: Any) -> T:
    """`data` validated as `tp` by pydantic; raises pydantic.ValidationError."""
    result: T = adapter(tp).validate_python(data)
    return result


def validate_json(tp: type[T], data: str | bytes) -> T:
    """JSON text validated as `tp` by pydantic; raises pydantic.ValidationError."""
    result: T = adapter(tp).validate_json(data)
    return result


def json_schema(tp: Any, *, mode: Literal["validation", "serialization"] = "validation") -> dict[str, Any]:
    """The JSON Schema of `tp`, with the aliases the files use."""
    schema: dict[str, Any] = adapter(tp).json_schema(by_alias=True, mode=mode)
    return schema


# --- out: JSON-ready data --------------------------------------------------------------------------
@functools.cache
def _out_keys(cls: type) -> tuple[tuple[str, str], ...]:
    return tuple((f.name, f.metadata.get("alias", f.name)) for f in dataclasses.fields(cls))


def iso_datetime(value: datetime) -> str:
    """A datetime as pydantic writes it (UTC as `Z`)."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def to_jsonable(obj: Any) -> Any:
    """`obj` as JSON-ready data: dataclasses as dicts in field order with aliases, tuples as lists."""
    if obj is None or isinstance(obj, str | bool | int | float):
        return obj
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {key: to_jsonable(getattr(obj, name)) for name, key in _out_keys(type(obj))}
    if isinstance(obj, tuple | list):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, datetime):
        return iso_datetime(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    raise TypeError(f"cannot write {type(obj).__name__} as JSON")


def to_json(obj: Any, *, indent: int | None = None) -> str:
    """`obj` as JSON text (see to_jsonable)."""
    import json

    separators = (",", ":") if indent is None else None
    return json.dumps(to_jsonable(obj), indent=indent, ensure_ascii=False, separators=separators)


# --- in: the trusted decoder -----------------------------------------------------------------------
class DecodeError(ValueError):
    """JSON that is not what to_jsonable writes for the type (a damaged cache entry)."""


Decoder = Callable[[Any], Any]


def decode(tp: type[T], data: Any) -> T:
    """Rebuild a `tp` from JSON-ready data that `to_jsonable` wrote; raise DecodeError otherwise.

    For our own files only (the pack cache): it checks shapes and types strictly, but not the
    constraints that validation checked before the data was written.
    """
    try:
        result: T = _decoder(_any(tp))(data)
    except (TypeError, ValueError, KeyError, RecursionError) as e:
        raise DecodeError(str(e)) from e
    return result


@functools.cache
def _decoder(tp: Any) -> Decoder:
    origin = get_origin(tp)
    if origin is typing.Annotated:
        return _decoder(get_args(tp)[0])
    if tp is Any:
        return lambda v: v
    if origin is Union or origin is types.UnionType:
        return _union([_decoder(a) for a in get_args(tp)], type(None) in get_args(tp))
    if origin is Literal:
        allowed = get_args(tp)

        def literal(v: Any) -> Any:
            if isinstance(v, bool) or v not in allowed:
                raise DecodeError(f"{v!r} is not one of {allowed!r}")
            return v

        return literal
    if origin is tuple:
        args = get_args(tp)
        if len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(f"only tuple[X, ...] is supported, not {tp!r}")
        item = _decoder(args[0])
        return lambda v: tuple(map(item, _expect(v, list)))
    if origin is dict:
        key_tp, value_tp = get_args(tp)
        key, value = _decoder(key_tp), _decoder(value_tp)
        return lambda v: {key(k): value(x) for k, x in _expect(v, dict).items()}
    if tp is type(None):
        return _none
    if tp is bool:
        return lambda v: _expect(v, bool)
    if tp is int:
        return _int
    if tp is float:
        return _float
    if tp is str:
        return _str
    if tp is datetime:
        return lambda v: datetime.fromisoformat(_expect(v, str))
    if tp is date:
        return lambda v: date.fromisoformat(_expect(v, str))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _record(tp)
    raise TypeError(f"no decoder for {tp!r}")


def _any(tp: Any) -> Any:
    return tp


def _union(arms: list[Decoder], optional: bool) -> Decoder:
    def union(v: Any) -> Any:
        if v is None and optional:
            return None
        for arm in arms:
            try:
                return arm(v)
            except (TypeError, ValueError, KeyError):
                continue
        raise DecodeError(f"{type(v).__name__} matches no member of the union")

    return union


def _expect(v: Any, tp: type) -> Any:
    if not isinstance(v, tp) or (tp is not bool and isinstance(v, bool)):
        raise DecodeError(f"expected {tp.__name__}, got {type(v).__name__}")
    return v


def _none(v: Any) -> None:
    if v is not None:
        raise DecodeError(f"expected null, got {type(v).__name__}")


def _int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise DecodeError(f"expected int, got {type(v).__name__}")
    return v


def _float(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise DecodeError(f"expected float, got {type(v).__name__}")
    return float(v)


def field_types(cls: type) -> dict[str, Any]:
    """The evaluated annotations of a record's fields (what typing.get_type_hints gives)."""
    return _hints(cls)


@functools.cache
def _compiled(annotation: str) -> types.CodeType:
    return compile(annotation, "<annotation>", "eval")


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """What typing.get_type_hints(cls, include_extras=True) gives for our records, in a tenth of the time.

    The annotations are strings (`from __future__ import annotations`) written in this package,
    evaluated in the namespace of the class's module, as get_type_hints does.
    """
    namespace = vars(sys.modules[cls.__module__])
    return {
        name: eval(_compiled(text), namespace) if isinstance(text, str) else text  # noqa: S307 - our code
        for name, text in inspect.get_annotations(cls).items()
    }


def _str(v: Any) -> str:
    if type(v) is not str:
        raise DecodeError(f"expected str, got {type(v).__name__}")
    return v


def _record(cls: type) -> Decoder:
    # The plan is made on first use: a condition holds conditions, so the decoder of a field may be
    # the one being made.
    plan: list[tuple[str, str, Decoder, Any, Any]] = []
    known: set[str] = set()

    def make_plan() -> None:
        hints = _hints(cls)
        for f in dataclasses.fields(cls):
            key = f.metadata.get("alias", f.name)
            plan.append((f.name, key, _decoder(hints[f.name]), f.default, f.default_factory))
            known.add(key)

    def record(v: Any) -> Any:
        if not plan:
            make_plan()
        data = _expect(v, dict)
        for key in data:
            if key not in known:
                raise DecodeError(f"{cls.__name__}: unknown field {key!r}")
        obj: Any = object.__new__(cls)
        values = obj.__dict__
        for name, key, decode_field, default, factory in plan:
            if key in data:
                values[name] = decode_field(data[key])
            elif default is not _MISSING:
                values[name] = default
            elif factory is not _MISSING:
                values[name] = factory()
            else:
                raise DecodeError(f"{cls.__name__}: missing field {key!r}")
        return obj

    return record
