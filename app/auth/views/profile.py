"""The user's own settings: language, password and API tokens."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import select

from app.auth import services
from app.auth.labels import LANGUAGE_CHOICES
from app.auth.models import ApiToken
from app.auth.views.common import bp
from app.core.errors import ValidationError
from app.core.feedback import form_errors
from app.core.records import get_or_404
from app.core.web import form_values
from app.extensions import db


def _profile_page(errors=None, new_token: tuple | None = None, token_name="", status=200):
    tokens = db.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == current_user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()
    return render_template(
        "auth/profile.html",
        errors=errors or {},
        tokens=tokens,
        new_token=new_token,
        token_name=token_name,
        LANGUAGE_CHOICES=LANGUAGE_CHOICES,
    ), status


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
        return _profile_page(form_errors(exc), status=422)
    locale = choice or request.accept_languages.best_match(("en", "fr")) or "en"
    with force_locale(locale):  # say it in the language just chosen
        flash(_("Your language is saved."), "success")
    return redirect(url_for("auth.profile"))


@bp.post("/profile/password")
@login_required
def profile_password():
    """Change one's own password: the current one, then the new one twice."""
    values = form_values("current_password", "password", "password_confirm")
    try:
        services.set_password(
            current_user,
            current_user,
            values["password"],
            current_password=values["current_password"],
            password_confirm=values["password_confirm"],
        )
    except ValidationError as exc:
        return _profile_page(form_errors(exc), status=422)
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
        return _profile_page(form_errors(exc), token_name=name, status=422)
    return _profile_page(new_token=(token.name, plaintext), status=201)


@bp.post("/profile/tokens/<id:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of one's own tokens; other people's tokens do not exist here."""
    token = get_or_404(ApiToken, token_id)
    if token.user_id != current_user.id:
        abort(404)
    services.revoke_token(current_user, token)
    flash(
        _(
            "The token “%(name)s” is revoked; programs using it are refused from now on.",
            name=token.name,
        ),
        "success",
    )
    return redirect(url_for("auth.profile"))
