"""/api/v1/items/<id>/updates: an item's history of work, and posting a status update."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.base import ApiBlueprint, current_actor, documents_errors, held, permits
from app.api.items import load_item
from app.api.schemas.activity import StatusUpdateCreateSchema, StatusUpdateListSchema
from app.api.schemas.items import ItemSchema
from app.extensions import db
from app.items import policies, services
from app.items.models import StatusUpdate

bp = ApiBlueprint("updates", __name__, description="Status updates of an item.")


@bp.route("/items/<id:item_id>/updates", methods=["GET"])
@bp.response(200, StatusUpdateListSchema)
@documents_errors(bp, 404)
def list_updates(item_id):
    """The item's status updates, oldest first."""
    item = services.get_item(item_id)
    updates = db.session.scalars(
        select(StatusUpdate)
        .where(StatusUpdate.item_id == item.id)
        .order_by(StatusUpdate.created_at, StatusUpdate.id)
        .options(selectinload(StatusUpdate.author))
    )
    return {"updates": list(updates)}


@bp.route("/items/<id:item_id>/updates", methods=["POST"])
@permits(lambda actor, item_id: policies.may_post_update(actor, held(load_item(item_id))))
@bp.arguments(StatusUpdateCreateSchema)
@bp.response(201, ItemSchema)
@documents_errors(bp, 403, 404, 409, 415, 422)
def post_update(data, item_id):
    """Post a status update (status, progress, note) against the ``version`` last seen;
    answers with the item's new state. 409: stale version; 422: transition not allowed or
    bad value; 403: not permitted on this item."""
    # Loaded with what the answer shows; a status update changes none of its lists, so the
    # answer is written from it as it stands, before the request's one commit.
    item = load_item(item_id)
    services.change_status(
        current_actor(),
        item,
        data["version"],
        status=data["status"],
        progress=data.get("progress"),
        note=data.get("note", ""),
    )
    return item
