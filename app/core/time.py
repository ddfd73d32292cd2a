"""Time helpers: every stored timestamp is an aware UTC datetime."""

from datetime import UTC, date, datetime
from typing import overload


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
@overload
def as_utc(value: datetime | None) -> datetime | None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """Make a datetime read back from the database aware (SQLite forgets the zone)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def today() -> date:
    """Today's date in UTC."""
    return utcnow().date()
