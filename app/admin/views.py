"""Admin screens: users (create, edit, deactivate, reset password) and organisations."""

from collections import defaultdict

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.admin.forms import (
    KIND_LABELS,
    MAX_ID,
    ORG_FIELD_LABELS,
    ROLE_LABELS,
    parse_organisation,
)
from app.auth import services as auth_services
from app.auth.forms import (
    LANGUAGE_CHOICES,
    USER_FIELD_LABELS,
    check_confirmation,
    collect,
    error_messages,
)
from app.auth.models import ApiToken, User
from app.auth.passwords import check_strength
from app.auth.policies import may_manage_users
from app.core.errors import N_, ValidationError
from app.core.roles import ROLES
from app.core.validation import clean_text, parse_choice
from app.extensions import db, login_manager
from app.stakeholders import services as org_services
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
        abort(403)
    # An id too large for the database is simply not found (rather than a database error).
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and not 0 < value < MAX_ID:
            abort(404)
    return None


@bp.context_processor
def _labels():
    return {
        "ROLE_LABELS": ROLE_LABELS,
        "KIND_LABELS": KIND_LABELS,
        "ROLES": ROLES,
        "KINDS": ORGANISATION_KINDS,
        "LANGUAGE_CHOICES": LANGUAGE_CHOICES,
    }


def _organisation_tree() -> list[tuple[Organisation, int]]:
    """Every organisation with its depth, parents before their children (one query)."""
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    children: dict[int | None, list[Organisation]] = defaultdict(list)
    ids = {org.id for org in orgs}
    for org in orgs:
        children[org.parent_id if org.parent_id in ids else None].append(org)
    tree: list[tuple[Organisation, int]] = []
    seen: set[int] = set()

    def walk(parent_id: int | None, depth: int) -> None:
        for org in children.get(parent_id, []):
            if org.id not in seen:
                seen.add(org.id)
                tree.append((org, depth))
                walk(org.id, depth + 1)

    walk(None, 0)
    return tree


def _org_choices(tree: list[tuple[Organisation, int]]) -> list[tuple[str, str]]:
    """Options for an organisation select, indented by depth."""
    return [
        (str(org.id), "\u2014 " * depth + f"{org.acronym} \u00b7 {org.name}") for org, depth in tree
    ]


def _form_value(name: str) -> str:
    return request.form.get(name, "")


@bp.get("/")
def index():
    """/admin leads to the users."""
    return redirect(url_for("admin.users"))


# --- users ------------------------------------------------------------------------------------


def _email_is_free() -> None:
    email = auth_services.normalise_email(_form_value("email"))
    if auth_services.find_user(email) is not None:
        raise ValidationError(
            N_("A user with this email already exists."),
            fields={"email": N_("Already registered.")},
        )


def _check_new_user() -> None:
    """Every mistake of the new-user form at once (the service checks again)."""
    collect(
        lambda: clean_text(_form_value("name"), "name", 200),
        _email_is_free,
        lambda: parse_choice(_form_value("role"), "role", ROLES),
        lambda: parse_organisation(_form_value("organisation_id"), "organisation_id"),
        lambda: check_strength(_form_value("password")),
        lambda: check_confirmation(_form_value("password"), _form_value("password_confirm")),
    )


@bp.route("/users", methods=["GET", "POST"])
def users():
    """The list of users and the form that creates one."""
    errors: dict[str, str] = {}
    summary = None
    status = 200
    if request.method == "POST":
        try:
            _check_new_user()
            user = auth_services.create_user(
                current_user,
                email=_form_value("email"),
                name=_form_value("name"),
                role=_form_value("role"),
                organisation=parse_organisation(_form_value("organisation_id"), "organisation_id"),
                password=_form_value("password"),
                language=_form_value("language") or None,
            )
        except ValidationError as exc:
            db.session.rollback()
            summary, errors = error_messages(exc, USER_FIELD_LABELS)
            status = 422
        else:
            db.session.commit()
            flash(_("User %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.user", user_id=user.id))
    people = db.session.scalars(select(User).order_by(func.lower(User.name), User.id)).all()
    form = {
        key: request.form.get(key, "")
        for key in ("email", "name", "role", "organisation_id", "language")
    }
    form.setdefault("role", "staff")
    return render_template(
        "admin/users.html",
        users=people,
        org_choices=_org_choices(_organisation_tree()),
        form=form,
        errors=errors,
        summary=summary,
    ), status


def _user_page(user: User, errors=None, summary=None, form=None, status: int = 200):
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
        org_choices=_org_choices(_organisation_tree()),
        form=form,
        errors=errors or {},
        summary=summary,
        is_locked=user.is_locked(),
    ), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int):
    """One user: change name, role, organisation and language."""
    person = auth_services.get_user(user_id)
    if request.method == "GET":
        return _user_page(person)
    form = {key: _form_value(key) for key in ("name", "role", "organisation_id", "language")}
    try:
        auth_services.update_user(
            current_user,
            person,
            name=form["name"],
            role=form["role"],
            organisation=parse_organisation(form["organisation_id"], "organisation_id"),
            language=form["language"] or None,
        )
    except ValidationError as exc:
        db.session.rollback()
        summary, errors = error_messages(exc, USER_FIELD_LABELS)
        return _user_page(auth_services.get_user(user_id), errors, summary, form, 422)
    db.session.commit()
    flash(_("The changes to %(name)s are saved.", name=person.name), "success")
    if not may_manage_users(current_user):  # an admin who just gave up the role
        return redirect(url_for("core.home"))
    return redirect(url_for("admin.user", user_id=person.id))


@bp.post("/users/<int:user_id>/active")
def user_active(user_id: int):
    """Deactivate (no more logins or tokens) or reactivate a user."""
    person = auth_services.get_user(user_id)
    wanted = request.form.get("is_active")
    if wanted not in ("0", "1"):
        return _user_page(person, summary=_("Choose whether the account is active."), status=422)
    try:
        auth_services.update_user(current_user, person, is_active=wanted == "1")
    except ValidationError as exc:
        db.session.rollback()
        summary, errors = error_messages(exc, USER_FIELD_LABELS)
        return _user_page(auth_services.get_user(user_id), errors, summary, status=422)
    db.session.commit()
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


@bp.post("/users/<int:user_id>/password")
def user_password(user_id: int):
    """Give a user a new password (it also lifts a login lock)."""
    person = auth_services.get_user(user_id)
    try:
        check_confirmation(_form_value("password"), _form_value("password_confirm"))
        auth_services.set_password(current_user, person, _form_value("password"))
    except ValidationError as exc:
        db.session.rollback()
        summary, errors = error_messages(exc, USER_FIELD_LABELS)
        return _user_page(auth_services.get_user(user_id), errors, summary, status=422)
    db.session.commit()
    flash(
        _(
            "The password of %(name)s is reset. Tell them the new one in person or by "
            "another channel than email.",
            name=person.name,
        ),
        "success",
    )
    return redirect(url_for("admin.user", user_id=person.id))


@bp.post("/users/<int:user_id>/tokens/<int:token_id>/revoke")
def revoke_user_token(user_id: int, token_id: int):
    """Revoke one of a user's API tokens (a lost laptop), without deactivating the user."""
    person = auth_services.get_user(user_id)
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != person.id:
        abort(404)
    auth_services.revoke_token(current_user, token)
    db.session.commit()
    flash(
        _("The token “%(name)s” of %(person)s is revoked.", name=token.name, person=person.name),
        "success",
    )
    return redirect(url_for("admin.user", user_id=person.id))


# --- organisations ----------------------------------------------------------------------------


ORG_FIELDS = ("name", "acronym", "kind", "parent_id", "description")


def _org_data(form: dict[str, str]) -> dict:
    collect(  # every mistake at once; the service checks again
        lambda: clean_text(form["name"], "name", 200),
        lambda: clean_text(form["acronym"], "acronym", 40),
        lambda: parse_choice(form["kind"], "kind", ORGANISATION_KINDS),
        lambda: parse_organisation(form["parent_id"], "parent_id", required=False),
    )
    return {
        "name": form["name"],
        "acronym": form["acronym"],
        "kind": form["kind"],
        "description": form["description"],
        "parent": parse_organisation(form["parent_id"], "parent_id", required=False),
    }


@bp.route("/organisations", methods=["GET", "POST"])
def organisations():
    """The organisations as a tree, and the form that creates one."""
    errors: dict[str, str] = {}
    summary = None
    status = 200
    form = {key: _form_value(key) for key in ORG_FIELDS}
    if request.method == "POST":
        try:
            org = org_services.create_organisation(current_user, **_org_data(form))
        except ValidationError as exc:
            db.session.rollback()
            summary, errors = error_messages(exc, ORG_FIELD_LABELS)
            status = 422
        else:
            db.session.commit()
            flash(_("Organisation %(acronym)s created.", acronym=org.acronym), "success")
            return redirect(url_for("admin.organisation", org_id=org.id))
    counts = dict(
        db.session.execute(
            select(User.organisation_id, func.count(User.id)).group_by(User.organisation_id)
        ).all()
    )
    tree = _organisation_tree()
    return render_template(
        "admin/organisations.html",
        tree=tree,
        org_choices=_org_choices(tree),
        counts=counts,
        form=form,
        errors=errors,
        summary=summary,
    ), status


@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
def organisation(org_id: int):
    """One organisation: its profile facts; change name, acronym, kind, parent, description."""
    org = org_services.get_organisation(org_id)
    errors: dict[str, str] = {}
    summary = None
    status = 200
    if request.method == "POST":
        form = {key: _form_value(key) for key in ORG_FIELDS}
        try:
            org_services.update_organisation(current_user, org, **_org_data(form))
        except ValidationError as exc:
            db.session.rollback()
            summary, errors = error_messages(exc, ORG_FIELD_LABELS)
            status = 422
            org = org_services.get_organisation(org_id)
        else:
            db.session.commit()
            flash(_("The changes to %(acronym)s are saved.", acronym=org.acronym), "success")
            return redirect(url_for("admin.organisation", org_id=org.id))
    else:
        form = {
            "name": org.name,
            "acronym": org.acronym,
            "kind": org.kind,
            "parent_id": str(org.parent_id or ""),
            "description": org.description or "",
        }
    members = db.session.scalars(
        select(User).where(User.organisation_id == org.id).order_by(func.lower(User.name))
    ).all()
    choices = _org_choices([(o, d) for o, d in _organisation_tree() if o.id != org.id])
    return render_template(
        "admin/organisation.html",
        org=org,
        org_choices=choices,
        members=members,
        form=form,
        errors=errors,
        summary=summary,
    ), status
