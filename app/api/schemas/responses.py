"""The formal response of a recommendation: the current one, its earlier revisions, and the
body that records a new one."""

from marshmallow import fields, validate

from app.api.fields import Day, StrictSchema, Text, UtcDateTime, Version
from app.api.schemas.common import OrganisationRefSchema, UserRefSchema
from app.items.models import RESPONSE_POSITIONS
from app.items.services import RESPONSE_TEXT_MAX


class ResponseSchema(StrictSchema):
    """One revision of a response."""

    id = fields.Integer(required=True)
    position = fields.String(required=True, validate=validate.OneOf(RESPONSE_POSITIONS))
    text = fields.String(required=True, metadata={"description": "Markdown, as written."})
    responded_on = fields.Date(required=True)
    organisation = fields.Nested(
        OrganisationRefSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The lead organisation the response speaks for."},
    )
    author = fields.Nested(UserRefSchema, required=True, allow_none=True)
    created_at = UtcDateTime(required=True, metadata={"description": "When it was recorded."})
    superseded_at = UtcDateTime(
        required=True, allow_none=True, metadata={"description": "When a revision replaced it."}
    )


class ItemResponseSchema(StrictSchema):
    """An item's response: ``response`` is null while there is none (the item exists)."""

    item_id = fields.Integer(required=True)
    version = fields.Integer(
        required=True, metadata={"description": "The item's version, to send with a PUT."}
    )
    response = fields.Nested(ResponseSchema, required=True, allow_none=True)
    history = fields.List(
        fields.Nested(ResponseSchema),
        required=True,
        metadata={"description": "The earlier revisions, newest first."},
    )


class ResponsePutSchema(StrictSchema):
    position = fields.String(required=True, validate=validate.OneOf(RESPONSE_POSITIONS))
    text = Text(RESPONSE_TEXT_MAX, metadata={"description": "Markdown."})
    responded_on = Day(
        allow_none=True, metadata={"description": "The date of the response (default: today)."}
    )
    version = Version(required=True, metadata={"description": "The item's version last seen."})
