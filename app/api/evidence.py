"""GET /api/v1/items/<id>/evidence: the evidence attached to an item (metadata only)."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.base import ApiBlueprint, documents_errors
from app.api.schemas.activity import EvidenceListSchema
from app.extensions import db
from app.items import services
from app.items.models import Evidence

bp = ApiBlueprint("evidence", __name__, description="Evidence attached to an item.")


@bp.route("/items/<id:item_id>/evidence", methods=["GET"])
@bp.response(200, EvidenceListSchema)
@documents_errors(bp, 404)
def list_evidence(item_id):
    """Links and files supporting the item's reported work: metadata, not the files."""
    item = services.get_item(item_id)
    evidence = db.session.scalars(
        select(Evidence)
        .where(Evidence.item_id == item.id)
        .order_by(Evidence.id)
        .options(selectinload(Evidence.uploaded_by))
    )
    return {"evidence": list(evidence)}
