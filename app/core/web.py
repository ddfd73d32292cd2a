"""What every page shares: security headers, language choice, error pages, the login and
NUL guards, and the template helpers that know no domain."""

import contextlib
import hashlib
import os
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    flash,
    g,
    has_request_context,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
)
from flask_babel import format_percent, get_locale, gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.wrappers import Response as BaseResponse

from app.core import transaction
from app.core.decision import Decision
from app.core.display import show_date, show_datetime, show_size
from app.core.errors import N_, PermissionDenied, SuiviError
from app.core.feedback import message
from app.core.markdown import render_markdown
from app.core.numbers import format_number
from app.extensions import db, login_manager

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)
ERROR_TITLES = {
    400: N_("Bad request"),
    401: N_("Please log in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    413: N_("Too large"),
    415: N_("Unsupported media type"),
    422: N_("Cannot be done"),
    429: N_("Too many requests"),
    500: N_("Something went wrong"),
    503: N_("Unavailable"),
}


def rollback() -> None:
    """Undo the request's work; with the connection lost there is nothing left to undo."""
    with contextlib.suppress(SQLAlchemyError):
        db.session.rollback()


def forget_user() -> None:
    """Serve the rest of the request as anonymous: the database is out of reach, and an
    error page must not need it (a user's name, role or language would)."""
    rollback()
    g._login_user = login_manager.anonymous_user()


def user_or_anonymous():
    """The request's user, or the anonymous one when it cannot be loaded."""
    try:
        current_user.is_authenticated  # noqa: B018 - loads the user once
    except SQLAlchemyError:
        forget_user()
    return current_user


def _wanted_locale() -> str:
    """On a page, the language the page asked for (``g.suivi_lang``), else the user's chosen
    language, else the browser's preference; on the API, the language the client asks for
    (``Accept-Language``), else the token user's."""
    if g.get("suivi_lang"):  # a page that takes its language from its address (?lang=fr)
        return g.suivi_lang
    asked = request.accept_languages.best_match(("en", "fr"))
    if wants_json():
        user = g.get("api_user")
        if asked and request.headers.get("Accept-Language"):
            return asked
        return getattr(user, "language", None) or "en"
    user = user_or_anonymous()
    if user and getattr(user, "is_authenticated", False) and getattr(user, "language", None):
        return user.language
    return asked or "en"


def select_locale() -> str:
    """The language of this request (English outside a request: a command or a job says
    which with ``force_locale``). A language whose compiled catalogue is missing is served
    as what it is, English, with a banner saying so (``check_catalogues``)."""
    if not has_request_context():
        return "en"
    wanted = _wanted_locale()
    if wanted in current_app.config.get("MISSING_CATALOGUES", ()):
        g.suivi_missing_catalogue = wanted
        return "en"
    return wanted


def check_catalogues(app: Flask, directory: str) -> list[str]:
    """The languages of ``LANGUAGES`` (English aside) whose compiled catalogue (``.mo``) is
    missing under ``directory``: logged loudly at startup and kept in ``MISSING_CATALOGUES``
    so that their users get English, marked as English, and a banner (``make translations``
    compiles them; ``make install`` runs it)."""
    missing = [
        language
        for language in app.config.get("LANGUAGES", ())
        if language != "en"
        and not os.path.isfile(os.path.join(directory, language, "LC_MESSAGES", "messages.mo"))
    ]
    for language in missing:
        app.logger.error(
            "The compiled %s catalogue is missing in %s: run `make translations`. "
            "Users who read %s get English pages until then.",
            language,
            directory,
            language,
        )
    app.config["MISSING_CATALOGUES"] = missing
    return missing


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint == "static":
        _static_cache(response)
    elif "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


IMMUTABLE = "public, max-age=31536000, immutable"


def _static_cache(response: Response) -> None:
    """A static file asked for under its versioned URL (``?v=`` the digest of the static
    files) never changes: cached for a year, never revalidated. Under any other URL it may
    change: the browser asks again (and gets 304 while it has not)."""
    versioned = request.args.get("v") == current_app.config.get("ASSET_VERSION")
    response.headers["Cache-Control"] = IMMUTABLE if versioned else "no-cache"
    response.expires = None


def wants_json() -> bool:
    """API paths always answer JSON."""
    return request.path.startswith("/api/")


def error_response(
    status: int, message: str, code: str | None = None, fields: dict | None = None
) -> Response:
    """An error in Suivi's look (HTML) or in the API's shape (JSON)."""
    user_or_anonymous()
    if wants_json():
        body = {
            "error": {
                "code": code or ERROR_TITLES.get(status, "error").lower().replace(" ", "_"),
                "message": message,
                "fields": fields or {},
            }
        }
        return make_response(jsonify(body), status)
    title = gettext(ERROR_TITLES.get(status, "Error"))
    page = render_template("errors/error.html", status=status, title=title, message=message)
    return make_response(page, status)


HTTP_MESSAGES = {
    404: N_("This page does not exist, or the record was deleted."),
    403: N_("Your role does not allow this."),
    405: N_("This address does not accept that method."),
    413: N_("The upload is too large."),
    429: N_("Too many attempts. Please wait a moment and try again."),
}


def _http_error(exc: HTTPException):
    rollback()
    status = exc.code or 500
    text = HTTP_MESSAGES.get(status)
    response = error_response(status, gettext(text) if text else exc.description or "")
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _commit_failure(exc: Exception):
    status, code, text = transaction.commit_failure(exc)
    if status == 503:
        forget_user()
    else:
        rollback()
    response = error_response(status, gettext(text), code)
    if status == 503:
        response.headers["Retry-After"] = "5"
    return response


def register_error_handlers(app: Flask) -> None:
    """Every error has a page in the user's language (or JSON under /api/); never a bare 500."""

    @app.errorhandler(SuiviError)
    def _suivi_error(exc: SuiviError):
        rollback()
        return error_response(exc.status, message(exc), exc.code, exc.fields)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        rollback()
        text = N_(
            "The form had expired or was not sent by Suivi. "
            "Please go back, reload the page and try again."
        )
        return error_response(400, gettext(text), "csrf")

    app.register_error_handler(HTTPException, _http_error)
    for failure in transaction.COMMIT_FAILURES:
        app.register_error_handler(failure, _commit_failure)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return _http_error(exc)
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        rollback()
        text = N_("Suivi could not complete this request. Nothing was changed. Please try again.")
        return error_response(500, gettext(text))


def _refuse_nul():
    """A NUL character cannot be stored (PostgreSQL refuses it in text): a web request that
    carries one in its query or form is refused before any handler (the API's schemas refuse
    it field by field)."""
    if wants_json():
        return None
    for values in (request.args, request.form):
        if any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
            text = N_(
                "The request contained a character Suivi cannot store (NUL). Nothing was saved."
            )
            return error_response(400, gettext(text))
    return None


def clean_query_redirect() -> BaseResponse | None:
    """A GET form sends its empty fields too (``?kind=&status=&q=``): answer such a URL with
    a redirect to the same page without them, so the address a user shares or bookmarks says
    only what was chosen (works without JavaScript). None when the URL is already clean."""
    pairs = list(request.args.items(multi=True))
    kept = [(key, value) for key, value in pairs if value.strip()]
    if len(kept) == len(pairs):
        return None
    query = urlencode(kept)
    return redirect(request.path + (f"?{query}" if query else ""), 302)


DRAFT_SENT = "draft-sent"


def draft_sent(*parts: object) -> None:
    """Tell the page after this successful post that the server has the form the browser kept
    as a draft under ``parts`` (user, item, form): drafts.js drops it. A flash, so that it is
    taken back with the request's other flashes when the request's changes are undone."""
    flash(":".join(str(part) for part in parts), DRAFT_SENT)


def form_values(*names: str) -> dict[str, str]:
    """The submitted form's values of these inputs ("" for a missing one)."""
    return {name: request.form.get(name, "") for name in names}


def _login_first():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def require_login(bp: Blueprint) -> None:
    """Every page of ``bp`` sends an anonymous visitor to the login page first."""
    bp.before_request(_login_first)


def _asset_version(app: Flask) -> str:
    """A digest of the static files, so their URLs change when they do (long cache)."""
    digest = hashlib.sha256()
    static = app.static_folder or ""
    for root, _dirs, files in sorted(os.walk(static)):
        for name in sorted(files):
            with open(os.path.join(root, name), "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:10]


def why(decision: Decision) -> str:
    """A refused policy decision's reason, in the user's language ("" when allowed)."""
    return "" if decision else message(PermissionDenied(decision.reason, **decision.params))


def init_web(app: Flask) -> None:
    """Headers, errors, the NUL guard, caching of static files and the helpers templates use."""
    app.after_request(_security_headers)
    app.before_request(_refuse_nul)
    register_error_handlers(app)
    app.config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", 365 * 24 * 3600)
    version = _asset_version(app)
    app.config["ASSET_VERSION"] = version

    @app.context_processor
    def _helpers():
        return {
            "asset_version": version,
            "current_locale": getattr(g, "_suivi_locale", None) or str(get_locale() or "en"),
            "missing_catalogue": g.get("suivi_missing_catalogue"),
        }

    # One way to write dates and times per language (app.core.display); no format argument.
    app.jinja_env.filters["date"] = show_date
    app.jinja_env.filters["datetime"] = show_datetime
    app.jinja_env.filters["filesize"] = show_size
    app.jinja_env.filters["why"] = why
    app.jinja_env.filters["percent"] = lambda n: format_percent((n or 0) / 100)
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["number"] = format_number
