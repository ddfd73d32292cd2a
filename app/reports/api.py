"""The reports' door in the API, ``GET /api/v1/summary``: counts by status, lead and theme,
overdue and stale, now or as of a day. The app factory registers it with the API's other
resources (nothing else imports reports)."""

from marshmallow import Schema, fields

from app.api.base import ApiBlueprint, documents_errors
from app.api.fields import arguments_schema
from app.api.schemas.common import OrganisationRefSchema, ThemeRefSchema
from app.items.arguments import FILTERS
from app.items.queries import stale_days
from app.reports.arguments import DATES, ReportArgs, parse_report_args
from app.reports.summary import build_summary

bp = ApiBlueprint("summary", __name__, description="Progress summary.")

# The item list's filters and ``as_of``, parsed by the parser the reports page uses.
SummaryArgsSchema = arguments_schema(
    "SummaryArgsSchema", {**FILTERS, "as_of": DATES["as_of"]}, parse_report_args
)


class LeadShareSchema(Schema):
    organisation = fields.Nested(OrganisationRefSchema, required=True)
    count = fields.Integer(required=True)
    share_done = fields.Float(
        required=True,
        metadata={"description": "Share of the lead's items implemented or verified (0–1)."},
    )
    overdue = fields.Integer(required=True)


class ThemeShareSchema(Schema):
    theme = fields.Nested(ThemeRefSchema, required=True)
    count = fields.Integer(required=True)
    share_done = fields.Float(required=True)


class SummarySchema(Schema):
    """Counts of the filtered items as they stood on ``as_of``."""

    as_of = fields.String(required=True, metadata={"format": "date"})
    total = fields.Integer(required=True)
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    by_response = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={
            "description": "Items by the position of their formal response "
            "(accepted, partially_accepted, noted, rejected; none: without one)."
        },
    )
    by_lead = fields.List(fields.Nested(LeadShareSchema), required=True)
    by_theme = fields.List(fields.Nested(ThemeShareSchema), required=True)
    overdue = fields.Integer(required=True)
    stale = fields.Integer(required=True)


@bp.route("/summary", methods=["GET"])
@bp.arguments(SummaryArgsSchema, location="query", error_status_code=400)
@bp.response(200, SummarySchema)
@documents_errors(bp)
def summary(args: ReportArgs):
    """The items matching the filters, counted as they stood at the end of ``as_of`` (UTC;
    default: now)."""
    return build_summary(args.filters, as_of=args.as_of, stale_days=stale_days())
