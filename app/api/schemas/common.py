"""Schemas every resource shares: the error body and the small references (organisations,
users, themes, items) that other answers nest."""

from marshmallow import fields, validate

from app.api.fields import StrictSchema
from app.stakeholders.models import ORGANISATION_KINDS


class ErrorBodySchema(StrictSchema):
    code = fields.String(required=True, metadata={"example": "validation_error"})
    message = fields.String(required=True)
    fields_ = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        data_key="fields",
        attribute="fields",
        required=True,
        metadata={"description": "Messages by field name."},
    )
    current_version = fields.Integer(metadata={"description": "On 409: the item's version."})


class ErrorSchema(StrictSchema):
    """Every error: ``{"error": {"code", "message", "fields"}}``."""

    error = fields.Nested(ErrorBodySchema, required=True)
    current_version = fields.Integer(
        metadata={"description": "On 409 (stale version): the version now stored."}
    )


class OrganisationRefSchema(StrictSchema):
    id = fields.Integer(required=True)
    acronym = fields.String(required=True)
    name = fields.String(required=True)


class OrganisationSchema(StrictSchema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    acronym = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(ORGANISATION_KINDS))
    parent_id = fields.Integer(required=True, allow_none=True)


class OrganisationListSchema(StrictSchema):
    organisations = fields.List(fields.Nested(OrganisationSchema), required=True)


class UserRefSchema(StrictSchema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class MeSchema(StrictSchema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    language = fields.String(required=True, allow_none=True)
    organisation = fields.Nested(OrganisationRefSchema, required=True)


class ThemeRefSchema(StrictSchema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    title = fields.String(required=True)


class ThemeSchema(ThemeRefSchema):
    description = fields.String(required=True)
    parent_id = fields.Integer(required=True, allow_none=True)


class ThemeListSchema(StrictSchema):
    themes = fields.List(fields.Nested(ThemeSchema), required=True)


class ItemRefSchema(StrictSchema):
    id = fields.Integer(required=True)
    code = fields.String(required=True, allow_none=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True)
