"""Users: the list and the form that creates one, and one user's page (details, access,
password reset, API tokens)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.admin.views.common import bp, org_choices
from app.auth import services as auth_services
from app.auth.models import ApiToken, User
from app.auth.policies import may_manage_users
from app.core.errors import ValidationError
from app.core.feedback import form_errors
from app.core.records import get_or_404
from app.core.web import form_values
from app.extensions import db
from app.stakeholders.queries import organisation_tree

USER_INPUTS = ("email", "name", "role", "organisation_id", "language")
DETAIL_INPUTS = ("name", "role", "organisation_id", "language")


def _users_page(form: dict, errors=None, status: int = 200):
    people = db.session.scalars(select(User).order_by(func.lower(User.name), User.id)).all()
    return render_template(
        "admin/users.html",
        users=people,
        org_choices=org_choices(organisation_tree()),
        form=form,
        errors=errors or {},
    ), status


@bp.route("/users", methods=["GET", "POST"])
def users():
    """The list of users and the form that creates one."""
    form = form_values(*USER_INPUTS)
    if request.method == "GET":
        return _users_page(form)
    try:
        user = auth_services.create_user(
            current_user,
            email=form["email"],
            name=form["name"],
            role=form["role"],
            organisation=form["organisation_id"],
            password=request.form.get("password", ""),
            password_confirm=request.form.get("password_confirm", ""),
            language=form["language"] or None,
        )
    except ValidationError as exc:
        return _users_page(form, form_errors(exc), 422)
    flash(_("User %(email)s created.", email=user.email), "success")
    return redirect(url_for("admin.user", user_id=user.id))


def _user_page(user: User, errors=None, form=None, status: int = 200):
    form = form or {
        "name": user.name,
        "role": user.role,
        "organisation_id": str(user.organisation_id),
        "language": user.language or "",
    }
    tokens = db.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()
    return render_template(
        "admin/user.html",
        user=user,
        tokens=tokens,
        org_choices=org_choices(organisation_tree()),
        form=form,
        errors=errors or {},
        is_locked=user.is_locked(),
    ), status


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
def user(user_id: int):
    """One user: change name, role, organisation and language."""
    person = get_or_404(User, user_id)
    if request.method == "GET":
        return _user_page(person)
    form = form_values(*DETAIL_INPUTS)
    try:
        auth_services.update_user(
            current_user,
            person,
            name=form["name"],
            role=form["role"],
            organisation=form["organisation_id"],
            language=form["language"] or None,
        )
    except ValidationError as exc:
        return _user_page(person, form_errors(exc), form, 422)
    flash(_("The changes to %(name)s are saved.", name=person.name), "success")
    if not may_manage_users(current_user):  # an admin who just gave up the role
        return redirect(url_for("core.home"))
    return redirect(url_for("admin.user", user_id=person.id))


@bp.post("/users/<id:user_id>/active")
def user_active(user_id: int):
    """Deactivate (no more logins or tokens) or reactivate a user."""
    person = get_or_404(User, user_id)
    wanted = request.form.get("is_active")
    if wanted not in ("0", "1"):
        return _user_page(person, {"": _("Choose whether the account is active.")}, status=422)
    try:
        auth_services.update_user(current_user, person, is_active=wanted == "1")
    except ValidationError as exc:
        return _user_page(person, form_errors(exc), status=422)
    if wanted == "1":
        flash(_("%(name)s can log in again.", name=person.name), "success")
    else:
        flash(
            _(
                "%(name)s is deactivated: no more logins, and their API tokens stop working.",
                name=person.name,
            ),
            "success",
        )
    return redirect(url_for("admin.user", user_id=person.id))


@bp.post("/users/<id:user_id>/password")
def user_password(user_id: int):
    """Give a user a new password (it also lifts a login lock)."""
    person = get_or_404(User, user_id)
    values = form_values("password", "password_confirm")
    try:
        auth_services.set_password(
            current_user, person, values["password"], password_confirm=values["password_confirm"]
        )
    except ValidationError as exc:
        return _user_page(person, form_errors(exc), status=422)
    flash(
        _(
            "The password of %(name)s is reset. Tell them the new one in person or by "
            "another channel than email.",
            name=person.name,
        ),
        "success",
    )
    return redirect(url_for("admin.user", user_id=person.id))


@bp.post("/users/<id:user_id>/sessions")
def end_sessions(user_id: int):
    """End every session of a user on every device (a lost phone, a shared computer)."""
    person = get_or_404(User, user_id)
    auth_services.end_sessions(current_user, person)
    flash(_("Every session of %(name)s is ended.", name=person.name), "success")
    return redirect(url_for("admin.user", user_id=person.id))


@bp.post("/users/<id:user_id>/tokens/<id:token_id>/revoke")
def revoke_user_token(user_id: int, token_id: int):
    """Revoke one of a user's API tokens (a lost laptop), without deactivating the user."""
    person = get_or_404(User, user_id)
    token = get_or_404(ApiToken, token_id)
    if token.user_id != person.id:
        abort(404)
    auth_services.revoke_token(current_user, token)
    flash(
        _("The token “%(name)s” of %(person)s is revoked.", name=token.name, person=person.name),
        "success",
    )
    return redirect(url_for("admin.user", user_id=person.id))
