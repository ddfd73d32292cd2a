"""GET /api/v1/organisations: the stakeholders items are assigned to."""

from sqlalchemy import select

from app.api.base import ApiBlueprint, documents_errors
from app.api.schemas.common import OrganisationListSchema
from app.extensions import db
from app.stakeholders.models import Organisation

bp = ApiBlueprint("organisations", __name__, description="Stakeholder organisations.")


@bp.route("/organisations", methods=["GET"])
@bp.response(200, OrganisationListSchema)
@documents_errors(bp)
def list_organisations():
    """Every organisation, by acronym."""
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.acronym))
    return {"organisations": list(orgs)}
