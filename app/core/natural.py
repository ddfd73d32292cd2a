"""Natural order, as people read codes and names: R2 before R10, "2227-b-ii" after
"2227-b-i". In Python for the pick-lists, in SQL for the sorted, paged item list."""

import re
from typing import Any

from sqlalchemy import func
from sqlalchemy.sql import ColumnElement

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str | None) -> tuple:
    """A sort key that compares the runs of digits in ``text`` as numbers, case-insensitively
    (None last)."""
    if text is None:
        return (1,)
    parts = _DIGITS.split(text.casefold())
    return (0, *((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p))


def natural_sorted(rows: list[Any], key: str) -> list[Any]:
    """``rows`` sorted by the natural order of their attribute ``key``."""
    return sorted(rows, key=lambda row: natural_key(getattr(row, key)))


def natural_order(column: Any) -> tuple[ColumnElement, ...]:
    """ORDER BY terms for the natural order of codes that end with a number, on SQLite and
    PostgreSQL alike: the code without its trailing digits, then the shorter code (R2 before
    R10), then the code itself. Missing codes come last."""
    lowered = func.lower(column)
    return (
        column.is_(None),
        func.rtrim(lowered, "0123456789"),
        func.length(column),
        lowered,
    )
