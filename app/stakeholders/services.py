"""Create and edit organisations; every change checked, audited and flushed, never committed."""

from typing import Any

from sqlalchemy import func, select

from app import audit
from app.core.errors import N_, NotFound, PermissionDenied, ValidationError
from app.core.validation import clean_text, parse_choice
from app.extensions import db
from app.stakeholders.models import ORGANISATION_KINDS, Organisation
from app.stakeholders.policies import may_manage_organisations


def get_organisation(org_id: int) -> Organisation:
    """The organisation with this id, or ``NotFound``."""
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise NotFound(N_("No organisation with id %(id)s."), id=org_id)
    return org


def find_organisation(acronym: str) -> Organisation | None:
    """The organisation with this acronym (case-insensitive), if any."""
    return db.session.scalar(
        select(Organisation).where(func.lower(Organisation.acronym) == acronym.strip().lower())
    )


def _check_parent(org: Organisation | None, parent: Organisation | None) -> None:
    node = parent
    while node is not None:
        if org is not None and node.id == org.id:
            raise ValidationError(
                N_("An organisation cannot sit under itself."),
                fields={"parent_id": N_("This would make a loop.")},
            )
        node = node.parent


def _apply(org: Organisation, data: dict[str, Any]) -> None:
    if "name" in data:
        org.name = clean_text(data["name"], "name", 200)
    if "acronym" in data:
        acronym = clean_text(data["acronym"], "acronym", 40)
        other = find_organisation(acronym)
        if other is not None and other is not org:
            raise ValidationError(
                N_("The acronym %(acronym)s is already taken."),
                fields={"acronym": N_("Already taken.")},
                acronym=acronym,
            )
        org.acronym = acronym
    if "kind" in data:
        org.kind = parse_choice(data["kind"], "kind", ORGANISATION_KINDS)
    if "description" in data:
        org.description = clean_text(data["description"], "description", 5000, required=False)
    if "facts" in data:
        facts = data["facts"] or {}
        if not isinstance(facts, dict):
            raise ValidationError(N_("Facts must be a mapping."), fields={"facts": N_("Invalid.")})
        org.facts = dict(facts)
    if "parent" in data:
        _check_parent(org, data["parent"])
        org.parent = data["parent"]
    if "source" in data:
        org.source = data["source"]


def create_organisation(actor, **data: Any) -> Organisation:
    """Create an organisation (admin). Fields: name, acronym, kind, parent, description,
    facts, source."""
    if not may_manage_organisations(actor):
        raise PermissionDenied(N_("Only an admin may manage organisations."))
    audit.set_actor(db.session, actor)
    org = Organisation(description="", facts={})
    data.setdefault("kind", "other")
    for required in ("name", "acronym"):
        data.setdefault(required, None)
    _apply(org, data)
    db.session.add(org)
    db.session.flush()
    return org


def update_organisation(actor, org: Organisation, **data: Any) -> Organisation:
    """Change the given fields of an organisation (admin)."""
    if not may_manage_organisations(actor):
        raise PermissionDenied(N_("Only an admin may manage organisations."))
    audit.set_actor(db.session, actor)
    _apply(org, data)
    db.session.flush()
    return org
