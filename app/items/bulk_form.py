"""The bulk edit form: the items selected in the list with the version the manager saw of
each (hidden inputs), and the fields to set on all of them, each "left unchanged" unless
chosen. Parsed into the arguments of ``services.bulk_edit``."""

from typing import Any

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.core.errors import N_, ValidationError
from app.core.validation import collect, parse_choice, parse_date, parse_id, parse_ids
from app.extensions import db
from app.items.models import PRIORITIES, Item, Theme
from app.items.services import MAX_BULK
from app.stakeholders.models import Organisation

SINGLE = ("lead_id", "supporting_mode", "owner_id", "due_mode", "due_date", "priority")
MULTI = ("supporting_ids", "theme_ids")
SINGLE_ALL = (*SINGLE, "themes_mode", "step")
NO_OWNER = "none"  # owner_id's value that removes the owner
LIST_MODES = ("set",)  # supporting_mode, themes_mode: "" leaves unchanged, "set" replaces
DUE_MODES = ("set", "clear")


def bulk_values() -> dict[str, Any]:
    """What the form sent: the fields, the selected ids and ``versions`` {id: version}."""
    values: dict[str, Any] = {k: request.form.get(k, "") for k in SINGLE_ALL}
    for key in MULTI:
        values[key] = request.form.getlist(key)
    values["item"] = request.form.getlist("item")[: MAX_BULK + 1]
    values["versions"] = {i: request.form.get(f"v{i}", "") for i in values["item"]}
    return values


def selection(values: dict[str, Any]) -> list[tuple[Item, str]]:
    """The selected items (with what the pages show of them) and the versions seen."""
    if len(values["item"]) > MAX_BULK:
        raise ValidationError(
            N_("Select at most %(max)s items at a time."),
            fields={"item": N_("Too many.")},
            max=MAX_BULK,
        )
    ids = list(dict.fromkeys(parse_id(v, "item", required=True) for v in values["item"]))
    found = {
        i.id: i
        for i in db.session.scalars(
            select(Item)
            .where(Item.id.in_(ids))
            .options(
                selectinload(Item.lead),
                selectinload(Item.supporting),
                selectinload(Item.themes),
                selectinload(Item.owner),
            )
        )
    }
    if len(found) < len(ids):
        raise ValidationError(
            N_("Some of the selected items no longer exist."), fields={"item": N_("Unknown id.")}
        )
    return [(found[i], values["versions"].get(str(i), "")) for i in ids if i is not None]


def _records(model: Any, raw: Any, field: str) -> list[Any]:
    ids = parse_ids(raw, field)
    found = {o.id: o for o in db.session.scalars(select(model).where(model.id.in_(ids)))}
    if len(found) < len(set(ids)):
        raise ValidationError(
            N_("%(field)s names something that does not exist."),
            fields={field: N_("Unknown id.")},
            field=field,
        )
    return [found[i] for i in dict.fromkeys(ids)]


def _due(values: dict[str, Any]) -> Any:
    mode = parse_choice(values["due_mode"], "due_mode", DUE_MODES)
    if mode == "clear":
        return None
    day = parse_date(values["due_date"], "due_date")
    if day is None:
        raise ValidationError(
            N_("%(field)s is required."), fields={"due_date": N_("Required.")}, field="due_date"
        )
    return day


def _owner(raw: str) -> Any:
    return None if raw == NO_OWNER else _records(User, [raw], "owner_id")[0]


def changes(values: dict[str, Any]) -> dict[str, Any]:
    """The fields to set, parsed into records and values; the ones left unchanged are
    absent. Every bad field is reported at once."""
    checks = {}
    if values["lead_id"]:
        checks["lead"] = lambda: _records(Organisation, [values["lead_id"]], "lead_id")[0]
    if values["supporting_mode"]:
        parse_choice(values["supporting_mode"], "supporting_mode", LIST_MODES)
        checks["supporting"] = lambda: _records(
            Organisation, values["supporting_ids"], "supporting_ids"
        )
    if values["owner_id"]:
        checks["owner"] = lambda: _owner(values["owner_id"])
    if values["due_mode"]:
        checks["due_date"] = lambda: _due(values)
    if values["priority"]:
        checks["priority"] = lambda: parse_choice(values["priority"], "priority", PRIORITIES)
    if values["themes_mode"]:
        parse_choice(values["themes_mode"], "themes_mode", LIST_MODES)
        checks["themes"] = lambda: _records(Theme, values["theme_ids"], "theme_ids")
    return collect(**checks)
