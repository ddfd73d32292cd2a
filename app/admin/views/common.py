"""The admin blueprint: admins only, and the labels and choices its pages share."""

from flask import Blueprint, redirect, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user

from app.auth.labels import LANGUAGE_CHOICES, ROLE_LABELS
from app.auth.policies import may_manage_users
from app.core.errors import N_, PermissionDenied
from app.core.feedback import register_labels
from app.core.roles import ROLES
from app.extensions import login_manager
from app.stakeholders import labels as org_labels
from app.stakeholders.models import ORGANISATION_KINDS, Organisation
from app.stakeholders.policies import may_manage_organisations

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only():
    """Anonymous visitors go to the login page; every role but admin gets 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    endpoint = request.endpoint or ""
    allowed = may_manage_organisations if ".organisation" in endpoint else may_manage_users
    if not allowed(current_user):
        raise PermissionDenied(N_("Only an admin manages users and organisations."))
    return None


@bp.record_once
def _message_labels(state: BlueprintSetupState) -> None:
    register_labels(state.app, "field", org_labels.FIELD_LABELS)


@bp.context_processor
def _labels():
    return {
        "ROLE_LABELS": ROLE_LABELS,
        "KIND_LABELS": org_labels.KIND_LABELS,
        "fact_label": org_labels.fact_label,
        "ROLES": ROLES,
        "KINDS": ORGANISATION_KINDS,
        "LANGUAGE_CHOICES": LANGUAGE_CHOICES,
    }


def org_choices(tree: list[tuple[Organisation, int]]) -> list[tuple[str, str]]:
    """Options for an organisation select, indented by depth."""
    return [
        (str(org.id), "\u2014 " * depth + f"{org.acronym} \u00b7 {org.name}") for org, depth in tree
    ]


@bp.get("/")
def index():
    """/admin leads to the users."""
    return redirect(url_for("admin.users"))
