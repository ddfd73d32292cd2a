"""/api/v1/items: list with filters and pages, read, create and edit items."""

from typing import Any

from flask import current_app
from sqlalchemy import select

from app.api.base import ApiBlueprint, commit, current_actor, documents_errors
from app.api.schemas import (
    ItemCreateSchema,
    ItemListArgsSchema,
    ItemPageSchema,
    ItemPatchSchema,
    ItemSchema,
)
from app.auth.models import User
from app.core.errors import N_, ValidationError
from app.extensions import db
from app.items import services
from app.items.models import Item, Theme
from app.items.queries import ItemFilters, list_items
from app.stakeholders.models import Organisation

bp = ApiBlueprint("items", __name__, description="Challenges, recommendations and actions.")

FILTER_NAMES = ("kind", "status", "lead", "theme", "overdue", "stale", "q")
# Request field -> (service field, model, many)
REFERENCES = {
    "lead_id": ("lead", Organisation, False),
    "supporting_ids": ("supporting", Organisation, True),
    "theme_ids": ("themes", Theme, True),
    "link_ids": ("links", Item, True),
    "owner_id": ("owner", User, False),
}


def stale_days() -> int:
    return current_app.config["STALE_DAYS"]


def filters_from(args: dict[str, Any]) -> ItemFilters:
    """The validated query arguments as the filters the list and the reports share."""
    values = {name: args.get(name) for name in FILTER_NAMES}
    for name in ("lead", "theme", "q"):
        if values[name] is not None:
            values[name] = values[name].strip() or None
    return ItemFilters(**values)


def _load(model, ids: list[int], field: str) -> list:
    """The records with these ids in one statement, or a 422 naming the unknown ones."""
    wanted = list(dict.fromkeys(ids))
    found = (
        {r.id: r for r in db.session.scalars(select(model).where(model.id.in_(wanted)))}
        if wanted
        else {}
    )
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ValidationError(
            N_("%(field)s names records that do not exist: %(ids)s."),
            fields={field: N_("Unknown id.")},
            field=field,
            ids=", ".join(str(i) for i in missing[:10]),
        )
    return [found[i] for i in wanted]


def service_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Request fields (ids) as the item services' fields (records)."""
    out = {}
    for key, value in data.items():
        if key not in REFERENCES:
            out[key] = value
            continue
        name, model, many = REFERENCES[key]
        if many:
            out[name] = _load(model, value, key)
        elif value is None:
            out[name] = None
        else:
            out[name] = _load(model, [value], key)[0]
    return out


@bp.route("/items", methods=["GET"])
@bp.arguments(ItemListArgsSchema, location="query", error_status_code=400)
@bp.response(200, ItemPageSchema)
@documents_errors(bp)
def list_items_view(args):
    """Items matching the filters, by id, one page at a time (``per_page`` at most 200)."""
    page = list_items(
        filters_from(args), page=args["page"], per_page=args["per_page"], stale_days=stale_days()
    )
    return {"items": page.items, "page": page.page, "per_page": page.per_page, "total": page.total}


@bp.route("/items", methods=["POST"])
@bp.arguments(ItemCreateSchema)
@bp.response(201, ItemSchema)
@documents_errors(bp, 403, 415, 422)
def create_item(data):
    """Create an item (managers and admins)."""
    item = services.create_item(current_actor(), **service_fields(data))
    commit()
    return item


@bp.route("/items/<id:item_id>", methods=["GET"])
@bp.response(200, ItemSchema)
@documents_errors(bp, 404)
def get_item(item_id):
    """One item in full."""
    return services.get_item(item_id)


@bp.route("/items/<id:item_id>", methods=["PATCH"])
@bp.arguments(ItemPatchSchema)
@bp.response(200, ItemSchema)
@documents_errors(bp, 403, 404, 409, 415, 422)
def edit_item(data, item_id):
    """Change any of the item's fields (managers and admins); ``version`` is the one the
    client last saw, and a stale one is refused with 409 and the current version."""
    item = services.get_item(item_id)
    version = data.pop("version")
    services.edit_item(current_actor(), item, version, **service_fields(data))
    commit()
    return item
