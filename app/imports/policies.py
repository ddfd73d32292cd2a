"""Who may import: managers and admins, as for creating and editing items by hand."""

from app.core.actor import Actor
from app.core.decision import Decision
from app.items import policies as item_policies


def may_import(user: Actor | None) -> Decision:
    """Managers and admins import spreadsheets (the same people who create items)."""
    return item_policies.may_manage_items(user)
