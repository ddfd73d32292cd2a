"""GET /api/v1/items/<id>/history: the audit events of an item, oldest first."""

from app.api.base import ApiBlueprint, documents_errors
from app.api.schemas.activity import AuditEventListSchema
from app.audit.queries import events_in_scope
from app.items import services

bp = ApiBlueprint("history", __name__, description="The audit trail of an item.")


@bp.route("/items/<id:item_id>/history", methods=["GET"])
@bp.response(200, AuditEventListSchema)
@documents_errors(bp, 404)
def item_history(item_id):
    """Every audited change to the item and what hangs off it, in the order written."""
    item = services.get_item(item_id)
    return {"events": events_in_scope("items", item.id)}
