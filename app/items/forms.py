"""The item forms: option lists, values to pre-fill, the parsing of submitted forms into
service arguments, and what a conflict page pre-fills. Forms are plain HTML (csrf_token from
CSRFProtect); the services validate, and their errors are shown next to the fields by name."""

from datetime import date

from flask import request
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.core.errors import N_, ValidationError
from app.core.natural import natural_order
from app.core.validation import parse_ids
from app.extensions import db
from app.items.labels import KIND_LABELS, PRIORITY_LABELS
from app.items.models import ITEM_KINDS, PRIORITIES, Indicator, Item, Source, Theme
from app.items.queries import themes_by_code
from app.items.services import INDICATOR_FIELDS
from app.stakeholders.models import Organisation
from app.stakeholders.queries import organisations_by_acronym

# The single-valued inputs of the item form.
ITEM_FORM_FIELDS = (
    "code",
    "kind",
    "title",
    "text",
    "source_id",
    "source_section",
    "priority",
    "lead_id",
    "owner_id",
    "due_date",
)


def item_form_choices(item: Item | None) -> dict:
    """The options of the item form, as (value, label) pairs."""
    links = db.session.execute(
        select(Item.id, Item.code, Item.title, Item.kind)
        .where(Item.id != (item.id if item else -1))
        .order_by(Item.kind, *natural_order(Item.code), Item.id)
    ).all()
    return {
        "kind_options": [(k, KIND_LABELS[k]) for k in ITEM_KINDS],
        "priority_options": [(p, PRIORITY_LABELS[p]) for p in PRIORITIES],
        "org_options": [(o.id, f"{o.acronym} – {o.name}") for o in organisations_by_acronym()],
        "theme_options": [(t.id, f"{t.code} {t.title}") for t in themes_by_code()],
        "source_options": db.session.execute(
            select(Source.id, Source.title).order_by(Source.title)
        ).all(),
        "owner_options": db.session.execute(
            select(User.id, User.name).where(User.is_active.is_(True)).order_by(User.name)
        ).all(),
        "link_options": [(i.id, f"{i.code or '#' + str(i.id)} {i.title}") for i in links],
    }


def item_values(item: Item | None) -> dict:
    if item is None:
        return {
            "kind": "recommendation",
            "priority": "medium",
            "supporting_ids": [],
            "theme_ids": [],
            "link_ids": [],
        }
    return {
        "code": item.code or "",
        "kind": item.kind,
        "title": item.title,
        "text": item.text,
        "source_id": str(item.source_id or ""),
        "source_section": item.source_section,
        "priority": item.priority,
        "lead_id": str(item.lead_id),
        "owner_id": str(item.owner_id or ""),
        "due_date": item.due_date.isoformat() if item.due_date else "",
        "supporting_ids": [str(o.id) for o in item.supporting],
        "theme_ids": [str(t.id) for t in item.themes],
        "link_ids": [str(o.id) for o in item.links],
        "version": str(item.version),
    }


def item_form_values() -> dict:
    values: dict[str, str | list[str]] = {
        k: request.form.get(k, "") for k in (*ITEM_FORM_FIELDS, "version")
    }
    for key in ("supporting_ids", "theme_ids", "link_ids"):
        values[key] = request.form.getlist(key)
    return values


def _objects(model, raw, field: str) -> list:
    ids = parse_ids(raw, field)
    found = (
        {o.id: o for o in db.session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}
    )
    return [found.get(i) for i in ids]


def _one(model, raw: str, field: str):
    objects = _objects(model, raw, field)
    if objects and objects[0] is None:
        raise ValidationError(
            N_("%(field)s names something that does not exist."),
            fields={field: N_("Unknown id.")},
            field=field,
        )
    return objects[0] if objects else None


def item_data(values: dict) -> dict:
    """Service arguments from the item form; unknown or malformed ids are field errors."""
    return {
        "code": values["code"],
        "kind": values["kind"],
        "title": values["title"],
        "text": values["text"],
        "source": _one(Source, values["source_id"], "source_id"),
        "source_section": values["source_section"],
        "priority": values["priority"],
        "lead": _one(Organisation, values["lead_id"], "lead_id"),
        "supporting": _objects(Organisation, values["supporting_ids"], "supporting_ids"),
        "themes": _objects(Theme, values["theme_ids"], "theme_ids"),
        "links": _objects(Item, values["link_ids"], "link_ids"),
        "owner": _one(User, values["owner_id"], "owner_id"),
        "due_date": values["due_date"],
    }


def indicator_values(indicator: Indicator | None) -> dict:
    if indicator is None:
        return {}

    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return value.isoformat() if isinstance(value, date) else str(value)

    return {k: text(getattr(indicator, k)) for k in INDICATOR_FIELDS}


# --- a conflict: keep what the user changed, take the rest from the current version ---------

AUDIT_TO_FORM = {
    "code": "code",
    "kind": "kind",
    "title": "title",
    "text": "text",
    "source_id": "source_id",
    "source_section": "source_section",
    "priority": "priority",
    "lead_id": "lead_id",
    "owner_id": "owner_id",
    "due_date": "due_date",
    "supporting": "supporting_ids",
    "themes": "theme_ids",
}
MULTI_FIELDS = ("supporting_ids", "theme_ids", "link_ids")


def _norm(value):
    if isinstance(value, (list, tuple, set)):
        return sorted(str(v).strip() for v in value if str(v).strip())
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").strip()


def values_at(current: dict, changes_since: list[dict]) -> dict:
    """The item form's values before ``changes_since`` (the audited ``{field: [old, new]}``
    updates of the item after the version the user saw, oldest first)."""
    seen = dict(current)
    links = set(_norm(current.get("link_ids", [])))
    for changes in reversed(changes_since):
        for key, pair in changes.items():
            if not isinstance(pair, list) or len(pair) != 2:
                continue
            old, new = pair
            if key in AUDIT_TO_FORM:
                seen[AUDIT_TO_FORM[key]] = (
                    _norm(old) if isinstance(old, list) else ("" if old is None else str(old))
                )
            elif key in ("addresses", "addressed_by"):
                old_ids, new_ids = set(_norm(old or [])), set(_norm(new or []))
                links = (links - (new_ids - old_ids)) | (old_ids - new_ids)
    seen["link_ids"] = sorted(links)
    return seen


def merge_on_conflict(typed: dict, seen: dict, current: dict) -> tuple[dict, dict[str, str]]:
    """What to pre-fill after a conflict: the user's value where they changed a field, the
    current value where they did not. Also ``{field: message}`` for the fields both the user
    and someone else changed (the user's value is kept; they should check it)."""
    merged, both = dict(typed), {}
    for key in (*ITEM_FORM_FIELDS, *MULTI_FIELDS):
        mine, before, now = _norm(typed.get(key)), _norm(seen.get(key)), _norm(current.get(key))
        if mine == before:
            merged[key] = current.get(key, [] if key in MULTI_FIELDS else "")
        elif now != before and mine != now:
            both[key] = _(
                "Someone else changed this too; your value is kept. Check it before saving."
            )
    return merged, both


def update_after_conflict(values: dict, item: Item, changes_since: list[dict]) -> dict:
    """The status update form on the current version: a progress left as it was shown takes
    the current progress, not the one the user saw."""
    shown = next(
        (c["progress"][0] for c in changes_since if isinstance(c.get("progress"), list)),
        item.progress,
    )
    if str(values.get("progress", "")).strip() == str(shown):
        return {**values, "progress": str(item.progress)}
    return values


def edit_after_conflict(values: dict, item: Item, changes_since: list[dict]):
    """The item form on the current version, and the fields both the user and someone else
    changed (``{field: message}``, with a summary under ``""``)."""
    current = item_values(item)
    values, errors = merge_on_conflict(values, values_at(current, changes_since), current)
    if errors:
        errors[""] = _("You and someone else changed the fields marked below.")
    return values, errors
