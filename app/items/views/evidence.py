"""Evidence: attaching a file or a link to an item, and downloading a stored file."""

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from app.core.errors import N_, NotFound, ValidationError
from app.core.feedback import form_errors
from app.core.records import get_or_404
from app.core.transaction import on_undo
from app.core.web import draft_sent, form_values
from app.items import evidence as evidence_files
from app.items import policies, services
from app.items.models import Evidence, Item
from app.items.views.common import bp
from app.items.views.detail import render_detail


def _attach(item: Item, upload: FileStorage | None, values: dict) -> None:
    """Store the file (removed again if the request's changes are undone) or take the link."""
    has_file = upload is not None and bool(upload.filename)
    if has_file == bool(values["url"].strip()):
        raise ValidationError(
            N_("Give either a link or a file."),
            fields={
                "file": N_("Choose a file, or give a link instead."),
                "url": N_("Give a link, or choose a file instead."),
            },
        )
    if not has_file:
        services.attach_evidence(current_user, item, title=values["title"], url=values["url"])
        return
    folder, limit = current_app.config["UPLOAD_FOLDER"], current_app.config["EVIDENCE_MAX_BYTES"]
    stored = evidence_files.store(upload, folder, limit)
    on_undo(lambda: evidence_files.discard(folder, stored))
    services.attach_evidence(current_user, item, title=values["title"], stored_file=stored)


@bp.post("/items/<id:item_id>/evidence")
def post_evidence(item_id: int):
    """Attach a file (checked by its content, stored under a random name) or a link."""
    item = get_or_404(Item, item_id, selectinload(Item.supporting))
    policies.may_attach_evidence(current_user, item).check()
    values = form_values("title", "url")
    try:
        _attach(item, request.files.get("file"), values)
    except ValidationError as exc:
        errors = form_errors(exc)
        return render_detail(item_id, form="evidence", values=values, errors=errors, status=422)
    flash(_("Evidence attached."), "success")
    draft_sent(current_user.id, item_id, "evidence")
    return redirect(url_for("items.detail", item_id=item_id) + "#evidence")


@bp.post("/evidence/<id:evidence_id>/withdraw")
def withdraw_evidence(evidence_id: int):
    """Withdraw evidence attached by mistake, saying why; it stays in the history."""
    evidence = get_or_404(Evidence, evidence_id, selectinload(Evidence.item))
    policies.may_withdraw_evidence(current_user, evidence).check()
    values = form_values("reason")
    try:
        services.withdraw_evidence(current_user, evidence, reason=values["reason"])
    except ValidationError as exc:
        errors = form_errors(exc)
        return render_detail(
            evidence.item_id, form="withdraw", errors=errors, status=422, target_id=evidence_id
        )
    flash(_("Evidence withdrawn; it stays in the history."), "success")
    return redirect(url_for("items.detail", item_id=evidence.item_id) + "#evidence")


@bp.get("/evidence/<id:evidence_id>/download")
def download_evidence(evidence_id: int):
    """A stored file, as an attachment under its original name made safe."""
    evidence = get_or_404(Evidence, evidence_id)
    if evidence.kind != "file" or not policies.may_read(current_user):
        abort(404)
    if evidence.withdrawn_at is not None:
        raise NotFound(N_("This evidence was withdrawn: its file is no longer served."))
    path = evidence_files.stored_path(current_app.config["UPLOAD_FOLDER"], evidence.stored_name)
    if path is None:
        abort(404)
    response = send_file(
        path,
        mimetype=evidence.content_type or "application/octet-stream",
        as_attachment=True,
        download_name=evidence_files.download_name(evidence.filename),
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
