"""SQLite settings per connection: WAL, foreign keys, a busy timeout, and writers that queue.

pysqlite starts transactions lazily and only before writes, which breaks SAVEPOINT and lets a
read slip outside the transaction; SQLAlchemy's documented fix hands BEGIN to SQLAlchemy.

A deferred transaction that reads and then writes cannot wait for the write lock: if another
connection committed since its first read, SQLite refuses the write at once ("database is
locked", whatever the busy timeout). So, as SQLite's documentation advises, a transaction that
will write takes the write lock first, with ``BEGIN IMMEDIATE``, and waits its turn:

- a request that may change something (any method but GET, HEAD, OPTIONS) begins IMMEDIATE;
- everything else (reads, the command line) begins deferred, so readers never queue behind
  writers (WAL lets them read a snapshot while one connection writes). If such a transaction
  writes after all (a token's last use, an export's audit event, a command), its first write
  restarts it as IMMEDIATE: it has written nothing, so nothing is lost, and from then on it
  holds the lock. What it read before comes from the earlier snapshot, as every statement of
  a PostgreSQL READ COMMITTED transaction reads the latest commit: the version checks and the
  unique constraints guard the writes the same way on both. Inside a savepoint the transaction
  cannot be restarted and writes in place.
"""

import re
import sqlite3

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from app.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_BUSY_TIMEOUT_MS = 10_000
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.I)
_DEFERRED = "suivi_deferred"  # connection info: a deferred transaction that has not written
_SAVEPOINTS = "suivi_savepoints"


def _connect_listener(busy_timeout_ms: int):
    def on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        # WAL: readers see a snapshot while one writer works (an in-memory database keeps
        # "memory"). FULL: a commit is on disk before it is acknowledged, power cut included.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    return on_connect


def wants_write_lock() -> bool:
    """True when the transaction being begun belongs to a request that may write."""
    return has_request_context() and request.method not in SAFE_METHODS


def _on_begin(connection) -> None:
    immediate = wants_write_lock()
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
    connection.info[_DEFERRED] = not immediate
    connection.info[_SAVEPOINTS] = 0


def take_write_lock(connection) -> None:
    """Restart a deferred transaction that has not written yet as IMMEDIATE (once): a
    command that reads before it writes (a restore checks the database is empty) calls it
    first, so that what it read cannot change before it writes."""
    if not connection.info.get(_DEFERRED):
        return
    connection.info[_DEFERRED] = False
    if connection.info.get(_SAVEPOINTS, 0) == 0:
        driver = connection.connection.driver_connection
        try:
            driver.execute("ROLLBACK")
            driver.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # waited the busy timeout: a 503, as any
            raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc


def _on_savepoint(connection, _name) -> None:
    take_write_lock(connection)  # a savepoint announces writes; it cannot be restarted
    connection.info[_SAVEPOINTS] = connection.info.get(_SAVEPOINTS, 0) + 1


def _on_savepoint_end(connection, _name, _context) -> None:
    connection.info[_SAVEPOINTS] = max(connection.info.get(_SAVEPOINTS, 0) - 1, 0)


def _before_execute(connection, _cursor, statement, _params, _context, _executemany) -> None:
    if connection.info.get(_DEFERRED) and _WRITE.match(statement):
        take_write_lock(connection)


def _on_end(connection) -> None:
    connection.info[_DEFERRED] = False
    connection.info[_SAVEPOINTS] = 0


def configure_engine(engine: Engine, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> None:
    """Apply the settings to a SQLite engine; other engines are left alone."""
    if engine.dialect.name != "sqlite" or event.contains(engine, "begin", _on_begin):
        return
    event.listen(engine, "connect", _connect_listener(busy_timeout_ms))
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "savepoint", _on_savepoint)
    event.listen(engine, "release_savepoint", _on_savepoint_end)
    event.listen(engine, "rollback_savepoint", _on_savepoint_end)
    event.listen(engine, "before_cursor_execute", _before_execute)
    event.listen(engine, "commit", _on_end)
    event.listen(engine, "rollback", _on_end)


def configure(app: Flask) -> None:
    """Configure this app's engine (``SQLITE_BUSY_TIMEOUT_MS``: how long a writer waits)."""
    with app.app_context():
        configure_engine(
            db.engine, int(app.config.get("SQLITE_BUSY_TIMEOUT_MS", DEFAULT_BUSY_TIMEOUT_MS))
        )
