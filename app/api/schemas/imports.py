"""The import's upload (multipart: ``file`` and ``dry_run``), its counts and its 422 body."""

from flask_smorest.fields import Upload
from marshmallow import fields

from app.api.fields import StrictSchema
from app.api.schemas.common import ErrorBodySchema


class ImportUploadSchema(StrictSchema):
    file = Upload(required=True, metadata={"description": "An .xlsx or .csv file."})
    dry_run = fields.Boolean(
        load_default=False, metadata={"description": "Check and count; write nothing."}
    )


class ImportCountsSchema(StrictSchema):
    dry_run = fields.Boolean(required=True)
    rows = fields.Integer(required=True)
    new = fields.Integer(required=True)
    changed = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)


class ImportProblemSchema(StrictSchema):
    row = fields.Integer(required=True, metadata={"description": "1 is the header; 0: the file."})
    column = fields.String(required=True)
    message = fields.String(required=True)


class ImportErrorBodySchema(ErrorBodySchema):
    errors = fields.List(fields.Nested(ImportProblemSchema))


class ImportErrorSchema(StrictSchema):
    """Suivi's error shape, with every problem of the file in ``errors`` (absent when the
    request itself is malformed: no file, an unknown field)."""

    error = fields.Nested(ImportErrorBodySchema, required=True)
    errors = fields.List(fields.Nested(ImportProblemSchema))
