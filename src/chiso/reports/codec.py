"""An exact, versioned JSON form of the publication's typed values.

The published results are stored and sent as JSON; this codec writes a value of the
publication (a frozen dataclass of :mod:`chiso.reports`) as JSON-ready data and reads it back
as the same value, with nothing lost:

* a :class:`~decimal.Decimal` is written as its exact decimal string (``"12.5"``,
  ``"0.6666666666666666666666666666666667"``): never a binary float. Where a field may hold
  a text or a number (a table's cell), the number is written ``{"n": "12.5"}``;
* a tuple is a list, a dataclass an object of its fields, an enum its value; ``None`` is
  ``null``; a float a JSON number, which reads back as the same float (the publication holds
  none: its numbers are decimals, a chart's values too).

The field types of the dataclass say how to read each value back. :data:`VERSION` names this
form; a change of the form raises it, and what was stored under an earlier version is converted
(the web's data migrations).
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from decimal import Decimal
from functools import cache
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

__all__ = ["VERSION", "CodecError", "decode", "encode"]

VERSION = 1
T = TypeVar("T")


class CodecError(ValueError):
    """Stored data that is not a value of the expected type."""


def encode(value: Any) -> Any:
    """``value`` as JSON-ready data (dicts, lists, strings, numbers, booleans, None)."""
    return _encode(value, tagged=False)


def _encode(value: Any, *, tagged: bool) -> Any:
    if value is None or (
        isinstance(value, (bool, int, str, float)) and not isinstance(value, enum.Enum)
    ):
        return value
    if isinstance(value, Decimal):
        return {"n": str(value)} if tagged else str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [_encode(item, tagged=tagged) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = _fields(type(value))
        return {
            name: _encode(getattr(value, name), tagged=text_or_number)
            for name, text_or_number in fields
        }
    raise TypeError(f"cannot encode {type(value).__name__}")


@cache
def _fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """Each field's name, and whether it may hold a text or a number (a number is tagged)."""
    hints = typing.get_type_hints(cls)
    return tuple(
        (field.name, _text_or_number(hints[field.name])) for field in dataclasses.fields(cls)
    )


def _text_or_number(hint: Any) -> bool:
    found: set[type] = set()
    stack = [hint]
    while stack:
        current = stack.pop()
        if _is_union(current) or get_origin(current) in (tuple, list):
            stack += [a for a in get_args(current) if a is not Ellipsis]
        elif isinstance(current, type):
            found.add(current)
    return str in found and Decimal in found


def _is_union(hint: Any) -> bool:
    return get_origin(hint) in (Union, types.UnionType)


def decode(cls: type[T], data: Any) -> T:
    """The value of type ``cls`` that :func:`encode` wrote as ``data``."""
    try:
        return typing.cast(T, _decode(cls, data))
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise CodecError(f"not a stored {getattr(cls, '__name__', cls)}: {error}") from None


def _decode(hint: Any, data: Any) -> Any:
    if hint is Any:
        return data
    if _is_union(hint):
        return _decode_union(get_args(hint), data)
    origin = get_origin(hint)
    if origin is Literal:
        if data not in get_args(hint):
            raise ValueError(f"{data!r} is not one of {get_args(hint)}")
        return data
    if origin is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item) for item in data)
        return tuple(_decode(arg, item) for arg, item in zip(args, data, strict=True))
    if origin is list:
        return [_decode(get_args(hint)[0], item) for item in data]
    if origin is dict:
        key, item = get_args(hint)
        return {_decode(key, k): _decode(item, v) for k, v in data.items()}
    if hint is Decimal:
        if isinstance(data, dict) and set(data) == {"n"}:
            data = data["n"]  # marked where the field holds texts too
        if not isinstance(data, str):
            raise TypeError(f"a decimal is stored as a string, not {data!r}")
        return Decimal(data)
    if hint is float:
        if not isinstance(data, (int, float)) or isinstance(data, bool):
            raise TypeError(f"{data!r} is not a number")
        return float(data)
    if hint in (int, str, bool):
        if type(data) is not hint:
            raise TypeError(f"{data!r} is not a {hint.__name__}")
        return data
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(data)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        values = {
            field.name: _decode(hints[field.name], data[field.name])
            for field in dataclasses.fields(hint)
            if field.name in data or _required(field)
        }
        return hint(**values)
    raise TypeError(f"cannot decode {hint!r}")


def _required(field: dataclasses.Field[Any]) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def _decode_union(options: tuple[Any, ...], data: Any) -> Any:
    if data is None:
        if type(None) in options:
            return None
        raise TypeError("a value is missing")
    if isinstance(data, dict) and set(data) == {"n"} and Decimal in options:
        return Decimal(data["n"])  # a number tagged among texts: a cell, a chart's value
    for option in options:
        if option is type(None):
            continue
        if _matches(option, data):
            return _decode(option, data)
    raise TypeError(f"{data!r} is none of {options}")


def _matches(option: Any, data: Any) -> bool:
    """Whether ``data`` has the JSON shape ``option`` is written in (a union's options are
    tried in order; a decimal among texts is tagged and was handled before)."""
    origin = get_origin(option)
    if origin in (tuple, list):
        return isinstance(data, list)
    if option is Decimal:
        return isinstance(data, str)
    if option in (int, str, bool, float):
        return type(data) is option or (option is float and type(data) is int)
    if dataclasses.is_dataclass(option):
        return isinstance(data, dict) and all(
            f.name in data for f in dataclasses.fields(option) if _required(f)
        )
    return origin is Literal and data in get_args(option)
