"""Signed checkpoints: removing the newest events, or rewriting one and recomputing every
hash after it, passes the bare chain check but not `flask audit verify`."""

import json

import pytest
from sqlalchemy import select, update

from app import audit
from app.audit import guard
from app.audit.chain import compute_hash
from app.audit.models import AuditEvent
from app.extensions import db
from tests.factories import make_org

table = AuditEvent.__table__


@pytest.fixture
def checkpoints(app, tmp_path, monkeypatch):
    path = tmp_path / "checkpoints.jsonl"
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_FILE", str(path))
    return path


def _events(n: int, prefix: str = "CP") -> None:
    for i in range(n):
        make_org(f"{prefix}{i}")
    db.session.commit()  # the commands roll back their own work, not this setup


def _ids() -> list[int]:
    return list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def _rewrite_and_rechain(victim: int) -> None:
    """Change one event and recompute its hash and every later link, as a forger would."""
    connection = db.session.connection()
    guard.remove(connection)  # the database's owner may drop the triggers
    connection.execute(update(table).where(table.c.id == victim).values(actor="forged"))
    rows = connection.execute(select(table).where(table.c.id >= victim).order_by(table.c.id))
    previous = connection.execute(
        select(table.c.hash).where(table.c.id < victim).order_by(table.c.id.desc()).limit(1)
    ).scalar_one()
    for row in [dict(r) for r in rows.mappings()]:
        row["prev_hash"] = previous
        previous = compute_hash(row)
        connection.execute(
            update(table)
            .where(table.c.id == row["id"])
            .values(prev_hash=row["prev_hash"], hash=previous)
        )


def test_a_checkpoint_signs_the_head_and_verify_matches_it(cli, checkpoints):
    _events(3)
    result = cli.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    (line,) = checkpoints.read_text().splitlines()
    record = json.loads(line)
    last = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (record["event_id"], record["hash"]) == (last.id, last.hash)
    assert record["events"] == len(_ids())
    assert len(record["mac"]) == 64
    _events(2, "LATER")
    verify = cli.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output
    assert "matches the 1 signed checkpoints" in verify.output
    assert "followed by 2 events" in verify.output


def test_removing_the_newest_events_is_detected(cli, checkpoints):
    _events(5)
    assert cli.invoke(args=["audit", "checkpoint"]).exit_code == 0
    ids = _ids()
    connection = db.session.connection()
    guard.remove(connection)
    connection.execute(table.delete().where(table.c.id >= ids[-2]))
    assert audit.verify_chain(connection).ok  # the chain alone cannot tell
    result = cli.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken at event {ids[-1]}: it is missing" in result.output
    assert f"recorded {len(ids)} events" in result.output
    assert f"now holds {len(ids) - 2}" in result.output


def test_rewriting_an_event_and_recomputing_every_hash_is_detected(cli, checkpoints):
    _events(4)
    assert cli.invoke(args=["audit", "checkpoint"]).exit_code == 0
    checkpointed = _ids()[-1]
    _events(2, "AFTER")
    victim = _ids()[-5]
    _rewrite_and_rechain(victim)
    assert audit.verify_chain(db.session.connection()).ok  # the chain alone cannot tell
    result = cli.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken at event {checkpointed}: its hash differs" in result.output
    assert "rewritten" in result.output


def test_a_forged_or_altered_checkpoint_is_refused(cli, checkpoints, app, monkeypatch):
    _events(2)
    assert cli.invoke(args=["audit", "checkpoint"]).exit_code == 0
    record = json.loads(checkpoints.read_text())
    record["events"] += 1
    checkpoints.write_text(json.dumps(record) + "\n")
    altered = cli.invoke(args=["audit", "verify"])
    assert altered.exit_code == 1
    assert "line 1 does not match its signature" in altered.output
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_KEY", "another-key-" + "x" * 30)
    other = cli.invoke(args=["audit", "verify"])
    assert other.exit_code == 1
    assert "signed with another key" in other.output
    checkpoints.write_text("not json\n")
    garbage = cli.invoke(args=["audit", "verify"])
    assert garbage.exit_code == 1
    assert "line 1 is not a checkpoint" in garbage.output


def test_checkpoint_needs_a_long_enough_key(cli, checkpoints, app, monkeypatch):
    _events(1)
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_KEY", None)
    missing = cli.invoke(args=["audit", "checkpoint"])
    assert missing.exit_code == 1
    assert "AUDIT_CHECKPOINT_KEY is not set" in missing.output
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_KEY", "short")
    short = cli.invoke(args=["audit", "checkpoint"])
    assert short.exit_code == 1
    assert "too short" in short.output
    assert not checkpoints.exists()


def test_verify_cannot_check_checkpoints_without_the_key(cli, checkpoints, app, monkeypatch):
    _events(1)
    assert cli.invoke(args=["audit", "checkpoint"]).exit_code == 0
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_KEY", None)
    result = cli.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "AUDIT_CHECKPOINT_KEY is not set" in result.output


def test_checkpoint_refuses_to_sign_a_broken_chain(cli, checkpoints):
    _events(3)
    connection = db.session.connection()
    guard.remove(connection)
    victim = _ids()[1]
    connection.execute(update(table).where(table.c.id == victim).values(actor="forged"))
    result = cli.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 1
    assert f"does not verify (event {victim}" in result.output
    assert not checkpoints.exists()


def test_checkpoint_records_nothing_when_nothing_happened(cli, checkpoints):
    _events(1)
    assert cli.invoke(args=["audit", "checkpoint"]).exit_code == 0
    again = cli.invoke(args=["audit", "checkpoint"])
    assert again.exit_code == 0
    assert "nothing recorded" in again.output
    assert len(checkpoints.read_text().splitlines()) == 1


def test_without_a_checkpoint_verify_passes_and_warns(cli, checkpoints):
    _events(1)
    result = cli.invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "intact" in result.output
    assert "no checkpoint" in result.output
