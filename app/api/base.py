"""What every API resource shares: its blueprint class, bearer-token authentication, the
checks on request bodies, and the parser that refuses unknown fields."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from flask import current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint, abort
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

from app.api import errors
from app.auth import loaders
from app.auth import services as auth_services
from app.core.decision import Decision
from app.extensions import db

API_PREFIX = "/api"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class SuiviParser(FlaskParser):
    """Leaves ``unknown`` to the schemas (they RAISE), in the query string as in bodies."""

    DEFAULT_UNKNOWN_BY_LOCATION = dict.fromkeys(FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION)

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(400, message="The body is not valid JSON.")

    def load_multipart(self, req, schema):
        """A multipart body's fields and files together (an upload with its options)."""
        return MultiDictProxy(CombinedMultiDict([req.form, req.files]), schema)


class ApiBlueprint(Blueprint):
    """A flask-smorest blueprint under /api/v1 with Suivi's parser, authentication and errors."""

    ARGUMENTS_PARSER = SuiviParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }

    def __init__(self, name: str, import_name: str, description: str = "", body: str = "json"):
        super().__init__(f"api-{name}", import_name, url_prefix="/api/v1", description=description)
        self.before_request(authenticate)
        self.before_request(authorise)
        self.before_request(check_upload if body == "multipart" else check_body)
        errors.register(self)


SESSIONLESS_FILES = ("static", "core.service_worker")


class StatelessApiSessions(SecureCookieSessionInterface):
    """Sessions as usual, except under /api/: there a request starts with an empty session
    whatever cookie it sent, so the API neither reads nor refreshes a session cookie — the
    bearer token is its only credential (and without cookies there is no CSRF to guard);
    and files do not send it back (``should_set_cookie``)."""

    def open_session(self, app, request):
        if request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/"):
            return self.session_class()
        return super().open_session(app, request)

    def should_set_cookie(self, app, session) -> bool:
        """Files (the static ones, the service worker) never send the session cookie back
        unless they changed it: fetched beside a form's post, an unchanged copy answered after
        the post's would take its message (and the drafts' marker) away."""
        if not session.modified and request.endpoint in SESSIONLESS_FILES:
            return False
        return super().should_set_cookie(app, session)


def bearer_token() -> str | None:
    """The token of the request's ``Authorization: Bearer <token>`` header, if one was sent."""
    return auth_services.token_in_header(request.headers.get("Authorization"))


def authenticate():
    """Find the user from the bearer token (401 otherwise) and note the token's use: the
    request's one commit keeps it (``app.core.transaction``), or, when the request is refused,
    ``auth.loaders.keep_token_use`` does."""
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
    loaders.note_use(token)
    g.api_user = token.user
    return None


def current_actor():
    """The user the request's token belongs to."""
    return g.api_user


POLICY_ATTRIBUTE = "suivi_policy"


def permits(policy: Callable[..., bool | Decision]) -> Callable:
    """Declare who may call a write: ``policy(actor, **view_args)`` answers, and the door asks
    it (``authorise``) before the body is read, so a caller who may not act gets 403 whatever
    the body says. Every API write declares one (tests/hostile check it)."""

    def declare(view: Callable) -> Callable:
        setattr(view, POLICY_ATTRIBUTE, policy)
        return view

    return declare


def held(record: Any) -> Any:
    """Keep ``record`` referenced for the rest of the request: the session's identity map
    holds records weakly, and a policy's record is the one its view reads next."""
    g.setdefault("suivi_held_records", []).append(record)
    return record


def declared_policy(endpoint: str | None) -> Callable[..., bool | Decision] | None:
    """The policy the view of ``endpoint`` declared with ``permits``, if any."""
    view: Any = current_app.view_functions.get(endpoint or "")
    return getattr(view, POLICY_ATTRIBUTE, None)


def authorise():
    """403 before validation when the route's declared policy refuses the caller (the records
    it names are fetched first: an unknown one is a 404); a policy that says why refuses with
    its reason."""
    policy = declared_policy(request.endpoint)
    if policy is None:
        return None
    answer = policy(current_actor(), **(request.view_args or {}))
    if answer:
        return None
    if isinstance(answer, Decision) and answer.reason:
        answer.check()  # PermissionDenied with the reason: a 403 in the API's shape
    return errors.error_response(403)


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


def check_upload():
    """415 unless a write is sent as ``multipart/form-data`` (a file upload)."""
    if request.method in BODY_METHODS and request.mimetype != "multipart/form-data":
        return errors.error_response(
            415,
            "Send the file as multipart/form-data, in the field file.",
            "unsupported_media_type",
        )
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
