"""GET /api/v1/themes: the mandate areas and topics items are filed under."""

from sqlalchemy import select

from app.api.base import ApiBlueprint, documents_errors
from app.api.schemas.common import ThemeListSchema
from app.extensions import db
from app.items.models import Theme

bp = ApiBlueprint("themes", __name__, description="Themes (mandate areas and sub-tasks).")


@bp.route("/themes", methods=["GET"])
@bp.response(200, ThemeListSchema)
@documents_errors(bp)
def list_themes():
    """Every theme, by code."""
    return {"themes": list(db.session.scalars(select(Theme).order_by(Theme.code, Theme.id)))}
