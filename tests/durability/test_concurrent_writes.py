"""Concurrent writers through several server processes on one database: every writer
succeeds or gets a 409, readers are served meanwhile, and the audit chain stays whole."""

import sqlite3
import threading
import time
from contextlib import ExitStack

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from app.audit import verify_chain
from tests.conftest import is_postgres
from tests.durability.servers import (
    Server,
    database_url,
    prepare,
    request,
    web_get,
    web_login,
)

CLIENTS = 6
ROUNDS = 5
LOCK_SECONDS = 3.0


def _databases():
    kinds = [pytest.param("sqlite", id="sqlite")]
    if is_postgres():
        kinds.append(pytest.param("postgresql", id="postgresql"))
    return kinds


def _at_once(calls):
    """Run every call in its own thread, released together; their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(n):
        barrier.wait()
        results[n] = calls[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _update(port, token, item_id, version, note, progress):
    body = {"status": "in_progress", "progress": progress, "note": note, "version": version}
    return lambda: request(port, "POST", f"/api/v1/items/{item_id}/updates", token, body)


@pytest.mark.parametrize("kind", _databases())
@pytest.mark.parametrize("server", ["waitress", "gunicorn"])
def test_six_writers_on_one_item_through_two_servers_get_201_or_409(kind, server):
    prepared = prepare(database_url(kind, "concurrency"), items=1, tokens=CLIENTS + 1)
    item_id = prepared.item_ids[0]
    writes, reads = [], []
    with ExitStack() as stack:
        servers = [stack.enter_context(Server(server, prepared)) for _ in range(2)]
        ports = [s.port for s in servers]
        cookie = web_login(ports[1], "manager@example.org")
        for round_no in range(ROUNDS):
            status, item = request(ports[0], "GET", f"/api/v1/items/{item_id}", prepared.tokens[0])
            assert status == 200, item
            version = item["version"]
            calls = [
                _update(ports[n % 2], prepared.tokens[n], item_id, version, f"r{round_no}c{n}", n)
                for n in range(CLIENTS)
            ]
            calls.append(
                lambda: request(ports[0], "GET", f"/api/v1/items/{item_id}", prepared.tokens[-1])
            )
            calls.append(lambda: web_get(ports[1], f"/items/{item_id}", cookie))
            *answers, api_read, page_read = _at_once(calls)
            unexpected = [body for status, body in answers if status not in (201, 409)]
            assert unexpected == [], (unexpected, servers[0].output(), servers[1].output())
            writes.append(sorted(status for status, _body in answers))
            reads.append((api_read[0], page_read))
    assert writes == [[201] + [409] * (CLIENTS - 1)] * ROUNDS
    assert reads == [(200, 200)] * ROUNDS
    engine = create_engine(prepared.url)
    with engine.connect() as connection:
        result = verify_chain(connection)
    engine.dispose()
    assert result.ok, result
    assert result.checked > 0, result


def test_pages_are_read_while_another_process_holds_the_write_lock():
    """A page is a read: it does not queue behind a writer (WAL, deferred BEGIN), while a
    write waits for the lock and then succeeds instead of failing at once."""
    prepared = prepare(database_url("sqlite", "readers"), items=1, tokens=1)
    item_id = prepared.item_ids[0]
    path = make_url(prepared.url).database
    with Server("waitress", prepared) as server:
        cookie = web_login(server.port, "manager@example.org")
        _status, item = request(server.port, "GET", f"/api/v1/items/{item_id}", prepared.tokens[0])
        assert web_get(server.port, f"/items/{item_id}", cookie) == 200  # warm: templates built
        writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        writer.execute("BEGIN IMMEDIATE")
        released = threading.Timer(LOCK_SECONDS, writer.execute, args=("COMMIT",))
        released.start()
        try:
            started = time.monotonic()
            page = web_get(server.port, f"/items/{item_id}", cookie)
            page_seconds = time.monotonic() - started
            answer = _update(server.port, prepared.tokens[0], item_id, item["version"], "w", 30)()
            write_seconds = time.monotonic() - started
        finally:
            released.join()
            writer.close()
    assert page == 200, page_seconds
    assert page_seconds < LOCK_SECONDS / 2, page_seconds
    assert answer[0] == 201, (answer, write_seconds)
    assert write_seconds >= LOCK_SECONDS - 0.1, (answer, write_seconds)
