"""The organisations as every logged-in user reads them: the list, and a page per
organisation with its profile facts, its parent and children, and the items it leads and
supports."""

from flask import Blueprint, render_template
from sqlalchemy.orm import selectinload

from app.core.records import get_or_404
from app.core.web import require_login
from app.items.queries import item_counts_by_organisation, organisation_items
from app.stakeholders.labels import KIND_LABELS, fact_label
from app.stakeholders.models import Organisation
from app.stakeholders.policies import may_manage_organisations
from app.stakeholders.queries import organisation_tree

bp = Blueprint("organisations", __name__)
require_login(bp)
ITEMS_SHOWN = 200  # of each list on an organisation's page


@bp.get("/organisations")
def index():
    """Every organisation under its parent, with how many items it leads and supports."""
    return render_template(
        "organisations/index.html",
        tree=organisation_tree(),
        counts=item_counts_by_organisation(),
        KIND_LABELS=KIND_LABELS,
    )


@bp.get("/organisations/<id:org_id>")
def detail(org_id: int):
    """One organisation: what the source says of it, where it belongs, what it acts on."""
    org = get_or_404(
        Organisation,
        org_id,
        selectinload(Organisation.parent),
        selectinload(Organisation.children),
        selectinload(Organisation.source),
    )
    led, supported = organisation_items(org.id, ITEMS_SHOWN)
    return render_template(
        "organisations/detail.html",
        org=org,
        led=led,
        supported=supported,
        limit=ITEMS_SHOWN,
        KIND_LABELS=KIND_LABELS,
        fact_label=fact_label,
        may_manage=may_manage_organisations,
    )
