"""Creating an item and editing one: its text, lead, supporting organisations, owner and due
date (managers and admins)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ConflictError, ValidationError
from app.core.feedback import form_errors
from app.core.records import get_or_404
from app.items import forms, services
from app.items.models import Item
from app.items.views.common import DETAIL_OPTIONS, bp, require_manager
from app.items.views.detail import conflict_page


def _item_page(item: Item | None, values: dict, errors=None, status: int = 200):
    return render_template(
        "items/edit.html",
        item=item,
        values=values,
        errors=errors or {},
        **forms.item_form_choices(item),
    ), status


@bp.route("/items/new", methods=["GET", "POST"])
def new_item():
    """Create an item (managers and admins)."""
    require_manager()
    if request.method == "GET":
        return _item_page(None, forms.item_values(None))
    values = forms.item_form_values()
    try:
        item = services.create_item(current_user, **forms.item_data(values))
    except ValidationError as exc:
        return _item_page(None, values, form_errors(exc), 422)
    flash(_("Item created."), "success")
    return redirect(url_for("items.detail", item_id=item.id))


@bp.route("/items/<id:item_id>/edit", methods=["GET", "POST"])
def edit_item(item_id: int):
    """Edit an item and assign lead, supporting organisations, owner and due date."""
    require_manager()
    item = get_or_404(Item, item_id, *DETAIL_OPTIONS)
    if request.method == "GET":
        return _item_page(item, forms.item_values(item))
    values = forms.item_form_values()
    try:
        data = forms.item_data(values)
        changed = services.edit_item(current_user, item, values["version"], **data)
    except ConflictError as exc:
        return conflict_page(item_id, exc, "edit", values)
    except ValidationError as exc:
        errors = form_errors(exc)
        return _item_page(get_or_404(Item, item_id, *DETAIL_OPTIONS), values, errors, 422)
    flash(_("Item saved.") if changed else _("Nothing was changed."), "success")
    return redirect(url_for("items.detail", item_id=item_id))
