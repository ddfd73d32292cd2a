"""Login and logout; the session is renewed at login and the next page must be on this site."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import devices, services
from app.auth.forms import LoginForm
from app.auth.views.common import bp
from app.core.transaction import keep_changes, on_undo
from app.extensions import limiter


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


def _next_page():
    return redirect(safe_next(request.args.get("next")) or url_for("core.home"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config.get("LOGIN_RATE_LIMIT", "30 per minute"), methods=["POST"]
)
def login():
    """Log in with email and password; repeated failures lock the account for a while,
    except for the browsers the user logged in from before (``auth.devices``)."""
    if current_user.is_authenticated:
        return _next_page()
    form = LoginForm()
    if not form.validate_on_submit():
        error = _("Please give your email and password.") if request.method == "POST" else None
        return render_template("auth/login.html", form=form, error=error), 401 if error else 200
    user = services.authenticate(
        form.email.data,
        form.password.data,
        max_failures=current_app.config["LOGIN_MAX_FAILURES"],
        lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"],
        device_user_id=devices.device_user_id(request),
    )
    if user is None:
        keep_changes()  # the failure counts although the answer is a refusal
        error = _(
            "Wrong email or password, or the account is locked for a while. "
            "Please try again later or ask an administrator."
        )
        return render_template("auth/login.html", form=form, error=error), 401
    session.clear()  # a new session at login: nothing carried over from before
    login_user(user)
    session.permanent = True
    on_undo(session.clear)  # no login unless it is recorded
    response = _next_page()
    devices.remember_device(response, user.id)
    return response


@bp.post("/logout")
@login_required
def logout():
    """Log out, here and on every other device: the session ends on the server too."""
    services.end_sessions(current_user, current_user, action="logout")
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))
