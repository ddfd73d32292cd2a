"""Create and edit organisations; every change checked, audited and flushed, never committed."""

from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import func, select

from app import audit
from app.core.actor import Actor
from app.core.errors import N_, PermissionDenied, ValidationError
from app.core.records import find
from app.core.validation import clean_text, collect, parse_choice, parse_int
from app.extensions import db
from app.stakeholders.models import ORGANISATION_KINDS, Organisation
from app.stakeholders.policies import may_manage_organisations


def find_organisation(acronym: str) -> Organisation | None:
    """The organisation with this acronym (case-insensitive), if any."""
    return db.session.scalar(
        select(Organisation).where(func.lower(Organisation.acronym) == acronym.strip().lower())
    )


def organisation_from(value: object, field: str, required: bool = True) -> Organisation | None:
    """An organisation given as itself or by its id (as a form sends it); None when empty
    and not required; else a ``ValidationError`` on ``field``."""
    if isinstance(value, Organisation):
        return value
    try:
        org_id = parse_int(value, field)
    except ValidationError:
        org_id = 0  # not a number: no organisation has it
    if org_id is None:
        if required:
            raise ValidationError(
                N_("An organisation is required."), fields={field: N_("Required.")}
            )
        return None
    org = find(Organisation, org_id)
    if org is None:
        raise ValidationError(
            N_("There is no such organisation."),
            fields={field: N_("Choose an organisation from the list.")},
        )
    return org


def _acronym(org: Organisation, value: Any) -> str:
    acronym = clean_text(value, "acronym", 40)
    other = find_organisation(acronym)
    if other is not None and other is not org:
        raise ValidationError(
            N_("The acronym %(acronym)s is already taken."),
            fields={"acronym": N_("Already taken.")},
            acronym=acronym,
        )
    return acronym


def _facts(value: Any) -> dict:
    if not isinstance(value or {}, dict):
        raise ValidationError(N_("Facts must be a mapping."), fields={"facts": N_("Invalid.")})
    return dict(value or {})


def _parent(org: Organisation, value: Any) -> Organisation | None:
    parent = organisation_from(value, "parent_id", required=False)
    node = parent
    while node is not None:
        if node is org:
            raise ValidationError(
                N_("An organisation cannot sit under itself."),
                fields={"parent_id": N_("This would make a loop.")},
            )
        node = node.parent
    return parent


def _apply(org: Organisation, data: dict[str, Any]) -> None:
    """Check every given field at once, then set them."""
    parsers: dict[str, Callable[[Any], Any]] = {
        "name": lambda v: clean_text(v, "name", 200),
        "acronym": partial(_acronym, org),
        "kind": lambda v: parse_choice(v, "kind", ORGANISATION_KINDS),
        "description": lambda v: clean_text(v, "description", 5000, required=False),
        "facts": _facts,
        "parent": partial(_parent, org),
        "source": lambda v: v,
    }
    unknown = set(data) - set(parsers)
    if unknown:
        raise TypeError(f"not organisation fields: {sorted(unknown)}")
    values = collect(**{key: partial(parsers[key], value) for key, value in data.items()})
    for key, value in values.items():
        setattr(org, key, value)


def create_organisation(actor: Actor, **data: Any) -> Organisation:
    """Create an organisation (admin). Fields: name, acronym, kind, parent (an organisation
    or its id), description, facts, source; all their mistakes are reported at once."""
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


def update_organisation(actor: Actor, org: Organisation, **data: Any) -> Organisation:
    """Change the given fields of an organisation (admin)."""
    if not may_manage_organisations(actor):
        raise PermissionDenied(N_("Only an admin may manage organisations."))
    audit.set_actor(db.session, actor)
    _apply(org, data)
    db.session.flush()
    return org
