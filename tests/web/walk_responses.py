"""The permissions walk's part for formal responses (the lead organisation's staff, managers
and admins record a recommendation's response; every logged-in role reads it) and for bulk
edits (managers and admins)."""

from app.extensions import db

RESPOND = "respond"  # the class of the routes that record a response
RESPONDERS = {"staff_lead", "manager", "admin"}
_GET = frozenset({"GET"})
_WRITE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

RULES = [
    (r"items\.post_response", _WRITE, RESPOND),
    (r"api-responses\.get_response", _GET, "read"),
    (r"api-responses\.put_response", _WRITE, RESPOND),
    (r"items\.bulk_edit", _WRITE, "manage"),
]
WRITTEN = {"api-responses.put_response": 200}


def _version(world) -> int:
    db.session.expire_all()
    return db.session.get(type(world["item"]), world["item"].id).version


PAYLOADS = {
    "items.post_response": lambda w: {
        "position": "noted",
        "responded_on": "2026-01-15",
        "text": "Walk.",
        "version": str(_version(w)),
    },
    "items.bulk_edit": lambda w: {
        "step": "apply",
        "item": str(w["item"].id),
        f"v{w['item'].id}": str(_version(w)),
        "priority": "low",
    },
    "api-responses.put_response": lambda w: {
        "position": "accepted",
        "text": "Walk.",
        "version": _version(w),
    },
}
