"""SQLite settings per connection: foreign keys on, a busy timeout, and real transactions.

pysqlite starts transactions lazily and only before writes, which breaks SAVEPOINT and lets a
read slip outside the transaction; SQLAlchemy's documented fix hands BEGIN to SQLAlchemy.
"""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db


def _on_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _on_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


def configure_engine(engine: Engine) -> None:
    """Apply the settings to a SQLite engine; other engines are left alone."""
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _on_connect):
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)


def configure(app: Flask) -> None:
    """Configure this app's engine."""
    with app.app_context():
        configure_engine(db.engine)
