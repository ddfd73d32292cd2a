"""The database's own floor under each request: run the request once in process, record the
SQL it sends, then time those statements executed directly on a DBAPI connection.

The in-process run happens in a transaction rolled back afterwards (the request's commits
release savepoints), so it leaves no trace; the replay is rolled back too, and the cost of a
durable commit, timed apart, is added once for each commit after a write.
"""

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import Flask
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import event
from sqlalchemy.orm import scoped_session, sessionmaker

from app.extensions import db

# Transaction control is the replay's own: these are not replayed.
SKIPPED = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")
WRITES = ("INSERT", "UPDATE", "DELETE")


@dataclass
class Recorded:
    """The statements of one request and how many of its commits followed a write."""

    statements: list[tuple] = field(default_factory=list)
    commits: int = 0


class Recorder:
    """Listens to the engine and keeps what one request sends while ``on``."""

    def __init__(self, engine):
        self.on = False
        self.current = Recorded()
        self._dirty = False
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, parameters, _context, executemany):
        if not self.on:
            return
        head = statement.lstrip().upper()
        if head.startswith("RELEASE SAVEPOINT"):
            self.current.commits += int(self._dirty)
            self._dirty = False
        if head.startswith(SKIPPED):
            return
        self._dirty = self._dirty or head.startswith(WRITES)
        self.current.statements.append((statement, parameters, executemany))

    @contextmanager
    def recording(self):
        self.current, self._dirty, self.on = Recorded(), False, True
        try:
            yield self.current
        finally:
            self.on = False


@contextmanager
def rolled_back(app: Flask):
    """Every request made inside runs on one connection whose transaction is rolled back."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        original = db.session
        db.session = scoped_session(factory, scopefunc=_app_ctx_id)  # type: ignore[arg-type]
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


def _run(cursor, statements) -> None:
    for statement, parameters, many in statements:
        if many:
            cursor.executemany(statement, parameters)
        else:
            cursor.execute(statement, parameters)
        if cursor.description is not None:
            cursor.fetchall()


def replay_seconds(raw, dialect: str, statements) -> float:
    """Seconds to execute ``statements`` in one transaction (rolled back afterwards)."""
    cursor = raw.cursor()
    started = time.perf_counter()
    if dialect == "sqlite":
        cursor.execute("BEGIN")
    try:
        _run(cursor, statements)
        return time.perf_counter() - started
    finally:
        if dialect == "sqlite":
            cursor.execute("ROLLBACK")
        else:
            raw.rollback()
        cursor.close()


def commit_seconds(raw, dialect: str, token_id: int) -> float:
    """Seconds for the smallest durable write: one row updated and committed."""
    mark = "?" if dialect == "sqlite" else "%s"
    sql = f"UPDATE api_tokens SET last_used_at = {mark} WHERE id = {mark}"  # noqa: S608
    cursor = raw.cursor()
    started = time.perf_counter()
    if dialect == "sqlite":
        cursor.execute("BEGIN")
    now = datetime.now(UTC)
    value = now.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite" else now
    cursor.execute(sql, (value, token_id))
    if dialect == "sqlite":
        cursor.execute("COMMIT")
    else:
        raw.commit()
    cursor.close()
    return time.perf_counter() - started


def statement_seconds(raw, dialect: str, statements) -> list[tuple[float, str]]:
    """Each statement's own time (in one transaction rolled back), slowest first."""
    cursor = raw.cursor()
    timed = []
    if dialect == "sqlite":
        cursor.execute("BEGIN")
    try:
        for statement in statements:
            started = time.perf_counter()
            _run(cursor, [statement])
            timed.append((time.perf_counter() - started, statement[0]))
    finally:
        if dialect == "sqlite":
            cursor.execute("ROLLBACK")
        else:
            raw.rollback()
        cursor.close()
    return sorted(timed, reverse=True)
