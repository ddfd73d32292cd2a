"""Items as lists and pages show them, in full, and the bodies that create and edit them."""

from marshmallow import fields, validate

from app.api.fields import (
    Day,
    Flag,
    Id,
    IdList,
    StrictSchema,
    Text,
    UtcDateTime,
    Version,
    arguments_schema,
)
from app.api.schemas.common import (
    ItemRefSchema,
    OrganisationRefSchema,
    ThemeRefSchema,
    UserRefSchema,
)
from app.items import workflow
from app.items.arguments import LIST_ARGUMENTS, parse_list_args
from app.items.models import ITEM_KINDS, PRIORITIES, RESPONSE_POSITIONS
from app.items.services import TEXT_MAX, TITLE_MAX


class ItemSummarySchema(StrictSchema):
    """An item as lists show it."""

    id = fields.Integer(required=True)
    code = fields.String(required=True, allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf(ITEM_KINDS))
    title = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(workflow.STATUSES))
    progress = fields.Integer(required=True, validate=validate.Range(0, 100))
    priority = fields.String(required=True, validate=validate.OneOf(PRIORITIES))
    version = fields.Integer(required=True)
    lead = fields.Nested(OrganisationRefSchema, required=True)
    supporting = fields.List(fields.Nested(OrganisationRefSchema), required=True)
    due_date = fields.Date(required=True, allow_none=True)
    overdue = Flag(required=True)
    stale = Flag(required=True)
    last_update_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)
    response = fields.Function(
        lambda item: item.current_response.position if item.current_response else None,
        required=True,
        allow_none=True,
        metadata={
            "type": "string",
            "enum": [*RESPONSE_POSITIONS, None],
            "description": "The position of the current formal response (null: none); "
            "in full at /items/{item_id}/response.",
        },
    )


class ItemSchema(ItemSummarySchema):
    """An item in full."""

    text = fields.String(required=True)
    source_section = fields.String(required=True)
    owner = fields.Nested(UserRefSchema, required=True, allow_none=True)
    themes = fields.List(fields.Nested(ThemeRefSchema), required=True)
    links = fields.List(fields.Nested(ItemRefSchema), required=True)
    created_at = UtcDateTime(required=True)


class ItemPageSchema(StrictSchema):
    items = fields.List(fields.Nested(ItemSummarySchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


# The item list's query arguments, parsed by the parser the web list uses.
ItemListArgsSchema = arguments_schema("ItemListArgsSchema", LIST_ARGUMENTS, parse_list_args)


class _ItemFieldsSchema(StrictSchema):
    kind = fields.String(validate=validate.OneOf(ITEM_KINDS))
    title = Text(TITLE_MAX, blank=False)
    text = Text(TEXT_MAX)
    lead_id = Id()
    supporting_ids = IdList()
    theme_ids = IdList()
    link_ids = IdList()
    owner_id = Id(allow_none=True)
    due_date = Day(allow_none=True)
    priority = fields.String(validate=validate.OneOf(PRIORITIES))


class ItemCreateSchema(_ItemFieldsSchema):
    kind = fields.String(required=True, validate=validate.OneOf(ITEM_KINDS))
    title = Text(TITLE_MAX, blank=False, required=True)
    lead_id = Id(required=True)


class ItemPatchSchema(_ItemFieldsSchema):
    version = Version(required=True, metadata={"description": "The version the client last saw."})
