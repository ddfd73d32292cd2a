"""The managers' page that publishes an item on the public view, with its public summary,
and takes it off again."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ConflictError, ValidationError
from app.core.feedback import form_errors
from app.core.records import get_or_404
from app.core.web import form_values, require_login
from app.items.models import Item
from app.public import policies, services

bp = Blueprint("publication", __name__)
require_login(bp)


def _page(item: Item, values: dict, errors: dict, status: int = 200):
    publication = services.publication_of(item)
    return render_template(
        "public/publication.html",
        item=item,
        publication=publication,
        values=values,
        errors=errors,
        public_view=bool(current_app.config.get("PUBLIC_VIEW")),
    ), status


def _current(item: Item) -> dict:
    publication = services.publication_of(item)
    return {
        "summary": publication.summary if publication else "",
        "version": str(publication.version if publication else 0),
    }


@bp.route("/items/<id:item_id>/publication", methods=["GET", "POST"])
def edit(item_id: int):
    """Publish the item with a public summary, change that summary, or unpublish it."""
    if not policies.may_publish(current_user):
        abort(403)
    item = get_or_404(Item, item_id)
    if request.method == "GET":
        return _page(item, _current(item), {})
    values = form_values("summary", "version", "action")
    try:
        if values["action"] == "unpublish":
            services.unpublish_item(current_user, item, values["version"])
            flash(_("The item is no longer public."), "success")
        else:
            services.publish_item(current_user, item, values["summary"], values["version"])
            flash(_("The item is published on the public view."), "success")
    except ConflictError as exc:
        errors = form_errors(exc)
        return _page(item, {**values, "version": _current(item)["version"]}, errors, 409)
    except ValidationError as exc:
        return _page(item, values, form_errors(exc), 422)
    return redirect(url_for("publication.edit", item_id=item_id))
