"""Time helpers: every stored timestamp is an aware UTC datetime."""

from datetime import UTC, date, datetime, time, timedelta
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


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` (UTC); for the calendar's last day (9999-12-31, which
    every date bound allows) its last instant, since the day after cannot be written."""
    if day >= date.max:
        return datetime.max.replace(tzinfo=UTC)
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def today() -> date:
    """Today's date in UTC."""
    return utcnow().date()
