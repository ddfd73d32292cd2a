"""Indicators: adding and editing one (managers and admins), and recording a measurement."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ValidationError
from app.core.feedback import form_errors
from app.core.records import get_or_404
from app.core.web import form_values
from app.items import forms, policies, services
from app.items.models import Indicator, Item
from app.items.views.common import bp, require_manager
from app.items.views.detail import render_detail


def _indicator_page(item: Item, indicator: Indicator | None, values, errors=None, status=200):
    return render_template(
        "items/indicator.html", item=item, indicator=indicator, values=values, errors=errors or {}
    ), status


def _save(item: Item, indicator: Indicator | None, values: dict) -> Indicator:
    fields = {k: values[k] for k in services.INDICATOR_FIELDS if k != "code"}
    if indicator is None:
        return services.create_indicator(current_user, item, code=values["code"], **fields)
    return services.edit_indicator(current_user, indicator, **fields)


def _indicator_form(item: Item, indicator: Indicator | None):
    if request.method == "GET":
        return _indicator_page(item, indicator, forms.indicator_values(indicator))
    values = form_values(*services.INDICATOR_FIELDS)
    if indicator is not None:
        values["code"] = indicator.code or ""
    try:
        saved = _save(item, indicator, values)
    except ValidationError as exc:
        return _indicator_page(item, indicator, values, form_errors(exc), 422)
    flash(_("Indicator saved."), "success")
    return redirect(url_for("items.detail", item_id=item.id) + f"#indicator-{saved.id}")


@bp.route("/items/<id:item_id>/indicators/new", methods=["GET", "POST"])
def new_indicator(item_id: int):
    """Add an indicator to an item (managers and admins)."""
    require_manager()
    return _indicator_form(get_or_404(Item, item_id), None)


@bp.route("/indicators/<id:indicator_id>/edit", methods=["GET", "POST"])
def edit_indicator(indicator_id: int):
    """Change an indicator's name, unit, baseline and target (managers and admins)."""
    require_manager()
    indicator = get_or_404(Indicator, indicator_id)
    return _indicator_form(indicator.item, indicator)


@bp.post("/indicators/<id:indicator_id>/measurements")
def post_measurement(indicator_id: int):
    """Record an indicator's value on a date."""
    indicator = get_or_404(Indicator, indicator_id)
    item_id = indicator.item_id
    policies.may_record_measurement(current_user, indicator.item).check()
    values = form_values("value", "measured_on", "note")
    try:
        services.record_measurement(
            current_user,
            indicator,
            value=values["value"].strip(),
            measured_on=values["measured_on"],
            note=values["note"],
        )
    except ValidationError as exc:
        errors = form_errors(exc)
        return render_detail(
            item_id,
            form="measurement",
            values=values,
            errors=errors,
            status=422,
            target_id=indicator_id,
        )
    flash(_("Measurement recorded."), "success")
    return redirect(url_for("items.detail", item_id=item_id) + f"#indicator-{indicator_id}")
