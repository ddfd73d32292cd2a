"""A real Redis for the queue's tests: TEST_REDIS_URL (required when set), else the default
test database, skipped when nothing answers. Each test uses a queue and a worker named with a
fresh token and deletes only the keys carrying it."""

import os
import uuid

import pytest

from tests.jobs import helpers

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(autouse=True)
def _clear_calls():
    helpers.CALLS.clear()
    helpers.FAILURES.clear()


@pytest.fixture
def redis_queue(app):
    """``(connection, token)`` with the app's queue on Redis; the keys made are removed."""
    from redis import Redis
    from redis.exceptions import RedisError

    url = os.environ.get("TEST_REDIS_URL") or DEFAULT_REDIS_URL
    connection = Redis.from_url(url, socket_connect_timeout=2)
    try:
        connection.ping()
    except RedisError as exc:
        if os.environ.get("TEST_REDIS_URL"):
            pytest.fail(f"TEST_REDIS_URL is set but Redis does not answer at {url}: {exc}")
        pytest.skip(f"no Redis answers at {url} (set TEST_REDIS_URL to require it)")
    token = f"suivi-test-{uuid.uuid4().hex[:12]}"
    saved = {k: app.config[k] for k in ("REDIS_URL", "JOB_QUEUE", "JOB_RETRY_DELAYS")}
    app.config.update(REDIS_URL=url, JOB_QUEUE=token, JOB_RETRY_DELAYS=(0,))
    try:
        yield connection, token
    finally:
        app.config.update(saved)
        keys = list(connection.scan_iter(match=f"*{token}*", count=1000))
        if keys:
            connection.delete(*keys)
        connection.srem("rq:queues", f"rq:queue:{token}")
        for member in connection.smembers("rq:workers"):
            if token.encode() in member:
                connection.srem("rq:workers", member)
        connection.close()
