"""Who may publish: the managers and admins, who decide what Suivi says in public."""

from app.core.actor import Actor
from app.core.decision import Decision
from app.items.policies import may_manage_items


def may_publish(user: Actor | None) -> Decision:
    """Managers and admins publish and unpublish items and write their public summary."""
    return may_manage_items(user)
