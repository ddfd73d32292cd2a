"""Indicators on items and their dated measurements."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from app import audit
from app.core.actor import Actor
from app.core.errors import N_, ValidationError
from app.core.time import today
from app.core.validation import clean_text, parse_date, parse_number
from app.extensions import db
from app.items import policies
from app.items.models import Indicator, Item, Measurement
from app.items.services._common import require_manager, set_if_changed

INDICATOR_FIELDS = (
    "code",
    "name",
    "unit",
    "description",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
)


# How each field of an indicator is read, in the order they are checked.
_PARSERS: dict[str, Callable[[Any], Any]] = {
    "code": lambda v: clean_text(v, "code", 40, required=False) or None,
    "name": lambda v: clean_text(v, "name", 200),
    "unit": lambda v: clean_text(v, "unit", 50, required=False),
    "description": lambda v: clean_text(v, "description", 5000, required=False),
    "baseline_value": lambda v: parse_number(v, "baseline_value"),
    "target_value": lambda v: parse_number(v, "target_value"),
    "baseline_date": lambda v: parse_date(v, "baseline_date"),
    "target_date": lambda v: parse_date(v, "target_date"),
}


def _apply_indicator(indicator: Indicator, data: dict[str, Any]) -> None:
    values = {key: parse(data[key]) for key, parse in _PARSERS.items() if key in data}
    code = values.get("code")
    if (
        code
        and code != indicator.code
        and db.session.scalar(select(Indicator.id).where(Indicator.code == code))
    ):
        raise ValidationError(
            N_("The code %(code)s is already used."),
            fields={"code": N_("Already used.")},
            code=code,
        )
    for key, value in values.items():
        set_if_changed(indicator, key, value)


def create_indicator(actor: Actor, item: Item, **data: Any) -> Indicator:
    """Create an indicator on ``item`` (manager, admin); ``name`` is required."""
    require_manager(actor)
    audit.set_actor(db.session, actor)
    data.setdefault("name", None)
    indicator = Indicator(item=item, unit="", description="")
    with db.session.no_autoflush:
        _apply_indicator(indicator, data)
    db.session.add(indicator)
    db.session.flush()
    return indicator


def edit_indicator(actor: Actor, indicator: Indicator, **data: Any) -> Indicator:
    """Change an indicator's name, unit, description, baseline or target (manager, admin)."""
    require_manager(actor)
    audit.set_actor(db.session, actor)
    _apply_indicator(indicator, data)
    db.session.flush()
    return indicator


def record_measurement(
    actor: Actor, indicator: Indicator, *, value: Any, measured_on: Any, note: Any = ""
) -> Measurement:
    """Record the indicator's value on a date (whoever may post updates on its item); a
    second value for the same day replaces the first, and the audit keeps both."""
    policies.may_record_measurement(actor, indicator.item).check()
    audit.set_actor(db.session, actor)
    number = parse_number(value, "value", required=True)
    day = parse_date(measured_on, "measured_on")
    if day is None:
        raise ValidationError(N_("The date is required."), fields={"measured_on": N_("Required.")})
    if day > today():
        raise ValidationError(
            N_("A measurement cannot be in the future."),
            fields={"measured_on": N_("In the future.")},
        )
    note = clean_text(note, "note", 2000, required=False)
    measurement = db.session.scalar(
        select(Measurement).where(
            Measurement.indicator_id == indicator.id, Measurement.measured_on == day
        )
    )
    if measurement is None:
        measurement = Measurement(
            indicator=indicator, measured_on=day, value=number, note=note, recorded_by_id=actor.id
        )
        db.session.add(measurement)
    else:
        set_if_changed(measurement, "value", number)
        set_if_changed(measurement, "note", note)
        measurement.recorded_by_id = actor.id
    db.session.flush()
    return measurement
