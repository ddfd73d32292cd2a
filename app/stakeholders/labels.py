"""How organisations read to people: the labels of their kinds and of their fields."""

from flask_babel import lazy_gettext as _l

from app.stakeholders.models import ORGANISATION_KINDS

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
assert set(KIND_LABELS) == set(ORGANISATION_KINDS)

FIELD_LABELS = {
    "name": _l("Name"),
    "acronym": _l("Acronym"),
    "kind": _l("Kind"),
    "parent_id": _l("Parent organisation"),
    "description": _l("Description"),
}
