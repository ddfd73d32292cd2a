"""GET /api/v1/me: who the token belongs to."""

from app.api.base import ApiBlueprint, current_actor, documents_errors
from app.api.schemas.common import MeSchema

bp = ApiBlueprint("me", __name__, description="The token's user.")


@bp.route("/me", methods=["GET"])
@bp.response(200, MeSchema)
@documents_errors(bp)
def me():
    """The user the token belongs to, with their role and organisation."""
    return current_actor()
