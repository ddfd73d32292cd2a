"""Bulk edits from the item list (managers and admins): choose the fields, review what will
change on each item, apply to all in one transaction — or, when any item changed meanwhile,
nothing, with those items shown."""

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.display import show_date
from app.core.errors import ConflictError, ValidationError
from app.core.feedback import form_errors
from app.items import bulk_form, forms, services
from app.items.labels import FIELD_LABELS, priority_label
from app.items.models import Item
from app.items.views.common import bp, require_manager

STEPS = ("choose", "preview", "apply")


SHOWN: dict[str, Callable[[Any], str]] = {
    "lead": lambda org: org.acronym,
    "supporting": lambda orgs: ", ".join(o.acronym for o in orgs),
    "themes": lambda themes: ", ".join(t.code for t in themes),
    "owner": lambda user: user.name,
    "due_date": show_date,
    "priority": priority_label,
}


def shown(field: str, value: Any) -> str:
    """A field's value as the review shows it."""
    if value is None or value == []:
        return "—"
    return SHOWN[field](value)


def _review(selected: list[tuple[Item, str]], changes: dict[str, Any]) -> list[dict]:
    """Each selected item with the fields that will change: (field, before, after)."""
    return [
        {
            "item": item,
            "changes": [
                (f, shown(f, getattr(item, f)), shown(f, changes[f]))
                for f in services.changing_fields(item, changes)
            ],
        }
        for item, _version in selected
    ]


def _page(step: str, values: dict, selected: list, errors: dict, status: int = 200, **extra):
    choices = forms.item_form_choices(None)
    return render_template(
        "items/bulk.html",
        step=step,
        values=values,
        selected=selected,
        errors=errors,
        max_bulk=services.MAX_BULK,
        org_options=choices["org_options"],
        theme_options=choices["theme_options"],
        owner_options=choices["owner_options"],
        priority_options=choices["priority_options"],
        field_label=lambda field: str(FIELD_LABELS.get(field, field)),
        **extra,
    ), status


def _conflict(values: dict, exc: ConflictError):
    """409: the review again, on the current versions, with the items changed meanwhile."""
    message = form_errors(exc)  # undoes what was written
    selected = bulk_form.selection(values)
    stale = {item.id for item in services.stale_items(selected)}
    values["versions"] = {str(item.id): str(item.version) for item, _v in selected}
    review = _review(selected, bulk_form.changes(values))
    return _page("preview", values, selected, message, 409, review=review, stale=stale)


@bp.post("/items/bulk")
def bulk_edit():
    """The bulk edit of the items selected in the list: ``step`` choose (the fields),
    preview (what will change, to confirm) or apply."""
    require_manager()
    values = bulk_form.bulk_values()
    step = values.get("step") or "choose"
    step = step if step in STEPS else "choose"
    try:
        selected = bulk_form.selection(values)
        services.check_count(selected)
    except ValidationError as exc:
        return _page("choose", values, [], form_errors(exc), 422)
    if step == "choose":
        return _page(step, values, selected, {})
    try:
        changes = bulk_form.changes(values)
        if step == "preview":
            services.check_selection(selected, changes)
            return _page(step, values, selected, {}, review=_review(selected, changes), stale=set())
        changed = services.bulk_edit(current_user, selected, **changes)
    except ConflictError as exc:
        return _conflict(values, exc)
    except ValidationError as exc:
        return _page("choose", values, selected, form_errors(exc), 422)
    flash(
        _(
            "%(changed)s of the %(count)s selected items changed.",
            changed=len(changed),
            count=len(selected),
        ),
        "success",
    )
    return redirect(url_for("items.index"))
