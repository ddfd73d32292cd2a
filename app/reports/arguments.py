"""The reports' query arguments — the item list's filters, ``as_of`` and ``since`` — parsed by
one function for the reports page, the exports, ``flask report`` and ``GET /api/v1/summary``."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.core.errors import N_, ValidationError
from app.core.time import today
from app.core.validation import Argument, optional, parse_arguments, parse_date
from app.items.arguments import FILTERS, filters_from
from app.items.queries import ItemFilters


def parse_as_of(value: object, field: str = "as_of") -> date | None:
    """A report's day: a date as every door takes one (YYYY-MM-DD, 1900-01-01 to
    9999-12-31), and not after today — the future has no data yet. Empty: none."""
    day = parse_date(value, field)
    if day is not None and day > today():
        raise ValidationError(
            N_("%(field)s cannot be in the future."),
            fields={field: N_("In the future.")},
            field=field,
        )
    return day


def check_since(since: date, day: date) -> None:
    """``since`` must come before the report's day."""
    if since >= day:
        raise ValidationError(
            N_("since must be before the report's date (%(as_of)s)."),
            fields={"since": N_("Must be before the report's date.")},
            as_of=day.isoformat(),
        )


DATES: dict[str, Argument] = {
    "as_of": Argument(
        optional(parse_as_of),
        {
            "type": "string",
            "format": "date",
            "description": "YYYY-MM-DD: the data as it stood at the end of that day (UTC).",
        },
    ),
    "since": Argument(
        optional(parse_as_of),
        {
            "type": "string",
            "format": "date",
            "description": "YYYY-MM-DD: what changed since the end of that day.",
        },
    ),
}
REPORT_ARGUMENTS = {**FILTERS, **DATES}


@dataclass(frozen=True)
class ReportArgs:
    """What a report is asked for: the filters, the day (None: now) and the day to compare
    with (None: no comparison)."""

    filters: ItemFilters
    as_of: date | None = None
    since: date | None = None


def parse_report_args(args: Mapping[str, Any]) -> ReportArgs:
    """Filters, ``as_of`` and ``since``; every bad argument is reported (``InvalidArguments``),
    and ``since`` must come before ``as_of`` (or today)."""
    values = parse_arguments(REPORT_ARGUMENTS, args)
    if values["since"] is not None:
        check_since(values["since"], values["as_of"] or today())
    return ReportArgs(filters_from(values), values["as_of"], values["since"])
