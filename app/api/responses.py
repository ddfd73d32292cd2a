"""/api/v1/items/<id>/response: a recommendation's formal response, read and recorded."""

from typing import Any

from app.api.base import ApiBlueprint, current_actor, documents_errors, held, permits
from app.api.schemas.responses import ItemResponseSchema, ResponsePutSchema
from app.items import policies, queries, services
from app.items.models import Item

bp = ApiBlueprint("responses", __name__, description="Formal responses of recommendations.")


def _answer(item: Item) -> dict[str, Any]:
    revisions = queries.response_history(item)
    current = revisions[0] if revisions and revisions[0].superseded_at is None else None
    return {
        "item_id": item.id,
        "version": item.version,
        "response": current,
        "history": [r for r in revisions if r is not current],
    }


@bp.route("/items/<id:item_id>/response", methods=["GET"])
@bp.response(200, ItemResponseSchema)
@documents_errors(bp, 404)
def get_response(item_id):
    """The item's current response and its earlier revisions. An item without a response
    answers 200 with ``"response": null`` (404 means there is no such item); only
    recommendations ever have one."""
    return _answer(services.get_item(item_id))


def _may_respond(actor, item_id: int):
    """Who may record the response, asked before the body is read. A challenge or an action
    takes none at all: the service says so (422) to anyone, since the kind is no secret."""
    item = held(services.get_item(item_id))
    return item.kind != "recommendation" or policies.may_respond(actor, item)


@bp.route("/items/<id:item_id>/response", methods=["PUT"])
@permits(_may_respond)
@bp.arguments(ResponsePutSchema)
@bp.response(200, ItemResponseSchema)
@documents_errors(bp, 403, 404, 409, 415, 422)
def put_response(data, item_id):
    """Record or revise the response (the lead organisation's staff, managers, admins)
    against the item's ``version`` last seen; a new revision moves the version on, the
    same response again changes nothing. 409: stale version; 422: bad value or not a
    recommendation; 403: not permitted."""
    item = services.get_item(item_id)
    services.record_response(
        current_actor(),
        item,
        data["version"],
        position=data["position"],
        text=data.get("text", ""),
        responded_on=data.get("responded_on"),
    )
    return _answer(item)
