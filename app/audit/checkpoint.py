"""Signed checkpoints of the chain's head, kept outside the database.

The hash chain alone proves only that the events agree with each other: whoever can write to
the database can delete the newest events, or change one and recompute every hash after it,
and the chain still verifies. A checkpoint records the head of the chain (the last event's
id and hash, and how many events lead to it) with an HMAC under a key the database never
sees (``AUDIT_CHECKPOINT_KEY``), one JSON line appended to a file outside the database
(``AUDIT_CHECKPOINT_FILE``). ``verify_chain`` then requires every checkpointed event to be
there, unchanged: history up to the latest checkpoint can no longer be rewritten or cut short
unnoticed. Keep the file where the database's users cannot write (another host, an
append-only file: ``chattr +a``); a forged line fails its signature, a removed line is the
one thing the file itself cannot show.
"""

import hashlib
import hmac
import itertools
import json
import os
from dataclasses import dataclass

from app.core.time import utcnow

FORMAT = "suivi-audit-checkpoint/1"
KEY_MIN_LENGTH = 32
FILE_NAME = "audit-checkpoints.jsonl"
_SIGNED = ("format", "at", "event_id", "hash", "events", "key_id")


class CheckpointError(Exception):
    """The checkpoint file or key cannot be trusted or used; the message says why."""


@dataclass(frozen=True)
class Checkpoint:
    """One signed head of the chain, as read back from the file (``line`` from 1)."""

    line: int
    at: str
    event_id: int | None
    hash: str
    events: int


def check_key(key: str | None) -> bytes:
    """The key as bytes; ``CheckpointError`` when it is missing or too short."""
    if not key:
        raise CheckpointError(
            "AUDIT_CHECKPOINT_KEY is not set: checkpoints are signed with it (generate one "
            'with: python -c "import secrets; print(secrets.token_hex(32))").'
        )
    if len(key) < KEY_MIN_LENGTH:
        raise CheckpointError(
            f"AUDIT_CHECKPOINT_KEY is too short: use at least {KEY_MIN_LENGTH} characters."
        )
    return key.encode("utf-8")


def key_id(key: bytes) -> str:
    """A name for the key that reveals nothing of it, to tell 'another key' from 'forged'."""
    return hmac.new(key, b"suivi audit checkpoint key id", hashlib.sha256).hexdigest()[:16]


def _mac(key: bytes, record: dict) -> str:
    content = {name: record.get(name) for name in _SIGNED}
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def signed_record(key: bytes, event_id: int | None, head_hash: str, events: int) -> dict:
    """The line to append for a chain whose head is ``event_id``/``head_hash``."""
    record = {
        "format": FORMAT,
        "at": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "event_id": event_id,
        "hash": head_hash,
        "events": events,
        "key_id": key_id(key),
    }
    record["mac"] = _mac(key, record)
    return record


def append(path: str, record: dict) -> None:
    """Append one line and make it durable before returning (file and, if new, folder)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    created = not os.path.exists(path)
    line = json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _parse(key: bytes, number: int, text: str) -> Checkpoint:
    try:
        record = json.loads(text)
        if not isinstance(record, dict) or record.get("format") != FORMAT:
            raise ValueError
        checkpoint = Checkpoint(
            number, str(record["at"]), record["event_id"], str(record["hash"]), record["events"]
        )
        mac = str(record["mac"])
    except (ValueError, KeyError, TypeError):
        raise CheckpointError(f"line {number} is not a checkpoint.") from None
    if not hmac.compare_digest(mac, _mac(key, record)):
        if record.get("key_id") != key_id(key):
            raise CheckpointError(
                f"line {number} was signed with another key than AUDIT_CHECKPOINT_KEY (or forged)."
            )
        raise CheckpointError(f"line {number} does not match its signature: it was altered.")
    if not isinstance(checkpoint.events, int) or not (
        checkpoint.event_id is None or isinstance(checkpoint.event_id, int)
    ):
        raise CheckpointError(f"line {number} is not a checkpoint.")
    return checkpoint


def load(path: str, key: str | None) -> list[Checkpoint]:
    """Every checkpoint in the file, oldest first; [] when there is no file yet.

    Raises ``CheckpointError`` naming the first line that is not a valid signed checkpoint,
    or when the file holds checkpoints and there is no key to check them with."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = [(n, text) for n, text in enumerate(handle, start=1) if text.strip()]
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckpointError(f"cannot read it: {exc}") from None
    if not lines:
        return []
    secret = check_key(key)
    checkpoints = [_parse(secret, n, text) for n, text in lines]
    for earlier, later in itertools.pairwise(checkpoints):
        if later.events < earlier.events:
            raise CheckpointError(
                f"line {later.line} counts fewer events than line {earlier.line}: the chain "
                "went backwards between them (a restore of an older backup?)."
            )
    return checkpoints
