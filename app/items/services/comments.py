"""Comments in markdown; their edits are kept by the audit trail."""

from typing import Any

from app import audit
from app.core.actor import Actor
from app.core.errors import N_, PermissionDenied
from app.core.validation import clean_text
from app.extensions import db
from app.items import events, policies
from app.items.models import Comment, Item

COMMENT_MAX = 10_000


def add_comment(actor: Actor, item: Item, body: Any) -> Comment:
    """Comment on an item in markdown (staff, managers, admins)."""
    if not policies.may_comment(actor, item):
        raise PermissionDenied(N_("You may not comment."))
    audit.set_actor(db.session, actor)
    comment = Comment(item=item, author_id=actor.id, body=clean_text(body, "body", COMMENT_MAX))
    db.session.add(comment)
    db.session.flush()
    events.announce(item, actor, "comment", excerpt=comment.body[:300])
    return comment


def edit_comment(actor: Actor, comment: Comment, body: Any) -> Comment:
    """Change a comment's text (its author, or an admin); the old text stays in the audit."""
    if not policies.may_edit_comment(actor, comment):
        raise PermissionDenied(N_("You may only edit your own comments."))
    audit.set_actor(db.session, actor)
    comment.body = clean_text(body, "body", COMMENT_MAX)
    db.session.flush()
    return comment
