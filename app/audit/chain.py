"""The hash chain: each event's hash covers its content and the previous event's hash."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Connection, Table, select, text

from app.audit.models import AuditEvent
from app.core.time import as_utc

GENESIS = "0" * 64
# pg_advisory_xact_lock key serialising appends to the chain (any constant will do).
CHAIN_LOCK_KEY = 0x5A1F1
HASHED_FIELDS = (
    "created_at",
    "actor_id",
    "actor",
    "action",
    "record_type",
    "record_id",
    "scope_type",
    "scope_id",
    "changes",
    "prev_hash",
)

# A mapped class's __table__ is its Table; SQLAlchemy types it as the wider FromClause.
table = cast(Table, AuditEvent.__table__)


def canonical_time(value: datetime) -> str:
    """A timestamp as the chain hashes it and the trail stores it: UTC, microseconds, Z."""
    return as_utc(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def compute_hash(row: dict) -> str:
    """SHA-256 of the canonical JSON of the hashed fields of ``row``."""
    content = {name: row[name] for name in HASHED_FIELDS}
    content["created_at"] = canonical_time(row["created_at"])
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(connection: Connection, rows: list[dict]) -> None:
    """Chain ``rows`` after the last event and insert them, in this transaction.

    On PostgreSQL a transaction-scoped advisory lock makes concurrent writers take turns,
    so two transactions never chain onto the same predecessor; the unique ``prev_hash``
    makes a fork impossible on any database.
    """
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    previous = (
        connection.execute(
            select(table.c.hash).order_by(table.c.id.desc()).limit(1)
        ).scalar_one_or_none()
        or GENESIS
    )
    for row in rows:
        row["prev_hash"] = previous
        row["hash"] = previous = compute_hash(row)
    for row in rows:  # one statement each keeps ids in chain order on every backend
        connection.execute(table.insert().values(**row))


@dataclass
class VerifyResult:
    """Outcome of walking the chain: ``last_id``/``last_hash`` are the head it reached."""

    ok: bool
    checked: int
    bad_id: int | None = None
    reason: str = ""
    last_id: int | None = None
    last_hash: str = GENESIS


def verify_chain(connection: Connection, batch: int = 1000, checkpoints=()) -> VerifyResult:
    """Walk every event in id order; report the first whose link or hash is wrong.

    ``checkpoints`` (``checkpoint.Checkpoint``, oldest first) are heads of the chain signed
    earlier: the event each names must still be there, with the same hash and as many events
    up to it, so that rewriting history (even with every later hash recomputed) or removing
    the newest events is detected up to the latest checkpoint.
    """
    expected = {cp.event_id: cp for cp in checkpoints if cp.event_id is not None}
    previous = GENESIS
    checked = 0
    last_id = None
    columns = [table.c.id, table.c.hash, *(table.c[name] for name in HASHED_FIELDS)]
    stmt = select(*columns).order_by(table.c.id).execution_options(yield_per=batch)
    with connection.execute(stmt) as result:
        for row in result.mappings():
            if row["prev_hash"] != previous:
                return VerifyResult(False, checked, row["id"], "previous hash does not match")
            if compute_hash(dict(row)) != row["hash"]:
                return VerifyResult(False, checked, row["id"], "content does not match its hash")
            previous = row["hash"]
            last_id = row["id"]
            checked += 1
            checkpoint = expected.pop(row["id"], None)
            if checkpoint is not None and checkpoint.hash != row["hash"]:
                return VerifyResult(
                    False,
                    checked - 1,
                    row["id"],
                    f"its hash differs from the one signed at {checkpoint.at}: the events up "
                    "to it were rewritten and the chain recomputed",
                )
            if checkpoint is not None and checkpoint.events != checked:
                return VerifyResult(
                    False,
                    checked - 1,
                    row["id"],
                    f"the checkpoint of {checkpoint.at} counted {checkpoint.events} events up "
                    f"to it, the chain now holds {checked}: events were removed or added",
                )
    latest = checkpoints[-1] if checkpoints else None
    if expected:
        missing = min(expected.values(), key=lambda cp: cp.line)
    else:
        missing = latest if latest is not None and latest.events > checked else None
    if missing is not None:
        return VerifyResult(
            False,
            checked,
            missing.event_id,
            f"it is missing: the checkpoint of {missing.at} recorded {missing.events} events up "
            f"to event {missing.event_id}, the chain now holds {checked}: events were removed",
            last_id,
            previous,
        )
    return VerifyResult(True, checked, last_id=last_id, last_hash=previous)
