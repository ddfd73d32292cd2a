"""What every API resource shares: its blueprint class, bearer-token authentication, the
checks on request bodies, the parser that refuses unknown fields, and the one commit point."""

import functools
import hashlib
import json

from flask import current_app, g, make_response, request
from flask.sessions import SecureCookieSessionInterface
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint, abort
from sqlalchemy.exc import SQLAlchemyError
from webargs.flaskparser import FlaskParser

from app.api import errors
from app.auth import services as auth_services
from app.auth.models import ApiToken
from app.extensions import db

API_PREFIX = "/api"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class SuiviParser(FlaskParser):
    """Leaves ``unknown`` to the schemas (they RAISE), in the query string as in bodies."""

    DEFAULT_UNKNOWN_BY_LOCATION = dict.fromkeys(FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION)

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(400, message="The body is not valid JSON.")


class ApiBlueprint(Blueprint):
    """A flask-smorest blueprint under /api/v1 with Suivi's parser, authentication and errors."""

    ARGUMENTS_PARSER = SuiviParser()

    def __init__(self, name: str, import_name: str, description: str = ""):
        super().__init__(f"api-{name}", import_name, url_prefix="/api/v1", description=description)
        self.before_request(authenticate)
        self.before_request(check_body)
        self.after_request(keep_token_use)
        errors.register(self)

    def add_url_rule(self, rule, endpoint=None, view_func=None, *args, **kwargs):
        """Every operation runs as one unit of work (see ``unit_of_work``)."""
        view_func = unit_of_work(view_func) if view_func is not None else None
        return super().add_url_rule(rule, endpoint, view_func, *args, **kwargs)


class StatelessApiSessions(SecureCookieSessionInterface):
    """Sessions as usual, except under /api/: there a request starts with an empty session
    whatever cookie it sent, so the API neither reads nor refreshes a session cookie — the
    bearer token is its only credential (and without cookies there is no CSRF to guard)."""

    def open_session(self, app, request):
        if request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/"):
            return self.session_class()
        return super().open_session(app, request)


def bearer_token() -> str | None:
    """The token of the request's ``Authorization: Bearer <token>`` header, if one was sent."""
    return auth_services.token_in_header(request.headers.get("Authorization"))


def authenticate():
    """Find the user from the bearer token (401 otherwise) and note the token's use in the
    session: the request's one commit keeps it (``unit_of_work``), or, when the request is
    refused, ``keep_token_use`` does."""
    plaintext = bearer_token()
    if plaintext is None:
        return errors.error_response(
            401,
            "Send an API token: Authorization: Bearer <token>.",
            headers={"WWW-Authenticate": 'Bearer realm="suivi"'},
        )
    token = auth_services.find_token(plaintext)
    if token is None:
        db.session.rollback()
        return errors.error_response(
            401,
            "This token is not valid: unknown, revoked, or its user is deactivated.",
            headers={"WWW-Authenticate": 'Bearer realm="suivi", error="invalid_token"'},
        )
    if auth_services.note_token_use(token):
        g.api_token_used = token.id
    g.api_user = token.user
    return None


def unit_of_work(view):
    """The API's one commit point, as Indico's request handler has: the operation parses its
    input, calls a service (which flushes, never commits) and builds its answer; then its work
    and the token's use are committed once. An error raised on the way — from the parser, the
    service or the commit itself — is rolled back by the error handlers instead."""

    @functools.wraps(view)
    def run(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response

    return run


def keep_token_use(response):
    """A refused request (4xx after authentication) is rolled back, but its token was used:
    record that use alone, in a transaction of its own that holds nothing of the request."""
    token_id = g.pop("api_token_used", None)
    if token_id is None or not 400 <= response.status_code < 500:
        return response
    db.session.rollback()
    try:
        token = db.session.get(ApiToken, token_id)
        if token is not None and auth_services.note_token_use(token):
            db.session.commit()
    except SQLAlchemyError:  # the refusal stands; only the date of the use is lost
        db.session.rollback()
        current_app.logger.exception("Could not record the use of API token %s", token_id)
    return response


def current_actor():
    """The user the request's token belongs to."""
    return g.api_user


def check_body():
    """415 for a body that is not JSON, 400 for JSON that is malformed or not an object, and
    400 for a body sent with a method that takes none."""
    if request.method not in BODY_METHODS:
        if request.content_length or request.headers.get("Transfer-Encoding"):
            return errors.error_response(400, f"{request.method} takes no request body.")
        return None
    if not request.is_json:
        return errors.error_response(415)
    try:
        data = json.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):
        return errors.error_response(400, "The body is not valid JSON.")
    if not isinstance(data, dict):
        return errors.error_response(400, "The body must be a JSON object.")
    return None


def rate_limit_key() -> str:
    """Rate limits count per token when one is sent, per address otherwise."""
    token = bearer_token()
    if token:
        return "token:" + hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:32]
    return "addr:" + (get_remote_address() or "unknown")


def documents_errors(blueprint: Blueprint, *codes: int):
    """Document the error answers an operation can give (401 and 429 always)."""
    from http import HTTPStatus

    def decorator(func):
        for code in sorted({400, 401, 429, *codes}, reverse=True):
            func = blueprint.alt_response(code, response=HTTPStatus(code).name)(func)
        return func

    return decorator
