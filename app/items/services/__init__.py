"""Item services, one module per noun: each takes the acting user, checks the policy, changes
the models, lets the audit hook record the change, and flushes — the caller commits.

Every write that changes an item takes the ``version`` the caller saw; a stale version raises
``ConflictError`` and changes nothing.
"""

from app.items.services._common import check_version, get_item
from app.items.services.comments import COMMENT_MAX, add_comment, edit_comment
from app.items.services.evidence import attach_evidence, withdraw_evidence
from app.items.services.indicators import (
    INDICATOR_FIELDS,
    create_indicator,
    edit_indicator,
    record_measurement,
)
from app.items.services.items import (
    ITEM_FIELDS,
    TEXT_MAX,
    TITLE_MAX,
    create_item,
    edit_item,
)
from app.items.services.sources import create_source, create_theme, edit_source, edit_theme
from app.items.services.updates import NOTE_MAX, change_status, has_evidence

__all__ = [
    "COMMENT_MAX",
    "INDICATOR_FIELDS",
    "ITEM_FIELDS",
    "NOTE_MAX",
    "TEXT_MAX",
    "TITLE_MAX",
    "add_comment",
    "attach_evidence",
    "change_status",
    "check_version",
    "create_indicator",
    "create_item",
    "create_source",
    "create_theme",
    "edit_comment",
    "edit_indicator",
    "edit_item",
    "edit_source",
    "edit_theme",
    "get_item",
    "has_evidence",
    "record_measurement",
    "withdraw_evidence",
]
