"""The notifications page, watching an item, the delivery choice, and the one-click opt-out
of every mail (RFC 8058: it works without logging in, and without a CSRF token, because the
signed link is the credential)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import ValidationError
from app.core.feedback import form_errors
from app.core.records import get_or_404
from app.core.validation import parse_flag
from app.core.web import error_response
from app.extensions import csrf
from app.items.models import Item
from app.notifications import labels, policies, queries, services

bp = Blueprint("notifications", __name__)
bp.add_app_template_global(queries.is_watching, "is_watching")
bp.add_app_template_global(queries.delivery_of, "delivery_of")


@bp.app_context_processor
def _delivery_labels() -> dict:
    return {"DELIVERY_LABELS": labels.DELIVERY_LABELS}


@bp.get("/notifications")
@login_required
def index():
    """The user's recent notifications, whether or not mail is configured."""
    return render_template(
        "notifications/index.html",
        notifications=queries.recent_notifications(current_user.id),
        describe=labels.describe,
        delivery=queries.delivery_of(current_user),
    )


@bp.post("/items/<id:item_id>/watch")
@login_required
def watch(item_id: int):
    """Watch the item (``watching=1``) or stop (``watching=0``)."""
    item = get_or_404(Item, item_id)
    if not policies.may_watch(current_user, item):
        abort(403)
    try:
        watching = parse_flag(request.form.get("watching", ""), "watching")
    except ValidationError:
        watching = None
    if watching is None:
        abort(400)
    services.set_watch(current_user, item, watching)
    flash(
        _("You are watching this item.") if watching else _("You no longer watch this item."),
        "success",
    )
    return redirect(url_for("items.detail", item_id=item.id))


@bp.post("/profile/notifications")
@login_required
def delivery():
    """Choose how to hear of changes: each by mail, a daily or weekly digest, or no mail."""
    try:
        services.set_delivery(current_user, current_user, request.form.get("delivery", ""))
    except ValidationError as exc:
        return error_response(422, form_errors(exc)[""], exc.code)
    flash(_("Your notification choice is saved."), "success")
    return redirect(url_for("auth.profile"))


def _unsubscribe_page(token: str, done: bool, status: int = 200):
    return render_template("notifications/unsubscribe.html", token=token, done=done), status


@bp.get("/unsubscribe/<token>")
def unsubscribe_form(token: str):
    """The opt-out link of a mail: one button, no login."""
    if services.user_of_unsubscribe_token(token) is None:
        abort(404)
    return _unsubscribe_page(token, done=False)


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe(token: str):
    """One click: no more mail to the user the signed link names."""
    user = services.user_of_unsubscribe_token(token)
    if user is None:
        abort(404)
    services.unsubscribe(user)
    return _unsubscribe_page(token, done=True)
