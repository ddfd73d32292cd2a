"""Helpers for tests that go through the web pages: CSRF tokens and logging in."""

import re

from tests.factories import PASSWORD

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token a form at ``path`` carries."""
    html = client.get(path).get_data(as_text=True)
    match = _CSRF.search(html)
    assert match, f"no csrf_token in {path}"
    return match.group(1)


def login(client, user, password: str = PASSWORD):
    """Log ``client`` in as ``user`` through the real login form."""
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": user.email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def form_post(client, path: str, data: dict, form_path: str | None = None, **kwargs):
    """POST ``data`` to ``path`` with the CSRF token of the page ``form_path`` (default path)."""
    data = {"csrf_token": csrf_token(client, form_path or path), **data}
    return client.post(path, data=data, **kwargs)
