"""/api/v1/items: list with filters and pages, read, create and edit items."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.api.base import ApiBlueprint, current_actor, documents_errors, permits
from app.api.schemas.items import (
    ItemCreateSchema,
    ItemListArgsSchema,
    ItemPageSchema,
    ItemPatchSchema,
    ItemSchema,
)
from app.auth.models import User
from app.core.errors import N_, ValidationError
from app.extensions import db
from app.items import policies, services
from app.items.arguments import ListArgs
from app.items.models import Item, Theme
from app.items.queries import list_items, stale_days
from app.stakeholders.models import Organisation

bp = ApiBlueprint("items", __name__, description="Challenges, recommendations and actions.")

# Request field -> (service field, model, many)
REFERENCES = {
    "lead_id": ("lead", Organisation, False),
    "supporting_ids": ("supporting", Organisation, True),
    "theme_ids": ("themes", Theme, True),
    "link_ids": ("links", Item, True),
    "owner_id": ("owner", User, False),
}


# What ``ItemSchema`` shows, loaded in five statements rather than attribute by attribute.
ITEM_OPTIONS = (
    joinedload(Item.lead),
    joinedload(Item.owner),
    selectinload(Item.supporting),
    selectinload(Item.themes),
    selectinload(Item.addresses),
    selectinload(Item.addressed_by),
    joinedload(Item.current_response),
)


# The request fields that change a list the answer shows: only they need the item read again
# after the write (for the lists' order); other fields are answered from the item as written.
LISTS = frozenset({"supporting_ids", "theme_ids", "link_ids"})


def load_item(item_id: int, *, fresh: bool = False) -> Item:
    """The item with what ``ItemSchema`` shows (``NotFound`` otherwise); ``fresh`` reads it
    again after a write, so that its lists come back in the order ``GET`` gives them."""
    return services.get_item(item_id, *ITEM_OPTIONS, populate_existing=fresh)


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
def list_items_view(args: ListArgs):
    """Items matching the filters, one page at a time (``per_page`` at most 200).

    In id order, or by ``sort`` in ``order``."""
    page = list_items(
        args.filters,
        page=args.page,
        per_page=args.per_page,
        sort=args.sort,
        descending=args.descending,
        stale_days=stale_days(),
    )
    return {"items": page.items, "page": page.page, "per_page": page.per_page, "total": page.total}


@bp.route("/items", methods=["POST"])
@permits(lambda actor: policies.may_manage_items(actor))
@bp.arguments(ItemCreateSchema)
@bp.response(201, ItemSchema)
@documents_errors(bp, 403, 415, 422)
def create_item(data):
    """Create an item (managers and admins)."""
    item = services.create_item(current_actor(), **service_fields(data))
    return load_item(item.id, fresh=True)


@bp.route("/items/<id:item_id>", methods=["GET"])
@bp.response(200, ItemSchema)
@documents_errors(bp, 404)
def get_item(item_id):
    """One item in full."""
    return load_item(item_id)


@bp.route("/items/<id:item_id>", methods=["PATCH"])
@permits(lambda actor, item_id: policies.may_manage_items(actor))
@bp.arguments(ItemPatchSchema)
@bp.response(200, ItemSchema)
@documents_errors(bp, 403, 404, 409, 415, 422)
def edit_item(data, item_id):
    """Change any of the item's fields (managers and admins); ``version`` is the one the
    client last saw, and a stale one is refused with 409 and the current version."""
    item = load_item(item_id)
    version = data.pop("version")
    changed = services.edit_item(current_actor(), item, version, **service_fields(data))
    if changed and LISTS.intersection(data):
        item = load_item(item_id, fresh=True)
    return item
