"""Column values to JSON and back, by column type, the same whatever the database."""

import base64
import math
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


def encoder(column: Column):
    """A function turning this column's values into JSON-native ones."""
    kind = _kind(column)

    def encode(value: Any) -> Any:
        if value is None:
            return None
        if kind == "datetime":
            return as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if kind == "date":
            return value.isoformat()
        if kind == "float":
            value = float(value)
            return value if math.isfinite(value) else repr(value)  # 'inf', '-inf', 'nan'
        if kind == "decimal":
            return str(value)
        if kind == "binary":
            return base64.b64encode(bytes(value)).decode("ascii")
        return value

    return encode


def decoder(column: Column):
    """A function turning JSON values back into this column's Python values."""
    kind = _kind(column)

    def decode(value: Any) -> Any:
        if value is None:
            return None
        if kind == "datetime":
            parsed = datetime.fromisoformat(value)
            return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        if kind == "date":
            return date.fromisoformat(value)
        if kind == "float":
            return float(value)
        if kind == "decimal":
            return Decimal(value)
        if kind == "binary":
            return base64.b64decode(value)
        if kind == "bool":
            if not isinstance(value, bool):
                raise ValueError(f"{column.name}: {value!r} is not true or false")
            return value
        return value

    return decode
