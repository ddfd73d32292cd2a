"""Login and logout; the session is renewed at login and the next page must be on this site."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from app import audit
from app.auth import services
from app.auth.forms import (
    LANGUAGE_CHOICES,
    USER_FIELD_LABELS,
    LoginForm,
    check_confirmation,
    collect,
    error_messages,
)
from app.auth.models import ApiToken
from app.auth.passwords import check_strength, verify_password
from app.core.errors import N_, ValidationError
from app.extensions import db, limiter

bp = Blueprint("auth", __name__)
PROFILE_FIELD_LABELS = {
    **USER_FIELD_LABELS,
    "current_password": _l("Current password"),
    "password": _l("New password"),
    "password_confirm": _l("Repeat the new password"),
}


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None (no open redirect)."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config.get("LOGIN_RATE_LIMIT", "30 per minute"), methods=["POST"]
)
def login():
    """Log in with email and password; repeated failures lock the account for a while."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("core.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = services.authenticate(
            form.email.data,
            form.password.data,
            max_failures=current_app.config["LOGIN_MAX_FAILURES"],
            lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"],
        )
        if user is not None:
            audit.record(db.session, "login", "users", user.id)
            db.session.commit()
            session.clear()  # a new session at login: nothing carried over from before
            login_user(user)
            session.permanent = True
            return redirect(safe_next(request.args.get("next")) or url_for("core.home"))
        db.session.commit()  # keep the failure count
        error = _(
            "Wrong email or password, or the account is locked for a while. "
            "Please try again later or ask an administrator."
        )
    elif request.method == "POST":
        error = _("Please give your email and password.")
    status = 401 if error else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
@login_required
def logout():
    """Log out and forget the session."""
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


# --- profile: language, password, API tokens --------------------------------------------------


def _profile_page(
    errors: dict | None = None,
    summary: str | None = None,
    new_token: tuple | None = None,
    token_name: str = "",
    status: int = 200,
):
    tokens = db.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == current_user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()
    return render_template(
        "auth/profile.html",
        errors=errors or {},
        summary=summary,
        tokens=tokens,
        new_token=new_token,
        token_name=token_name,
        LANGUAGE_CHOICES=LANGUAGE_CHOICES,
    ), status


def _form_errors(exc: ValidationError) -> tuple[str, dict]:
    return error_messages(exc, PROFILE_FIELD_LABELS)


@bp.get("/profile")
@login_required
def profile():
    """The user's own settings: language, password and API tokens."""
    return _profile_page()


@bp.post("/profile/language")
@login_required
def profile_language():
    """Choose English, French, or let the browser decide (None)."""
    choice = request.form.get("language", "")
    try:
        services.update_user(current_user, current_user, language=choice or None)
    except ValidationError as exc:
        db.session.rollback()
        summary, errors = _form_errors(exc)
        return _profile_page(errors, summary, status=422)
    db.session.commit()
    locale = choice or request.accept_languages.best_match(("en", "fr")) or "en"
    with force_locale(locale):  # say it in the language just chosen
        flash(_("Your language is saved."), "success")
    return redirect(url_for("auth.profile"))


def _check_current_password(current: str) -> None:
    # Asked of everyone here, admins included: whoever holds an open session must still
    # know the password to change it.
    if not verify_password(current_user.password_hash, current):
        raise ValidationError(
            N_("The current password is wrong."), fields={"current_password": N_("Wrong password.")}
        )


@bp.post("/profile/password")
@login_required
def profile_password():
    """Change one's own password: the current one, then the new one twice."""
    current = request.form.get("current_password", "")
    new = request.form.get("password", "")
    try:
        collect(
            lambda: _check_current_password(current),
            lambda: check_strength(new),
            lambda: check_confirmation(new, request.form.get("password_confirm", "")),
        )
        services.set_password(current_user, current_user, new, current_password=current)
    except ValidationError as exc:
        db.session.rollback()
        summary, errors = _form_errors(exc)
        return _profile_page(errors, summary, status=422)
    db.session.commit()
    login_user(current_user._get_current_object())  # this session goes on; the others end
    flash(_("Your password is changed."), "success")
    return redirect(url_for("auth.profile"))


@bp.post("/profile/tokens")
@login_required
def create_token():
    """Make a named API token and show it once, on the page this answers with."""
    name = request.form.get("name", "")
    try:
        token, plaintext = services.create_token(current_user, current_user, name)
    except ValidationError as exc:
        db.session.rollback()
        summary, errors = _form_errors(exc)
        return _profile_page(errors, summary, token_name=name, status=422)
    db.session.commit()
    return _profile_page(new_token=(token.name, plaintext), status=201)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of one's own tokens; other people's tokens do not exist here."""
    token = db.session.get(ApiToken, token_id) if token_id < 2**31 else None
    if token is None or token.user_id != current_user.id:
        abort(404)
    services.revoke_token(current_user, token)
    db.session.commit()
    flash(
        _(
            "The token “%(name)s” is revoked; programs using it are refused from now on.",
            name=token.name,
        ),
        "success",
    )
    return redirect(url_for("auth.profile"))
