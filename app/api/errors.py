"""Every API error in one shape: ``{"error": {"code", "message", "fields"}}`` (409 adds
``current_version``), whatever raised it — a service, webargs, werkzeug, the rate limiter."""

from typing import Any

from flask import current_app, jsonify, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException, MethodNotAllowed, default_exceptions

from app.core.errors import N_, ConflictError, SuiviError
from app.core.feedback import message as translated_message
from app.core.transaction import COMMIT_FAILURES, commit_failure
from app.core.web import rollback

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}
# In the language the client asks for (Accept-Language) or the token user's.
MESSAGES = {
    400: N_("The request is malformed."),
    401: N_("Send a valid API token: Authorization: Bearer <token>."),
    403: N_("Your role does not allow this."),
    404: N_("No such record or address."),
    405: N_("This address does not accept that method."),
    413: N_("The request is too large."),
    415: N_("Send the body as JSON (Content-Type: application/json)."),
    429: N_("Too many requests: slow down and try again in a moment."),
    500: N_("The request could not be completed. Nothing was changed."),
}


def error_response(
    status: int,
    message: str | None = None,
    code: str | None = None,
    fields: dict | None = None,
    headers: dict | None = None,
    **extra: Any,
):
    """The JSON error response; ``extra`` keys go into the body and its ``error`` object."""
    error = {
        "code": code or CODES.get(status, "error"),
        "message": message or gettext(MESSAGES.get(status, N_("The request failed."))),
        "fields": fields or {},
    }
    error.update(extra)
    response = jsonify({"error": error, **extra})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _flatten(messages, prefix: str = "") -> dict[str, str]:
    """webargs/marshmallow messages (``{location: {field: [..]}}``) as ``{field: text}``."""
    out: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict):
                out.update(_flatten(value, name))
            else:
                out[name] = (
                    " ".join(str(v) for v in value) if isinstance(value, list) else str(value)
                )
    elif messages:
        out[prefix or "_schema"] = (
            " ".join(str(m) for m in messages) if isinstance(messages, list) else str(messages)
        )
    return out


def _field_messages(data: dict) -> dict[str, str]:
    messages = data.get("messages") or data.get("errors") or {}
    fields: dict[str, str] = {}
    if isinstance(messages, dict):
        for _location, by_field in messages.items():  # {"json": {...}, "query": {...}}
            fields.update(_flatten(by_field))
    return fields


def handle_http_exception(exc: HTTPException):
    """werkzeug and webargs errors (and flask-smorest's abort) in the API's shape."""
    rollback()
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    fields = _field_messages(data)
    headers = dict(data.get("headers") or {})
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        headers["Allow"] = ", ".join(exc.valid_methods)
    if status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="suivi"')
    message = data.get("message")
    if fields:
        code = "invalid_parameters" if status == 400 else CODES.get(status)
        message = message or (
            gettext("Some parameters are not valid.")
            if status == 400
            else gettext("Some fields are not valid.")
        )
        return error_response(status, message, code, fields, headers)
    if message is None and status not in MESSAGES:
        message = exc.description
    return error_response(status, message, None, None, headers)


def handle_suivi_error(exc: SuiviError):
    """A refusal from a service: its status, code, message and fields."""
    rollback()
    extra: dict[str, Any] = {}
    if isinstance(exc, ConflictError) and exc.current_version is not None:
        extra["current_version"] = exc.current_version
    fields = {name: gettext(text) for name, text in exc.fields.items()}
    return error_response(exc.status, translated_message(exc), exc.code, fields, **extra)


def handle_commit_failure(exc: Exception):
    """A failure at the flush or the commit (a race for a unique value or a row, a busy or
    lost database): 409 or 503 as for the web pages (``app.core.transaction``)."""
    rollback()
    status, code, text = commit_failure(exc)
    headers = {"Retry-After": "5"} if status == 503 else None
    return error_response(status, gettext(text), code, headers=headers)


def handle_unexpected(exc: Exception):
    """A bug: logged, rolled back, answered in JSON — never an HTML page."""
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)
    current_app.logger.exception("Unhandled API error on %s %s", request.method, request.path)
    rollback()
    return error_response(500)


def register(blueprint) -> None:
    """Attach the handlers to ``blueprint``, by status code as well as by class, so that
    they take precedence over any application-wide error page."""
    blueprint.register_error_handler(SuiviError, handle_suivi_error)
    for failure in COMMIT_FAILURES:
        blueprint.register_error_handler(failure, handle_commit_failure)
    blueprint.register_error_handler(HTTPException, handle_http_exception)
    for code in default_exceptions:
        blueprint.register_error_handler(code, handle_http_exception)
    blueprint.register_error_handler(Exception, handle_unexpected)
