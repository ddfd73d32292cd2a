"""Marshmallow schemas of the API: they validate what comes in, shape what goes out, and are
the OpenAPI description (flask-smorest reads them), so the three cannot drift apart."""

from datetime import datetime

from flask import current_app
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from app.core.records import MAX_ID
from app.core.time import as_utc, utcnow
from app.items import workflow
from app.items.models import ITEM_KINDS, PRIORITIES
from app.items.queries import DEFAULT_PER_PAGE, MAX_PER_PAGE, item_flags
from app.items.services import COMMENT_MAX, NOTE_MAX, TEXT_MAX, TITLE_MAX
from app.stakeholders.models import ORGANISATION_KINDS

MAX_IDS = 100  # ids in one list field (supporting, themes, links)
MAX_PAGE = 1_000_000


def _printable(value: str) -> None:
    """Refuse what no database column should hold: NUL and unpaired surrogates."""
    if "\x00" in value:
        raise ValidationError("Must not contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("Must be valid Unicode text.") from None


class Text(fields.String):
    """A string of at most ``max_length`` characters; ``required`` text must not be blank."""

    def __init__(self, max_length: int, *, blank: bool = True, **kwargs):
        validators = [validate.Length(max=max_length), _printable]
        if not blank:
            validators.insert(0, validate.Regexp(r"[\s\S]*\S", error="Must not be blank."))
        super().__init__(validate=validators, **kwargs)


def Id(**kwargs) -> fields.Integer:
    """A record id: a whole number from 1 to 2**31 - 1."""
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def IdList(**kwargs) -> fields.List:
    return fields.List(Id(), validate=validate.Length(max=MAX_IDS), **kwargs)


class UtcDateTime(fields.DateTime):
    """A timestamp always written with its UTC offset (SQLite forgets the zone)."""

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        return super()._serialize(as_utc(value), attr, obj, **kwargs)


class Flag(fields.Boolean):
    """A derived item flag (``overdue``, ``stale``), computed when the item is written out."""

    def get_value(self, obj, attr, accessor=None, default=None):
        stale_days = current_app.config.get("STALE_DAYS", workflow.DEFAULT_STALE_DAYS)
        return item_flags(obj, stale_days, utcnow())[attr]


class StrictSchema(Schema):
    """Unknown fields are refused, never ignored."""

    class Meta:
        unknown = RAISE
        ordered = True


# --- errors -----------------------------------------------------------------------------------


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


# --- small references -------------------------------------------------------------------------


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


# --- items ------------------------------------------------------------------------------------


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


class ItemFilterArgsSchema(StrictSchema):
    """The item list's filters (the reports take the same)."""

    kind = fields.String(validate=validate.OneOf(ITEM_KINDS))
    status = fields.String(validate=validate.OneOf(workflow.STATUSES))
    lead = Text(100, metadata={"description": "Organisation id or acronym."})
    theme = Text(100, metadata={"description": "Theme id or code (includes its sub-themes)."})
    overdue = fields.Boolean()
    stale = fields.Boolean()
    q = Text(200, metadata={"description": "Words in the title, text or code."})


class ItemListArgsSchema(ItemFilterArgsSchema):
    page = fields.Integer(
        strict=False, load_default=1, validate=validate.Range(min=1, max=MAX_PAGE)
    )
    per_page = fields.Integer(
        strict=False,
        load_default=DEFAULT_PER_PAGE,
        validate=validate.Range(min=1, max=MAX_PER_PAGE),
    )


class SummaryArgsSchema(ItemFilterArgsSchema):
    as_of = fields.String(
        metadata={
            "format": "date",
            "description": "YYYY-MM-DD: the data as it stood at the end of that day (UTC).",
        }
    )


class _ItemFieldsSchema(StrictSchema):
    kind = fields.String(validate=validate.OneOf(ITEM_KINDS))
    title = Text(TITLE_MAX, blank=False)
    text = Text(TEXT_MAX)
    lead_id = Id()
    supporting_ids = IdList()
    theme_ids = IdList()
    link_ids = IdList()
    owner_id = Id(allow_none=True)
    due_date = fields.Date(allow_none=True)
    priority = fields.String(validate=validate.OneOf(PRIORITIES))


class ItemCreateSchema(_ItemFieldsSchema):
    kind = fields.String(required=True, validate=validate.OneOf(ITEM_KINDS))
    title = Text(TITLE_MAX, blank=False, required=True)
    lead_id = Id(required=True)


class ItemPatchSchema(_ItemFieldsSchema):
    version = fields.Integer(
        strict=True,
        required=True,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "The version the client last saw."},
    )


# --- status updates, comments, history --------------------------------------------------------


class StatusUpdateCreateSchema(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(workflow.STATUSES))
    progress = fields.Integer(strict=True, allow_none=True, validate=validate.Range(0, 100))
    note = Text(NOTE_MAX)
    version = fields.Integer(strict=True, required=True, validate=validate.Range(1, MAX_ID))


class StatusUpdateSchema(StrictSchema):
    id = fields.Integer(required=True)
    from_status = fields.String(required=True)
    to_status = fields.String(required=True)
    from_progress = fields.Integer(required=True)
    progress = fields.Integer(required=True)
    note = fields.String(required=True)
    author = fields.Nested(UserRefSchema, required=True, allow_none=True)
    created_at = UtcDateTime(required=True)


class StatusUpdateListSchema(StrictSchema):
    updates = fields.List(fields.Nested(StatusUpdateSchema), required=True)


class CommentCreateSchema(StrictSchema):
    body = Text(COMMENT_MAX, blank=False, required=True, metadata={"description": "Markdown."})


class CommentSchema(StrictSchema):
    id = fields.Integer(required=True)
    body = fields.String(required=True, metadata={"description": "Markdown, as written."})
    author = fields.Nested(UserRefSchema, required=True, allow_none=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


class CommentListSchema(StrictSchema):
    comments = fields.List(fields.Nested(CommentSchema), required=True)


class AuditEventSchema(StrictSchema):
    id = fields.Integer(required=True)
    created_at = UtcDateTime(required=True)
    actor = fields.String(required=True)
    actor_id = fields.Integer(required=True, allow_none=True)
    action = fields.String(required=True)
    record_type = fields.String(required=True)
    record_id = fields.Integer(required=True, allow_none=True)
    changes = fields.Dict(
        required=True, metadata={"description": "Changed fields: {field: [old, new]}."}
    )


class AuditEventListSchema(StrictSchema):
    events = fields.List(fields.Nested(AuditEventSchema), required=True)


# --- evidence and indicators ------------------------------------------------------------------


class EvidenceSchema(StrictSchema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("file", "link")))
    title = fields.String(required=True)
    url = fields.String(required=True, allow_none=True)
    filename = fields.String(required=True, allow_none=True)
    content_type = fields.String(required=True, allow_none=True)
    size_bytes = fields.Integer(required=True, allow_none=True)
    sha256 = fields.String(required=True, allow_none=True)
    status_update_id = fields.Integer(required=True, allow_none=True)
    uploaded_by = fields.Nested(UserRefSchema, required=True, allow_none=True)
    created_at = UtcDateTime(required=True)


class EvidenceListSchema(StrictSchema):
    evidence = fields.List(fields.Nested(EvidenceSchema), required=True)


class MeasurementSchema(StrictSchema):
    id = fields.Integer(required=True)
    measured_on = fields.Date(required=True)
    value = fields.Float(required=True)
    note = fields.String(required=True)
    created_at = UtcDateTime(required=True)


class IndicatorSchema(StrictSchema):
    id = fields.Integer(required=True)
    item_id = fields.Integer(required=True)
    code = fields.String(required=True, allow_none=True)
    name = fields.String(required=True)
    unit = fields.String(required=True)
    description = fields.String(required=True)
    baseline_value = fields.Float(required=True, allow_none=True)
    baseline_date = fields.Date(required=True, allow_none=True)
    target_value = fields.Float(required=True, allow_none=True)
    target_date = fields.Date(required=True, allow_none=True)
    measurements = fields.List(fields.Nested(MeasurementSchema), required=True)


class IndicatorListSchema(StrictSchema):
    indicators = fields.List(fields.Nested(IndicatorSchema), required=True)


class MeasurementCreateSchema(StrictSchema):
    value = fields.Float(
        required=True, allow_nan=False, validate=validate.Range(min=-1e15, max=1e15)
    )
    measured_on = fields.Date(required=True)
    note = Text(2000)


# --- summary ----------------------------------------------------------------------------------


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
    by_lead = fields.List(fields.Nested(LeadShareSchema), required=True)
    by_theme = fields.List(fields.Nested(ThemeShareSchema), required=True)
    overdue = fields.Integer(required=True)
    stale = fields.Integer(required=True)
