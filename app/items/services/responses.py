"""Formal responses of recommendations: each revision kept, one current per item."""

from typing import Any

from app import audit
from app.core.actor import Actor
from app.core.errors import N_, PermissionDenied, ValidationError
from app.core.time import today, utcnow
from app.core.validation import clean_text, collect, parse_choice, parse_date
from app.extensions import db
from app.items import events, policies
from app.items.models import RESPONSE_POSITIONS, Item, Response
from app.items.queries import current_response
from app.items.services._common import check_version, flush

RESPONSE_TEXT_MAX = 10_000


def _response_date(value: Any) -> Any:
    day = parse_date(value, "responded_on") or today()
    if day > today():
        raise ValidationError(
            N_("%(field)s cannot be in the future."),
            fields={"responded_on": N_("In the future.")},
            field="responded_on",
        )
    return day


def record_response(
    actor: Actor,
    item: Item,
    version: Any,
    *,
    position: Any,
    text: Any = "",
    responded_on: Any = None,
) -> Response | None:
    """Record (or revise) the formal response of a recommendation: its lead organisation's
    staff, managers and admins. ``version`` is the item's version the caller saw; a new
    revision supersedes the current one and moves the item's version on. Returns the new
    revision, or None when it would repeat the current one (nothing is written)."""
    if item.kind != "recommendation":
        raise ValidationError(
            N_("Only recommendations take a formal response."),
            fields={"position": N_("Not a recommendation.")},
        )
    if not policies.may_respond(actor, item):
        raise PermissionDenied(
            N_("Only the lead organisation, a manager or an admin may record the response.")
        )
    check_version(item, version)
    values = collect(
        position=lambda: parse_choice(position, "position", RESPONSE_POSITIONS),
        text=lambda: clean_text(text, "text", RESPONSE_TEXT_MAX, required=False),
        responded_on=lambda: _response_date(responded_on),
    )
    current = current_response(item)
    if current is not None and all(getattr(current, k) == v for k, v in values.items()):
        return None
    audit.set_actor(db.session, actor)
    now = utcnow()
    if current is not None:
        current.superseded_at = now
        flush()  # the old revision stops being current before the new one is
    response = Response(
        item=item, author_id=actor.id, organisation_id=item.lead_id, created_at=now, **values
    )
    db.session.add(response)
    item.updated_at = now  # a response is a change of the item: its version moves on
    flush()
    events.announce(item, actor, "response", position=response.position)
    return response
