"""GET /api/v1/summary: counts by status, lead and theme, overdue and stale, now or as of a
day."""

import re
from datetime import date

from flask_smorest import abort

from app.api.base import ApiBlueprint, documents_errors
from app.api.items import filters_from, stale_days
from app.api.schemas import SummaryArgsSchema, SummarySchema
from app.core.time import today
from app.reports.summary import build_summary

bp = ApiBlueprint("summary", __name__, description="Progress summary.")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_as_of(value: str | None) -> date | None:
    """``YYYY-MM-DD``, not after today; a bad value is a 400."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value) if DAY.match(value) else None
    except ValueError:
        day = None
    if day is None:
        abort(
            400,
            message="as_of must be a date (YYYY-MM-DD).",
            errors={"query": {"as_of": ["Not a date (YYYY-MM-DD)."]}},
        )
    if day > today():
        abort(
            400,
            message="as_of cannot be in the future.",
            errors={"query": {"as_of": ["In the future."]}},
        )
    return day


@bp.route("/summary", methods=["GET"])
@bp.arguments(SummaryArgsSchema, location="query", error_status_code=400)
@bp.response(200, SummarySchema)
@documents_errors(bp)
def summary(args):
    """The items matching the filters, counted as they stood at the end of ``as_of`` (UTC;
    default: now)."""
    as_of = parse_as_of(args.get("as_of"))
    return build_summary(filters_from(args), as_of=as_of, stale_days=stale_days())
