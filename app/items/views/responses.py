"""Recording or revising the formal response of a recommendation."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ConflictError, ValidationError
from app.core.feedback import form_errors
from app.core.records import get_or_404
from app.core.web import form_values
from app.items import policies, services
from app.items.models import Item
from app.items.views.common import bp
from app.items.views.detail import render_detail


@bp.post("/items/<id:item_id>/response")
def post_response(item_id: int):
    """Record the response on the version the user saw; a stale version shows the current
    response with the user's form kept, to check before saving again."""
    item = get_or_404(Item, item_id)
    if not policies.may_respond(current_user, item):
        abort(403)
    values = form_values("position", "responded_on", "text", "version")
    try:
        saved = services.record_response(
            current_user,
            item,
            values["version"],
            position=values["position"],
            text=values["text"],
            responded_on=values["responded_on"],
        )
    except ConflictError as exc:
        errors = form_errors(exc)
        kept = {k: v for k, v in values.items() if k != "version"}
        return render_detail(item_id, form="response", values=kept, errors=errors, status=409)
    except ValidationError as exc:
        errors = form_errors(exc)
        return render_detail(item_id, form="response", values=values, errors=errors, status=422)
    flash(_("Response saved.") if saved else _("The response is unchanged."), "success")
    return redirect(url_for("items.detail", item_id=item_id) + "#response")
