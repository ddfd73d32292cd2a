"""Posting a status update (status, progress, note) on an item."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.core.errors import ConflictError, ValidationError, WorkflowError
from app.core.feedback import form_errors
from app.core.records import get_or_404
from app.core.web import draft_sent, form_values
from app.items import policies, services, workflow
from app.items.models import Item
from app.items.views.common import bp
from app.items.views.detail import conflict_page, render_detail


@bp.post("/items/<id:item_id>/updates")
def post_update(item_id: int):
    """Post a status update on the version the user saw."""
    item = get_or_404(Item, item_id, selectinload(Item.supporting))
    policies.may_post_update(current_user, item).check()
    values = form_values("status", "progress", "note", "version")
    try:
        services.change_status(
            current_user,
            item,
            values["version"],
            status=values["status"],
            progress=values["progress"],
            note=values["note"],
        )
    except ConflictError as exc:
        return conflict_page(item_id, exc, "update", values)
    except (ValidationError, WorkflowError) as exc:
        errors = form_errors(exc)
        return render_detail(item_id, form="update", values=values, errors=errors, status=422)
    flash(_("Status update saved."), "success")
    draft_sent(current_user.id, item_id, "update")
    if values["status"] == workflow.IMPLEMENTED and not services.has_evidence(item):
        flash(_("Please attach evidence (a file or a link) supporting what was done."), "warning")
        return redirect(url_for("items.detail", item_id=item_id) + "#evidence")
    return redirect(url_for("items.detail", item_id=item_id) + "#history")
