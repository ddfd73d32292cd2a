"""Labels and small parsers for the admin forms; the services do the validating."""

from flask_babel import lazy_gettext as _l

from app.core.errors import N_, ValidationError
from app.core.roles import ROLES
from app.core.validation import parse_int
from app.extensions import db
from app.stakeholders.models import ORGANISATION_KINDS, Organisation

MAX_ID = 2**31  # ids are 32-bit integers in the database; larger ones exist nowhere

ROLE_LABELS = {
    "viewer": _l("Viewer"),
    "staff": _l("Staff"),
    "manager": _l("Manager"),
    "admin": _l("Administrator"),
}
KIND_LABELS = {
    "un_mission": _l("UN mission"),
    "eu_mission": _l("EU mission"),
    "ministry": _l("Ministry"),
    "security_force": _l("Security force"),
    "research_civil_society": _l("Research or civil society"),
    "contributing_countries": _l("Contributing countries"),
    "un_agency": _l("UN agency"),
    "other": _l("Other"),
}
assert set(ROLE_LABELS) == set(ROLES) and set(KIND_LABELS) == set(ORGANISATION_KINDS)

ORG_FIELD_LABELS = {
    "name": _l("Name"),
    "acronym": _l("Acronym"),
    "kind": _l("Kind"),
    "parent_id": _l("Parent organisation"),
    "description": _l("Description"),
}


def parse_organisation(value: object, field: str, required: bool = True) -> Organisation | None:
    """The organisation whose id the form sent, or None when empty and not required."""
    org_id = parse_int(value, field, required=required)
    if org_id is None:
        return None
    org = db.session.get(Organisation, org_id) if 0 < org_id < MAX_ID else None
    if org is None:
        raise ValidationError(
            N_("There is no such organisation."),
            fields={field: N_("Choose an organisation from the list.")},
        )
    return org
