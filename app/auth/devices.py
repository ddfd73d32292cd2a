"""Known devices: at each login Suivi leaves a signed cookie naming the user in that browser;
with it, the right password passes an account lock that someone else's wrong passwords set
(OWASP's "device cookies"). The cookie is no credential by itself: the password is still
needed, and it is sent to /login only."""

from datetime import timedelta

from flask import Request, Response, current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "suivi_device"
MAX_AGE = timedelta(days=180)
_SALT = "suivi-known-device"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt=_SALT)


def device_user_id(request: Request) -> int | None:
    """The user id the request's device cookie names, when its signature and age hold."""
    value = request.cookies.get(COOKIE)
    if not value or len(value) > 200:
        return None
    try:
        data = _serializer().loads(value, max_age=int(MAX_AGE.total_seconds()))
    except (BadSignature, ValueError, TypeError):
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) and not isinstance(user_id, bool) else None


def remember_device(response: Response, user_id: int) -> None:
    """Mark the browser that just logged in as a known device of ``user_id``."""
    response.set_cookie(
        COOKIE,
        _serializer().dumps({"u": user_id}),
        max_age=int(MAX_AGE.total_seconds()),
        path="/login",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
