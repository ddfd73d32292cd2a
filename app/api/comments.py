"""/api/v1/items/<id>/comments: read and write comments (markdown)."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.base import ApiBlueprint, current_actor, documents_errors, held, permits
from app.api.schemas.activity import CommentCreateSchema, CommentListSchema, CommentSchema
from app.extensions import db
from app.items import policies, services
from app.items.models import Comment

bp = ApiBlueprint("comments", __name__, description="Comments on an item.")


@bp.route("/items/<id:item_id>/comments", methods=["GET"])
@bp.response(200, CommentListSchema)
@documents_errors(bp, 404)
def list_comments(item_id):
    """The item's comments, oldest first, as written (markdown)."""
    item = services.get_item(item_id)
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.item_id == item.id)
        .order_by(Comment.created_at, Comment.id)
        .options(selectinload(Comment.author))
    )
    return {"comments": list(comments)}


@bp.route("/items/<id:item_id>/comments", methods=["POST"])
@permits(lambda actor, item_id: policies.may_comment(actor, held(services.get_item(item_id))))
@bp.arguments(CommentCreateSchema)
@bp.response(201, CommentSchema)
@documents_errors(bp, 403, 404, 415, 422)
def post_comment(data, item_id):
    """Comment on the item in markdown (staff, managers, admins)."""
    item = services.get_item(item_id)
    return services.add_comment(current_actor(), item, data["body"])
