"""Factories: build through the services what a test needs, with sensible defaults."""

import itertools

from app.auth import services as auth_services
from app.core.roles import SystemActor
from app.extensions import db
from app.items import services as item_services
from app.stakeholders import services as org_services

SYSTEM = SystemActor("tests")
PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def make_org(acronym: str | None = None, **fields):
    n = next(_seq)
    fields.setdefault("name", f"Organisation {n}")
    fields.setdefault("kind", "other")
    return org_services.create_organisation(SYSTEM, acronym=acronym or f"ORG{n}", **fields)


def make_user(role: str = "staff", organisation=None, **fields):
    n = next(_seq)
    fields.setdefault("email", f"user{n}@example.org")
    fields.setdefault("name", f"User {n}")
    fields.setdefault("password", PASSWORD)
    return auth_services.create_user(
        SYSTEM, role=role, organisation=organisation or make_org(), **fields
    )


def make_item(lead=None, **fields):
    n = next(_seq)
    fields.setdefault("kind", "recommendation")
    fields.setdefault("title", f"Item {n}")
    return item_services.create_item(SYSTEM, lead=lead or make_org(), **fields)


def set_status(item, status: str, actor=SYSTEM, **fields):
    """Walk ``item`` to ``status`` through allowed transitions, as an admin would."""
    paths = {
        "not_started": [],
        "in_progress": ["in_progress"],
        "blocked": ["blocked"],
        "implemented": ["in_progress", "implemented"],
        "verified": ["in_progress", "implemented", "verified"],
        "not_accepted": ["not_accepted"],
        "no_longer_relevant": ["no_longer_relevant"],
    }
    for step in paths[status]:
        item_services.change_status(
            actor,
            item,
            item.version,
            status=step,
            note=fields.get("note", "step"),
            progress=fields.get("progress"),
        )
    db.session.flush()
    return item
