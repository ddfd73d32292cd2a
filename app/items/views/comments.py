"""Commenting on an item, and editing one's own comment (the history keeps the old text)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ValidationError
from app.core.feedback import form_errors
from app.core.records import get_or_404
from app.core.web import draft_sent, form_values
from app.items import policies, services
from app.items.models import Comment, Item
from app.items.views.common import bp
from app.items.views.detail import render_detail


@bp.post("/items/<id:item_id>/comments")
def post_comment(item_id: int):
    """Comment on an item in markdown."""
    item = get_or_404(Item, item_id)
    policies.may_comment(current_user, item).check()
    values = form_values("body")
    try:
        services.add_comment(current_user, item, values["body"])
    except ValidationError as exc:
        errors = form_errors(exc)
        return render_detail(item_id, form="comment", values=values, errors=errors, status=422)
    flash(_("Comment added."), "success")
    draft_sent(current_user.id, item_id, "comment")
    return redirect(url_for("items.detail", item_id=item_id) + "#history")


def _comment_page(comment: Comment, values: dict, errors: dict, status: int = 200):
    return render_template(
        "items/comment_edit.html", comment=comment, item=comment.item, values=values, errors=errors
    ), status


@bp.route("/comments/<id:comment_id>/edit", methods=["GET", "POST"])
def edit_comment(comment_id: int):
    """Edit one's own comment; the previous text stays in the history."""
    comment = get_or_404(Comment, comment_id)
    policies.may_edit_comment(current_user, comment).check()
    if request.method == "GET":
        return _comment_page(comment, {"body": comment.body}, {})
    values = form_values("body")
    try:
        services.edit_comment(current_user, comment, values["body"])
    except ValidationError as exc:
        return _comment_page(comment, values, form_errors(exc), 422)
    flash(_("Comment saved."), "success")
    return redirect(url_for("items.detail", item_id=comment.item_id) + "#history")
