"""Conditional GETs for pages: a weak ETag over the page as rendered, and 304 Not Modified
when the browser already holds it."""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, make_response, request, session
from flask_wtf.csrf import generate_csrf

# Kept by the browser but checked with Suivi on every use (never shown stale), and only for
# this user: never by a shared cache.
REVALIDATE = "private, no-cache"


def page_etag(body: bytes) -> str:
    """A digest of the page without its CSRF token (signed anew on every request) but with
    the session's own token (a new session must not be told it has the page)."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    digest = hashlib.sha256(body.replace(generate_csrf().encode(), b""))
    digest.update(str(session.get(field, "")).encode())
    return digest.hexdigest()[:32]


def conditional(view: Callable[..., Any]) -> Callable[..., Any]:
    """Answer a GET of ``view`` with a weak ETag over its rendered page, and with 304 and no
    body when the request's ``If-None-Match`` names it (the page is still built: this saves
    the bytes on the wire, which is what a slow link pays for)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        response = make_response(view(*args, **kwargs))
        if request.method != "GET" or response.status_code != 200 or response.is_streamed:
            return response
        response.set_etag(page_etag(response.get_data()), weak=True)
        response.headers["Cache-Control"] = REVALIDATE
        return response.make_conditional(request)

    return wrapper
