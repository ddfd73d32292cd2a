"""What happened to an item, announced to whoever listens (notifications), so that the item
services know nothing of who is told or how.

``item_changed`` is sent by a service after it has flushed a change, in the change's
transaction: a listener's writes commit or roll back with it. The sender is the item; the
arguments are ``actor``, ``kind`` (one of ``KINDS``) and ``details`` (JSON-ready)."""

from typing import Any

from blinker import Namespace

KINDS = ("status", "verification", "comment", "evidence", "assignment", "response")

signals = Namespace()
item_changed = signals.signal("suivi.item-changed")


def announce(item: Any, actor: Any, kind: str, **details: Any) -> None:
    """Tell listeners that ``actor`` changed ``item`` (a ``kind`` of change)."""
    item_changed.send(item, actor=actor, kind=kind, details=details)
