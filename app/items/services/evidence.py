"""Evidence: a link or a stored file supporting an item's reported work."""

from typing import Any

from app import audit
from app.core.actor import Actor
from app.core.errors import N_, ValidationError
from app.core.time import utcnow
from app.core.validation import clean_text
from app.extensions import db
from app.items import events, policies
from app.items.models import Evidence, Item, StatusUpdate


def attach_evidence(
    actor: Actor,
    item: Item,
    *,
    title: Any = "",
    url: Any = None,
    stored_file: dict | None = None,
    status_update: StatusUpdate | None = None,
) -> Evidence:
    """Attach a link (``url``) or a stored file (``stored_file``: stored_name, filename,
    content_type, size_bytes, sha256) to an item."""
    policies.may_attach_evidence(actor, item).check()
    if (url is None) == (stored_file is None):
        raise ValidationError(N_("Give either a link or a file."))
    audit.set_actor(db.session, actor)
    evidence = Evidence(
        item=item, uploaded_by_id=actor.id, title=clean_text(title, "title", 300, required=False)
    )
    if status_update is not None:
        evidence.status_update_id = status_update.id
    if stored_file is not None:
        evidence.kind = "file"
        for key in ("stored_name", "filename", "content_type", "size_bytes", "sha256"):
            setattr(evidence, key, stored_file[key])
    else:
        url = clean_text(url, "url", 2000)
        if not url.lower().startswith(("https://", "http://")):
            raise ValidationError(
                N_("A link must start with http:// or https://."),
                fields={"url": N_("Not a web address.")},
            )
        evidence.kind, evidence.url = "link", url
    db.session.add(evidence)
    db.session.flush()
    events.announce(
        item, actor, "evidence", title=evidence.title or evidence.filename or evidence.url
    )
    return evidence


REASON_MAX = 2000


def withdraw_evidence(actor: Actor, evidence: Evidence, *, reason: Any) -> Evidence:
    """Withdraw evidence attached by mistake: it stays in the item's history with who
    withdrew it, when and why; its file is no longer served."""
    policies.may_withdraw_evidence(actor, evidence).check()
    if evidence.withdrawn_at is not None:  # withdrawn once: the first reason stands
        return evidence
    reason = clean_text(reason, "reason", REASON_MAX)
    audit.set_actor(db.session, actor)
    evidence.withdrawn_at = utcnow()
    evidence.withdrawn_by_id = actor.id
    evidence.withdrawn_reason = reason
    db.session.flush()
    return evidence
