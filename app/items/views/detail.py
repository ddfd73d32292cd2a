"""An item's page (text, who acts, state, indicators, evidence, history) and the conflict
page a stale form answers with."""

from flask import current_app, render_template
from flask_babel import gettext as _
from markupsafe import Markup

from app.core.conditional import conditional
from app.core.errors import ConflictError
from app.core.feedback import form_errors
from app.core.numbers import format_number
from app.core.records import get_or_404
from app.core.time import today
from app.items import forms, queries
from app.items.charts import indicator_svg
from app.items.history import build_history, field_changes_since
from app.items.labels import response_label
from app.items.models import RESPONSE_POSITIONS, Item
from app.items.views.common import DETAIL_OPTIONS, bp, transitions_for


def _charts(item: Item) -> dict[int, Markup]:
    labels = {"baseline": _("Baseline"), "target": _("Target")}
    charts = {}
    for indicator in item.indicators:
        unit = f" ({indicator.unit})" if indicator.unit else ""
        charts[indicator.id] = indicator_svg(
            chart_id=f"chart-{indicator.id}",
            title=_(
                "%(name)s%(unit)s: measurements against baseline and target",
                name=indicator.name,
                unit=unit,
            ),
            points=[(m.measured_on, m.value) for m in indicator.measurements],
            baseline=(indicator.baseline_date, indicator.baseline_value),
            target=(indicator.target_date, indicator.target_value),
            labels=labels,
            number=lambda value: format_number(round(value, 2)),
        )
    return charts


def render_detail(
    item_id: int,
    *,
    form: str | None = None,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
    target_id: int | None = None,
):
    """The item page; ``form`` names the form to show with ``values`` and ``errors``."""
    item = get_or_404(Item, item_id, *DETAIL_OPTIONS)
    history = build_history(item)
    return render_template(
        "items/detail.html",
        item=item,
        flags=queries.item_flags(item, queries.stale_days()),
        evidence=queries.evidence_of(item),
        history=history,
        last_update=max((e["when"] for e in history if e["type"] == "update"), default=None),
        stale_days=queries.stale_days(),
        charts=_charts(item),
        transitions=transitions_for(item),
        today=today(),
        max_bytes=current_app.config["EVIDENCE_MAX_BYTES"],
        form=form,
        values=values or {},
        errors=errors or {},
        target_id=target_id,
        responses=queries.response_history(item) if item.kind == "recommendation" else [],
        response_options=[(p, response_label(p)) for p in RESPONSE_POSITIONS],
    ), status


@bp.get("/items/<id:item_id>")
@conditional
def detail(item_id: int):
    """An item: what it says, who acts, its state, indicators, evidence and history."""
    return render_detail(item_id)


def _seen_version(values: dict) -> int:
    try:
        return int(values.get("version") or 0)
    except ValueError:
        return 0


def conflict_page(item_id: int, exc: ConflictError, form: str, values: dict):
    """409: what changed since the version the user saw, and their form (``"update"`` or
    ``"edit"``) pre-filled on the current version."""
    message = form_errors(exc)[""]
    item = get_or_404(Item, item_id, *DETAIL_OPTIONS)
    seen = _seen_version(values)
    changes_since = field_changes_since(item, seen) if seen else []
    errors: dict[str, str] = {}
    if form == "update":
        values = forms.update_after_conflict(values, item, changes_since)
    elif seen:
        values, errors = forms.edit_after_conflict(values, item, changes_since)
    return render_template(
        "items/conflict.html",
        item=item,
        seen=seen,
        changes=build_history(item, since_version=seen) if seen else [],
        form=form,
        values={**values, "version": str(item.version)},
        errors=errors,
        transitions=transitions_for(item),
        flags=queries.item_flags(item, queries.stale_days()),
        message=message,
        **(forms.item_form_choices(item) if form == "edit" else {}),
    ), 409
