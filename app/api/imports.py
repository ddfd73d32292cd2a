"""POST /api/v1/imports: a spreadsheet (multipart ``file``, optional ``dry_run``) imported
through the same plan and services as the page and ``flask import``."""

from app.api import errors
from app.api.base import ApiBlueprint, current_actor, documents_errors, permits
from app.api.schemas.imports import (
    ImportCountsSchema,
    ImportErrorSchema,
    ImportUploadSchema,
)
from app.imports import policies, services
from app.imports.errors import ImportRefused

bp = ApiBlueprint("imports", __name__, description="Spreadsheet import.", body="multipart")


@bp.route("/imports", methods=["POST"])
@permits(lambda actor: policies.may_import(actor))
@bp.arguments(ImportUploadSchema, location="multipart")
@bp.response(201, ImportCountsSchema)
@bp.alt_response(422, schema=ImportErrorSchema, description="Problems in the file.")
@documents_errors(bp, 403, 413, 415)
def create_import(upload):
    """Import items from an XLSX or CSV file: 201 with the counts of rows new, changed and
    unchanged (also for a dry run, which writes nothing), or 422 naming each problem by row
    and column — and then nothing is written."""
    file = upload["file"]
    try:
        counts = services.import_file(
            current_actor(), file.stream, file.filename or "upload", dry_run=upload["dry_run"]
        )
    except ImportRefused as exc:
        problems = [error.as_dict() for error in exc.errors]
        return errors.error_response(422, exc.message, exc.code, errors=problems)
    return {"dry_run": upload["dry_run"], **counts}
