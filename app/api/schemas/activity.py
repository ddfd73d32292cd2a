"""Status updates, comments, history events and evidence of an item."""

from marshmallow import fields, validate

from app.api.fields import Progress, StrictSchema, Text, UtcDateTime, Version
from app.api.schemas.common import UserRefSchema
from app.items import workflow
from app.items.services import COMMENT_MAX, NOTE_MAX


class StatusUpdateCreateSchema(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(workflow.STATUSES))
    progress = Progress(allow_none=True)
    note = Text(NOTE_MAX)
    version = Version(required=True)


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
    withdrawn_at = UtcDateTime(required=True, allow_none=True)
    withdrawn_reason = fields.String(required=True)


class EvidenceListSchema(StrictSchema):
    evidence = fields.List(fields.Nested(EvidenceSchema), required=True)
