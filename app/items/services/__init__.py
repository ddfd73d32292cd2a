"""Item services, one module per noun: each takes the acting user, checks the policy, changes
the models, lets the audit hook record the change, and flushes — the caller commits.

Every write that changes an item takes the ``version`` the caller saw; a stale version raises
``ConflictError`` and changes nothing.
"""

from app.items.services._common import check_version, get_item
from app.items.services.bulk import (
    BULK_FIELDS,
    MAX_BULK,
    bulk_edit,
    changing_fields,
    check_count,
    check_selection,
    stale_items,
)
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
from app.items.services.responses import RESPONSE_TEXT_MAX, record_response
from app.items.services.sources import (
    create_source,
    create_theme,
    edit_source,
    edit_theme,
    set_source_themes,
    source_themes,
)
from app.items.services.updates import NOTE_MAX, change_status, has_evidence

__all__ = [
    "BULK_FIELDS",
    "COMMENT_MAX",
    "INDICATOR_FIELDS",
    "ITEM_FIELDS",
    "MAX_BULK",
    "NOTE_MAX",
    "RESPONSE_TEXT_MAX",
    "TEXT_MAX",
    "TITLE_MAX",
    "add_comment",
    "attach_evidence",
    "bulk_edit",
    "change_status",
    "changing_fields",
    "check_count",
    "check_selection",
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
    "record_response",
    "set_source_themes",
    "source_themes",
    "stale_items",
    "withdraw_evidence",
]
