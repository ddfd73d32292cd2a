"""Item pages, one module per noun: the list and my work, an item with its history, status
updates, comments, evidence, indicators, and creating and editing items.

Each handler parses the form, calls a service with ``current_user`` and answers; the request
commits once after it (``app.core.transaction``). A refused change re-renders the form with
the messages next to the fields and what was typed (422); a stale version answers 409 with
what changed since and the form pre-filled on the current version.
"""

from app.items.views import (
    bulk,
    comments,
    detail,
    edit,
    evidence,
    indicators,
    lists,
    responses,
    updates,
)
from app.items.views.common import bp

__all__ = [
    "bp",
    "bulk",
    "comments",
    "detail",
    "edit",
    "evidence",
    "indicators",
    "lists",
    "responses",
    "updates",
]
