"""``flask audit verify [--replay]`` and ``flask audit checkpoint``: check and sign the trail."""

import os
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from app.audit import checkpoint
from app.audit.chain import verify_chain
from app.audit.replay import replay
from app.extensions import Model, db

audit_cli = AppGroup("audit", help="Check the audit trail and sign its head.")
SHOWN_DISCREPANCIES = 200


def checkpoint_file() -> str:
    """``AUDIT_CHECKPOINT_FILE``, by default a file in the instance folder."""
    return current_app.config.get("AUDIT_CHECKPOINT_FILE") or os.path.join(
        current_app.instance_path, checkpoint.FILE_NAME
    )


def _fail(message: str) -> None:
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _checkpoints(path: str) -> list[checkpoint.Checkpoint]:
    try:
        return checkpoint.load(path, current_app.config.get("AUDIT_CHECKPOINT_KEY"))
    except checkpoint.CheckpointError as exc:
        _fail(f"the checkpoint file {path} cannot be trusted: {exc}")
    return []  # not reached


@audit_cli.command("verify")
@click.option(
    "--replay",
    "with_replay",
    is_flag=True,
    help="Also rebuild every record from its events and name each one they do not explain.",
)
def audit_verify(with_replay: bool) -> None:
    """Walk the hash chain and check it against the signed checkpoints; exit 0 when intact,
    1 naming the first broken or missing event (and, with --replay, every record whose
    stored state its events do not explain)."""
    path = checkpoint_file()
    checkpoints = _checkpoints(path)
    connection = db.session.connection()
    result = verify_chain(connection, checkpoints=checkpoints)
    if not result.ok:
        click.echo(
            f"Audit chain broken at event {result.bad_id}: {result.reason} "
            f"({result.checked} events before it are intact).",
            err=True,
        )
        sys.exit(1)
    click.echo(f"Audit chain intact: {result.checked} events checked.")
    if checkpoints:
        latest = checkpoints[-1]
        click.echo(
            f"It matches the {len(checkpoints)} signed checkpoints of {path}; the latest "
            f"({latest.at}, event {latest.event_id}) is followed by "
            f"{result.checked - latest.events} events."
        )
    else:
        click.echo(
            f"Warning: no checkpoint in {path}: the removal of the newest events cannot be "
            "detected. Run `flask audit checkpoint` regularly.",
            err=True,
        )
    if with_replay:
        outcome = replay(connection, Model.registry)
        if not outcome.ok:
            for discrepancy in outcome.discrepancies[:SHOWN_DISCREPANCIES]:
                click.echo(f"Not explained by the audit trail: {discrepancy}", err=True)
            hidden = len(outcome.discrepancies) - SHOWN_DISCREPANCIES
            if hidden > 0:
                click.echo(f"... and {hidden} more.", err=True)
            count = len(outcome.discrepancies)
            click.echo(
                f"Replay: {count} {'discrepancy' if count == 1 else 'discrepancies'} between "
                f"the database and its {outcome.events} row events.",
                err=True,
            )
            sys.exit(1)
        click.echo(
            f"Replay: the {outcome.records} tracked records are exactly what their "
            f"{outcome.events} events describe."
        )


@audit_cli.command("checkpoint")
def audit_checkpoint() -> None:
    """Verify the chain, then append its signed head to AUDIT_CHECKPOINT_FILE (HMAC with
    AUDIT_CHECKPOINT_KEY). Refuses to sign a chain that does not verify."""
    try:
        key = checkpoint.check_key(current_app.config.get("AUDIT_CHECKPOINT_KEY"))
    except checkpoint.CheckpointError as exc:
        _fail(str(exc))
    path = checkpoint_file()
    checkpoints = _checkpoints(path)
    result = verify_chain(db.session.connection(), checkpoints=checkpoints)
    db.session.rollback()
    if not result.ok:
        _fail(
            f"the audit chain does not verify (event {result.bad_id}: {result.reason}); "
            "no checkpoint was recorded."
        )
    latest = checkpoints[-1] if checkpoints else None
    if latest is not None and (latest.event_id, latest.events) == (result.last_id, result.checked):
        click.echo(f"No new events since the latest checkpoint ({latest.at}); nothing recorded.")
        return
    record = checkpoint.signed_record(key, result.last_id, result.last_hash, result.checked)
    try:
        checkpoint.append(path, record)
    except OSError as exc:
        _fail(f"cannot write the checkpoint to {path}: {exc}")
    click.echo(
        f"Checkpoint recorded in {path}: event {result.last_id}, {result.checked} events, "
        f"head {result.last_hash[:16]}…"
    )
