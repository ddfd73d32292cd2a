"""Publishing an item on the public view, and taking it off: the actor is checked, the
change audited by the flush hook (scoped to the item's history), the caller commits."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.core.actor import Actor
from app.core.errors import N_, ConflictError, PermissionDenied
from app.core.time import utcnow
from app.core.transaction import RACE
from app.core.validation import clean_text, parse_int
from app.extensions import db
from app.items.models import Item
from app.public import policies
from app.public.models import Publication

SUMMARY_MAX = 5_000


def publication_of(item: Item) -> Publication | None:
    """The item's publication row, if a manager ever wrote one."""
    return db.session.scalar(select(Publication).where(Publication.item_id == item.id))


def _check(actor: Actor, publication: Publication | None, version: Any) -> None:
    if not policies.may_publish(actor):
        raise PermissionDenied(N_("Only a manager or an admin may publish items."))
    seen = parse_int(version, "version", minimum=0, maximum=2**31 - 1) or 0
    current = publication.version if publication is not None else 0
    if seen != current:
        raise ConflictError(
            N_(
                "Someone else changed this item's publication meanwhile "
                "(version %(current)s; you saw %(seen)s). Nothing was saved."
            ),
            current_version=current,
            current=current,
            seen=seen,
        )


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError:
        raise ConflictError(RACE) from None


def publish_item(actor: Actor, item: Item, summary: Any, version: Any) -> Publication:
    """Show ``item`` on the public view with ``summary`` (markdown, required), or change the
    summary of a published item; ``version`` is the publication's version the manager saw
    (0 for none)."""
    publication = publication_of(item)
    _check(actor, publication, version)
    text = clean_text(summary, "summary", SUMMARY_MAX)
    audit.set_actor(db.session, actor)
    if publication is None:
        publication = Publication(item_id=item.id)
        db.session.add(publication)
    if publication.summary != text:
        publication.summary = text
    if not publication.is_published:
        publication.is_published = True
        publication.published_at = utcnow()
        publication.published_by_id = actor.id
    _flush()
    return publication


def unpublish_item(actor: Actor, item: Item, version: Any) -> Publication | None:
    """Take ``item`` off the public view (its summary is kept for a later publication)."""
    publication = publication_of(item)
    _check(actor, publication, version)
    if publication is None or not publication.is_published:
        return publication
    audit.set_actor(db.session, actor)
    publication.is_published = False
    _flush()
    return publication
