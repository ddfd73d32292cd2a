"""Organisations: the tree and the form that creates one, and one organisation's page."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.admin.views.common import bp, org_choices
from app.auth.models import User
from app.core.errors import ValidationError
from app.core.feedback import form_errors
from app.core.records import get_or_404
from app.core.web import form_values
from app.extensions import db
from app.stakeholders import services as org_services
from app.stakeholders.models import Organisation
from app.stakeholders.queries import organisation_tree

ORG_INPUTS = ("name", "acronym", "kind", "parent_id", "description")


def _org_data(form: dict[str, str]) -> dict:
    """The service's fields from the form (the service checks them all)."""
    data = {key: form[key] for key in ORG_INPUTS if key != "parent_id"}
    return {**data, "parent": form["parent_id"]}


def _organisations_page(form: dict, errors=None, status: int = 200):
    rows = db.session.execute(
        select(User.organisation_id, func.count(User.id)).group_by(User.organisation_id)
    )
    counts = {organisation_id: users for organisation_id, users in rows}
    tree = organisation_tree()
    return render_template(
        "admin/organisations.html",
        tree=tree,
        org_choices=org_choices(tree),
        counts=counts,
        form=form,
        errors=errors or {},
    ), status


@bp.route("/organisations", methods=["GET", "POST"])
def organisations():
    """The organisations as a tree, and the form that creates one."""
    form = form_values(*ORG_INPUTS)
    if request.method == "GET":
        return _organisations_page(form)
    try:
        org = org_services.create_organisation(current_user, **_org_data(form))
    except ValidationError as exc:
        return _organisations_page(form, form_errors(exc), 422)
    flash(_("Organisation %(acronym)s created.", acronym=org.acronym), "success")
    return redirect(url_for("admin.organisation", org_id=org.id))


def _organisation_page(org: Organisation, form: dict, errors=None, status: int = 200):
    members = db.session.scalars(
        select(User).where(User.organisation_id == org.id).order_by(func.lower(User.name))
    ).all()
    choices = org_choices([(o, d) for o, d in organisation_tree() if o.id != org.id])
    return render_template(
        "admin/organisation.html",
        org=org,
        org_choices=choices,
        members=members,
        form=form,
        errors=errors or {},
    ), status


@bp.route("/organisations/<id:org_id>", methods=["GET", "POST"])
def organisation(org_id: int):
    """One organisation: its profile facts; change name, acronym, kind, parent, description."""
    org = get_or_404(Organisation, org_id)
    if request.method == "GET":
        form = {key: getattr(org, key) or "" for key in ORG_INPUTS if key != "parent_id"}
        return _organisation_page(org, {**form, "parent_id": str(org.parent_id or "")})
    form = form_values(*ORG_INPUTS)
    try:
        org_services.update_organisation(current_user, org, **_org_data(form))
    except ValidationError as exc:
        return _organisation_page(org, form, form_errors(exc), 422)
    flash(_("The changes to %(acronym)s are saved.", acronym=org.acronym), "success")
    return redirect(url_for("admin.organisation", org_id=org.id))
