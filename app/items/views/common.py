"""What the item pages share: the blueprint with the helpers it gives every template, the
settings they read, and the manager check."""

from flask import Blueprint
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.core.feedback import register_labels
from app.core.markdown import render_markdown
from app.core.web import require_login
from app.items import labels, policies, workflow
from app.items.models import RESPONSE_POSITIONS, Indicator, Item

bp = Blueprint("items", __name__)
require_login(bp)
bp.add_app_template_filter(labels.kind_label, "kind_label")
bp.add_app_template_filter(labels.priority_label, "priority_label")
bp.add_app_template_filter(render_markdown, "markdown")
bp.add_app_template_global(labels.status_label, "status_label")
bp.add_app_template_global(labels.response_label, "response_label")
# Jinja globals may be any value; Flask types them as callables only.
bp.add_app_template_global(workflow.STATUSES, "STATUSES")  # type: ignore[arg-type]
bp.add_app_template_global(RESPONSE_POSITIONS, "RESPONSE_POSITIONS")  # type: ignore[arg-type]
bp.add_app_template_global(policies, "policies")  # type: ignore[arg-type]


@bp.record_once
def _message_labels(state: BlueprintSetupState) -> None:
    for param, names in labels.MESSAGE_LABELS.items():
        register_labels(state.app, param, names)


# What the item page and the item form show of an item.
DETAIL_OPTIONS = (
    selectinload(Item.source),
    selectinload(Item.lead),
    selectinload(Item.supporting),
    selectinload(Item.owner),
    selectinload(Item.themes),
    selectinload(Item.addresses),
    selectinload(Item.addressed_by),
    selectinload(Item.indicators).selectinload(Indicator.measurements),
)


def require_manager() -> None:
    """403 unless the user manages items (the forms are not even shown)."""
    policies.may_manage_items(current_user).check()


def transitions_for(item: Item) -> list:
    """The status changes the current user may make on ``item``."""
    return workflow.allowed_transitions(
        item.status,
        current_user.role,
        bool(policies.may_post_update(current_user, item)),
        bool(policies.may_change_status(current_user, item)),
    )
