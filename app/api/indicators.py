"""Indicators of an item with their measurements, and recording a measurement."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.base import ApiBlueprint, current_actor, documents_errors, held, permits
from app.api.schemas.indicators import (
    IndicatorListSchema,
    IndicatorSchema,
    MeasurementCreateSchema,
)
from app.core.errors import N_, NotFound
from app.core.records import find
from app.extensions import db
from app.items import policies, services
from app.items.models import Indicator

bp = ApiBlueprint("indicators", __name__, description="Indicators and their measurements.")


def get_indicator(indicator_id: int, *, fresh: bool = False) -> Indicator:
    """The indicator with its measurements (``fresh``: read again after a write)."""
    indicator = find(Indicator, indicator_id, selectinload(Indicator.measurements))
    if indicator is None:
        raise NotFound(N_("No indicator with id %(id)s."), id=indicator_id)
    if fresh:
        db.session.refresh(indicator, ["measurements"])
    return indicator


@bp.route("/items/<id:item_id>/indicators", methods=["GET"])
@bp.response(200, IndicatorListSchema)
@documents_errors(bp, 404)
def list_indicators(item_id):
    """The item's indicators, each with baseline, target and dated measurements."""
    item = services.get_item(item_id)
    indicators = db.session.scalars(
        select(Indicator)
        .where(Indicator.item_id == item.id)
        .order_by(Indicator.id)
        .options(selectinload(Indicator.measurements))
    )
    return {"indicators": list(indicators)}


@bp.route("/indicators/<id:indicator_id>/measurements", methods=["POST"])
@permits(
    lambda actor, indicator_id: policies.may_record_measurement(
        actor, held(get_indicator(indicator_id)).item
    )
)
@bp.arguments(MeasurementCreateSchema)
@bp.response(201, IndicatorSchema)
@documents_errors(bp, 403, 404, 415, 422)
def record_measurement(data, indicator_id):
    """Record the indicator's value on a day (a second value that day replaces the first);
    answers with the indicator and all its measurements."""
    indicator = get_indicator(indicator_id)
    services.record_measurement(
        current_actor(),
        indicator,
        value=data["value"],
        measured_on=data["measured_on"],
        note=data.get("note", ""),
    )
    return get_indicator(indicator_id, fresh=True)
