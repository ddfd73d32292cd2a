"""Reporting rounds as the API shows them."""

from marshmallow import fields, validate

from app.api.fields import StrictSchema, UtcDateTime
from app.api.schemas.common import OrganisationRefSchema
from app.rounds.models import REPORT_FORMATS

ROUND_STATES = ("scheduled", "open", "closed")


class RoundSummarySchema(StrictSchema):
    """A round with its counts."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    opens_on = fields.Date(required=True)
    due_on = fields.Date(required=True)
    state = fields.String(required=True, validate=validate.OneOf(ROUND_STATES))
    filters = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "The item-list filters that gave the round its scope."},
    )
    expected = fields.Integer(required=True, metadata={"description": "Items in scope."})
    reported = fields.Integer(required=True, metadata={"description": "Items reported."})
    closed_at = UtcDateTime(required=True, allow_none=True)


class RoundListSchema(StrictSchema):
    rounds = fields.List(fields.Nested(RoundSummarySchema), required=True)


class RoundItemSchema(StrictSchema):
    """An item of the round and whether its lead reported on it, by which status update."""

    id = fields.Integer(required=True)
    code = fields.String(required=True, allow_none=True)
    title = fields.String(required=True)
    status = fields.String(required=True)
    lead = fields.Nested(OrganisationRefSchema, required=True)
    reported = fields.Boolean(required=True)
    update_id = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "The first status update by the lead in the round's window."},
    )
    reported_at = UtcDateTime(required=True, allow_none=True)


class LeadCountSchema(StrictSchema):
    organisation = fields.Nested(OrganisationRefSchema, required=True)
    expected = fields.Integer(required=True)
    reported = fields.Integer(required=True)


class RoundReportSchema(StrictSchema):
    """A file of the report frozen when the round closed."""

    format = fields.String(required=True, validate=validate.OneOf(REPORT_FORMATS))
    as_of = fields.Date(required=True)
    size_bytes = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    url = fields.String(required=True, metadata={"description": "Where to download it."})


class RoundSchema(RoundSummarySchema):
    """A round with, per item, whether and by which update it was reported, and per lead
    organisation the expected and reported counts."""

    items = fields.List(fields.Nested(RoundItemSchema), required=True)
    by_lead = fields.List(fields.Nested(LeadCountSchema), required=True)
    reports = fields.List(fields.Nested(RoundReportSchema), required=True)
