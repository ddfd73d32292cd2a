"""How a request finds its user — from the session cookie, or from a bearer token — and how
a token's use is kept."""

from collections.abc import Callable
from typing import Any

from flask import Request, Response, current_app, g
from sqlalchemy.exc import SQLAlchemyError

from app.auth import services
from app.auth.models import ApiToken, User
from app.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The active user whose id the session holds, while their password is unchanged."""
    raw_id, _, fingerprint = user_id.partition(":")
    if not (raw_id.isascii() and raw_id.isdigit() and len(raw_id) <= 9):
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.is_active or fingerprint != user.session_fingerprint:
        return None
    return user


def note_use(token: ApiToken) -> None:
    """Note the token's use in the session (``services.note_token_use``): the request's one
    commit keeps it, or ``keep_token_use`` does when the request is refused."""
    if services.note_token_use(token):
        g.suivi_token_used = token.id


TOKEN_DOOR_MARK = "suivi_accepts_api_token"  # noqa: S105 - an attribute name
API_PREFIX = "/api/"


def accepts_api_token(view: Callable) -> Callable:
    """Mark a web view that a bearer token may open (the report downloads): everywhere else
    outside /api/ a token is ignored and the request is anonymous."""
    setattr(view, TOKEN_DOOR_MARK, True)
    return view


def is_token_door(request: Request) -> bool:
    """Whether a bearer token authenticates this request: under /api/, or on a marked view."""
    if request.path.startswith(API_PREFIX):
        return True
    view: Any = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, TOKEN_DOOR_MARK, False))


@login_manager.request_loader
def load_user_from_token(request: Request) -> User | None:
    """``Authorization: Bearer <token>`` on the API and the report downloads only: on the web
    pages it would let a token read the profile's CSRF token, mint tokens or act as an
    admin, so there it is ignored."""
    if not is_token_door(request):
        return None
    token = services.find_token(services.token_in_header(request.headers.get("Authorization")))
    if token is None:
        return None
    note_use(token)
    return token.user


def keep_token_use(response: Response) -> Response:
    """After a refused request (4xx), whose work the commit point has undone: the token was
    used all the same, so record that use alone, in a transaction that holds nothing else."""
    token_id = g.pop("suivi_token_used", None)
    if token_id is None or not 400 <= response.status_code < 500:
        return response
    db.session.rollback()
    try:
        token = db.session.get(ApiToken, token_id)
        if token is not None and services.note_token_use(token):
            db.session.commit()
    except SQLAlchemyError:  # the refusal stands; only the date of the use is lost
        db.session.rollback()
        current_app.logger.exception("Could not record the use of API token %s", token_id)
    return response
