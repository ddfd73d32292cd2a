"""Status updates: the workflow applied to an item, with progress and a note."""

from typing import Any

from flask import current_app
from sqlalchemy import func, select

from app import audit
from app.core.actor import Actor
from app.core.errors import N_, ValidationError
from app.core.time import utcnow
from app.core.validation import clean_text, parse_int
from app.extensions import db
from app.items import events, policies, workflow
from app.items.models import Evidence, Item, StatusUpdate
from app.items.services._common import check_version, flush

NOTE_MAX = 10_000


def _check_evidence(item: Item) -> None:
    """With ``REQUIRE_EVIDENCE_FOR_IMPLEMENTED``, an item is marked implemented only once
    evidence (not withdrawn) supports it."""
    if not current_app.config.get("REQUIRE_EVIDENCE_FOR_IMPLEMENTED"):
        return
    if not has_evidence(item):
        raise ValidationError(
            N_("Attach evidence (a file or a link) before marking this item implemented."),
            fields={"status": N_("Attach evidence first.")},
        )


def has_evidence(item: Item) -> bool:
    """The item has evidence that was not withdrawn."""
    return bool(
        db.session.scalar(
            select(func.count(Evidence.id)).where(
                Evidence.item_id == item.id, Evidence.withdrawn_at.is_(None)
            )
        )
    )


def change_status(
    actor: Actor,
    item: Item,
    version: Any,
    *,
    status: Any,
    progress: Any = None,
    note: Any = "",
) -> StatusUpdate:
    """Post a status update: check the workflow for this user, apply progress, keep the note."""
    policies.may_post_update(actor, item).check()
    check_version(item, version)
    note = clean_text(note, "note", NOTE_MAX, required=False)
    if not isinstance(status, str) or not status:
        raise ValidationError(N_("A status is required."), fields={"status": N_("Required.")})
    if status != item.status:
        policies.may_change_status(actor, item).check()
    workflow.check_transition(item.status, status, actor.role, True, note)
    if status == workflow.IMPLEMENTED:
        _check_evidence(item)
    requested = parse_int(progress, "progress")
    new_progress = workflow.progress_after(status, requested, item.progress)
    if status == item.status and new_progress == item.progress and not note:
        raise ValidationError(
            N_("Nothing to record: change the progress or write a note."),
            fields={"note": N_("Write a note or change the progress.")},
        )
    audit.set_actor(db.session, actor)
    now = utcnow()
    update = StatusUpdate(
        item=item,
        author_id=actor.id,
        from_status=item.status,
        to_status=status,
        from_progress=item.progress,
        progress=new_progress,
        note=note,
        created_at=now,
    )
    item.status = status
    item.progress = new_progress
    item.last_update_at = now
    item.updated_at = now
    db.session.add(update)
    flush()
    events.announce(
        item,
        actor,
        "verification" if status == workflow.VERIFIED else "status",
        from_status=update.from_status,
        to_status=status,
        progress=new_progress,
        note=note[:300],
    )
    return update
