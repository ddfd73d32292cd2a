"""Evidence: a link or a stored file supporting an item's reported work."""

from typing import Any

from app import audit
from app.core.actor import Actor
from app.core.errors import N_, PermissionDenied, ValidationError
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
    if not policies.may_attach_evidence(actor, item):
        raise PermissionDenied(N_("You may not attach evidence to this item."))
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
