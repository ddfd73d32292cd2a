"""Rows for the bulk writer: the hash chain continued in memory, audit events in the shape the
flush hook writes (``app/audit/tracking.py``), and a writer that inserts many rows at once
(SQLAlchemy Core executemany, or COPY on PostgreSQL)."""

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, text

from app.audit import chain
from app.audit.tracking import jsonable

EVENTS = chain.table


class Chain:
    """The audit chain continued from its head: numbered, linked and hashed events."""

    def __init__(self, connection: Connection):
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": chain.CHAIN_LOCK_KEY}
            )
        head = connection.execute(
            select(EVENTS.c.id, EVENTS.c.hash).order_by(EVENTS.c.id.desc()).limit(1)
        ).first()
        self.next_id = (head.id + 1) if head else 1
        self.previous = head.hash if head else chain.GENESIS
        self.pending: list[dict] = []

    def add(self, at: datetime, actor: tuple[int, str], action: str, record: tuple, changes):
        """Append one event about ``record`` (table, id) in an item's history."""
        row = {
            "id": self.next_id,
            "created_at": at,
            "actor_id": actor[0],
            "actor": actor[1],
            "action": action,
            "record_type": record[0],
            "record_id": record[1],
            "scope_type": "items",
            "scope_id": record[2],
            "changes": changes,
            "prev_hash": self.previous,
        }
        row["hash"] = self.previous = chain.compute_hash(row)
        self.next_id += 1
        self.pending.append(row)

    def take(self) -> list[dict]:
        rows, self.pending = self.pending, []
        return rows


def item_inserted(item: dict, supporting: list[int], themes: list[int]) -> dict:
    """What the hook records when ``create_item`` adds an item."""
    changes = {
        key: jsonable(item[key])
        for key in ("kind", "title", "text", "source_section", "priority", "lead_id")
    }
    if item["due_date"] is not None:
        changes["due_date"] = item["due_date"].isoformat()
    changes.update(
        status="not_started",
        progress=0,
        version=1,
        last_update_at=jsonable(item["created_at"]),
        created_by_id=item["created_by_id"],
        id=item["id"],
    )
    if supporting:
        changes["supporting"] = sorted(supporting)
    if themes:
        changes["themes"] = sorted(themes)
    return changes


def update_inserted(update: dict) -> dict:
    """What the hook records for a new status update."""
    keys = ("item_id", "author_id", "from_status", "to_status", "from_progress", "progress")
    return {**{k: update[k] for k in keys}, "note": update["note"], "id": update["id"]}


def item_updated(update: dict, last_update_at: datetime, version: int) -> dict:
    """What the hook records on the item when ``change_status`` moves it."""
    changes = {}
    if update["from_status"] != update["to_status"]:
        changes["status"] = [update["from_status"], update["to_status"]]
    if update["from_progress"] != update["progress"]:
        changes["progress"] = [update["from_progress"], update["progress"]]
    changes["last_update_at"] = [jsonable(last_update_at), jsonable(update["created_at"])]
    changes["version"] = [version - 1, version]
    return changes


def field_changed(field: str, old, new, version: int) -> dict:
    """What the hook records when ``assign_item`` changes the lead or the due date."""
    return {field: [jsonable(old), jsonable(new)], "version": [version - 1, version]}


def comment_inserted(comment: dict) -> dict:
    """What the hook records for a new comment."""
    keys = ("item_id", "author_id", "body", "id")
    return {k: comment[k] for k in keys}


def next_id(connection: Connection, table: Any) -> int:
    """The id after the largest one in ``table``."""
    return (connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def insert_rows(connection: Connection, table: Any, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts with the same keys) in one go: COPY on PostgreSQL, an
    executemany elsewhere."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), rows)
        return
    columns = list(rows[0])
    json_columns = {c for c in columns if table.c[c].type.__class__.__name__ == "JSON"}
    raw = connection.connection.driver_connection
    assert raw is not None
    names = ", ".join(columns)
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in json_columns else row[c] for c in columns])


def reset_sequences(connection: Connection, tables: list[Any]) -> None:
    """After rows inserted with their ids, move PostgreSQL's sequences past them."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:  # names from Suivi's own metadata, never from input
        sql = (
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
        )
        connection.execute(text(sql))
