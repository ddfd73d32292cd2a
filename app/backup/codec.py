"""Column values to JSON and back, by column type, the same whatever the database."""

import base64
import math
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Float, LargeBinary, Numeric

from app.core.time import as_utc


def _kind(column: Column) -> str:
    column_type = column.type
    for kind, types in (
        ("datetime", DateTime),
        ("date", Date),
        ("float", Float),  # before Numeric: Float is a Numeric
        ("decimal", Numeric),
        ("json", JSON),
        ("binary", LargeBinary),
        ("bool", Boolean),
    ):
        if isinstance(column_type, types):
            return kind
    return "plain"


def _same(value: Any) -> Any:
    return value


def _encode_float(value: Any) -> Any:
    value = float(value)
    return value if math.isfinite(value) else repr(value)  # 'inf', '-inf', 'nan'


def _decode_datetime(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _boolean(name: str) -> Callable[[Any], bool]:
    def decode(value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"{name}: {value!r} is not true or false")
        return value

    return decode


# By kind of column, how a value other than None is written to JSON and read back.
_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "datetime": lambda value: as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    "date": lambda value: value.isoformat(),
    "float": _encode_float,
    "decimal": str,
    "binary": lambda value: base64.b64encode(bytes(value)).decode("ascii"),
}
_DECODERS: dict[str, Callable[[Any], Any]] = {
    "datetime": _decode_datetime,
    "date": date.fromisoformat,
    "float": float,
    "decimal": Decimal,
    "binary": base64.b64decode,
}


def encoder(column: Column) -> Callable[[Any], Any]:
    """A function turning this column's values into JSON-native ones."""
    convert = _ENCODERS.get(_kind(column), _same)

    def encode(value: Any) -> Any:
        return None if value is None else convert(value)

    return encode


def decoder(column: Column) -> Callable[[Any], Any]:
    """A function turning JSON values back into this column's Python values."""
    kind = _kind(column)
    convert = _boolean(column.name) if kind == "bool" else _DECODERS.get(kind, _same)

    def decode(value: Any) -> Any:
        return None if value is None else convert(value)

    return decode
