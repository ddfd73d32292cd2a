"""Login attempts are limited per address: in memory for one worker, in Redis for several.

The suite's app runs with rate limiting off; these tests build their own app instances with it
on. Flask-Limiter's ``limiter`` is one module-level object whose ``init_app`` overwrites its
state (enabled flag, storage), so the ``limiter_state`` fixture puts it back afterwards.
"""

import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from app import create_app
from app.extensions import limiter
from tests.conftest import IsolatedClient, database_url_for_tests
from tests.factories import PASSWORD, make_user
from tests.helpers import csrf_token

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def limiter_state():
    saved = dict(vars(limiter))
    yield
    vars(limiter).clear()
    vars(limiter).update(saved)


def _worker(storage_uri: str, prefix: str = "", limit: str = "3 per minute"):
    """A Suivi app as one worker process would build it, with the login limit on."""
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url_for_tests(),
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=storage_uri,
        RATELIMIT_KEY_PREFIX=prefix,
        LOGIN_RATE_LIMIT=limit,
    )
    app.test_client_class = IsolatedClient
    return app


def _attempt(client, email="nobody@example.org", password="wrong password!", address=None):
    environ = {"REMOTE_ADDR": address} if address else {}
    token = csrf_token(client)
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base=environ,
    )


def test_fourth_login_post_within_a_minute_gets_suivis_429_page():
    app = _worker("memory://")
    client = app.test_client()
    assert [_attempt(client).status_code for _ in range(3)] == [401, 401, 401]
    response = _attempt(client)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "<h1>Too many requests" in html
    assert "Please wait a moment" in html
    assert "Content-Security-Policy" in response.headers
    assert int(response.headers["Retry-After"]) > 0
    # Even the right password waits: the limit comes before any password check.
    user = make_user()
    assert _attempt(client, user.email, PASSWORD).status_code == 429
    # Showing the login form is not limited, and another address is not affected.
    assert client.get("/login").status_code == 200
    assert _attempt(client, user.email, PASSWORD, address="192.0.2.7").status_code == 302


def test_the_429_page_speaks_french():
    client = _worker("memory://", limit="1 per minute").test_client()
    _attempt(client)
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={"email": "x@example.org", "password": "y", "csrf_token": token},
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 429
    assert '<html lang="fr">' in response.get_data(as_text=True)


def _redis_or_skip():
    try:
        import redis

        connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
        connection.ping()
    except Exception as exc:  # any failure means: no Redis to test against
        pytest.skip(f"no Redis answers at {REDIS_URL} (set TEST_REDIS_URL): {exc}")
    return connection


@pytest.fixture
def redis_prefix():
    """A key prefix of our own in Redis, removed afterwards."""
    connection = _redis_or_skip()
    prefix = f"suivi-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


def test_two_workers_share_the_limit_through_redis(redis_prefix):
    worker_a = _worker(REDIS_URL, redis_prefix)
    client_a = worker_a.test_client()
    assert [_attempt(client_a).status_code for _ in range(2)] == [401, 401]
    storage_a = limiter.storage
    # A second worker starts: its own app and its own connection to the storage.
    worker_b = _worker(REDIS_URL, redis_prefix)
    assert limiter.storage is not storage_a
    client_b = worker_b.test_client()
    assert _attempt(client_b).status_code == 401  # the third attempt, counted in Redis
    assert _attempt(client_b).status_code == 429
    assert _attempt(client_a).status_code == 429


def test_without_redis_a_new_worker_would_not_know_the_count():
    """The contrast that shows Redis is what carries the count across workers."""
    client_a = _worker("memory://").test_client()
    assert [_attempt(client_a).status_code for _ in range(2)] == [401, 401]
    client_b = _worker("memory://").test_client()
    assert [_attempt(client_b).status_code for _ in range(2)] == [401, 401]


WORKER_SCRIPT = textwrap.dedent("""
    import re
    import sys

    from app import create_app
    from app.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", RATELIMIT_ENABLED=True,
                     RATELIMIT_STORAGE_URI=sys.argv[1], RATELIMIT_KEY_PREFIX=sys.argv[2],
                     LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        db.create_all()
    client = app.test_client()
    codes = []
    for _ in range(int(sys.argv[3])):
        html = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        codes.append(client.post("/login", data={"email": "a@example.org", "password": "wrong",
                                                 "csrf_token": token}).status_code)
    print(" ".join(map(str, codes)))
""")


def test_two_worker_processes_share_the_limit_through_redis(redis_prefix):
    def run(attempts: int) -> str:
        result = subprocess.run(
            [sys.executable, "-c", WORKER_SCRIPT, REDIS_URL, redis_prefix, str(attempts)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "SUIVI_CONFIG": "testing"},
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout.strip().splitlines()[-1]

    assert run(2) == "401 401"
    assert run(2) == "401 429"
