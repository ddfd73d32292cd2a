"""How dates, times and sizes read to people: one way per language, used by every template,
export, mail and message ("30 Nov 2026" / "30 nov. 2026"; "30 Nov 2026, 06:20 UTC").

Programs get ISO 8601 (``date.isoformat()``) in the contract columns and the API; people
get these."""

from datetime import date, datetime

from flask_babel import format_date, format_datetime, format_decimal, gettext

from app.core.errors import N_
from app.core.time import as_utc

DATE_PATTERN = "d MMM y"  # en: 30 Nov 2026 · fr: 30 nov. 2026
SHORT_DATE_PATTERN = "d MMM"  # an axis label: 30 Nov · 30 nov.
TIME_PATTERN = "d MMM y, HH:mm"  # followed by the zone, always UTC

SIZE_UNITS = (N_("%(n)s bytes"), N_("%(n)s KB"), N_("%(n)s MB"), N_("%(n)s GB"))


def show_date(value: date | datetime | str | None) -> str:
    """A date as people read it in the current language ("" for none); a datetime shows its
    UTC day; a string is an ISO date (as a JSON-ready row holds it)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = as_utc(value).date()
    return format_date(value, DATE_PATTERN)


def show_day(value: date | None) -> str:
    """A day and month without the year (chart axes)."""
    return format_date(value, SHORT_DATE_PATTERN) if value else ""


def show_datetime(value: datetime | None) -> str:
    """A moment as people read it, in UTC and saying so ("" for none)."""
    if value is None:
        return ""
    text = format_datetime(as_utc(value), TIME_PATTERN)  # BABEL_DEFAULT_TIMEZONE is UTC
    return gettext("%(time)s UTC", time=text)


def show_size(size_bytes: int | None) -> str:
    """A file size in the current language's units ("12 KB" / "12 Ko")."""
    if size_bytes is None:
        return ""
    value = float(max(size_bytes, 0))
    unit = 0
    while value >= 1024 and unit < len(SIZE_UNITS) - 1:
        value /= 1024
        unit += 1
    if unit == 0:
        return gettext(SIZE_UNITS[0], n=format_decimal(int(value)))
    shown = format_decimal(round(value, 1) if value < 10 else round(value))
    return gettext(SIZE_UNITS[unit], n=shown)
