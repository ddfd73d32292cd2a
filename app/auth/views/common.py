"""The auth blueprint, with what every template may ask of users: a role's label and
whether the user manages users (the admin link)."""

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from app.auth.labels import FIELD_LABELS, role_label
from app.auth.policies import may_manage_users
from app.core.feedback import register_labels

bp = Blueprint("auth", __name__)
bp.add_app_template_filter(role_label, "role_label")
bp.add_app_template_global(may_manage_users, "may_manage_users")


@bp.record_once
def _message_labels(state: BlueprintSetupState) -> None:
    register_labels(state.app, "field", FIELD_LABELS)
