"""``flask backup FILE`` and ``flask restore FILE [--replace]``."""

import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from app.backup.archive import BackupError
from app.backup.operations import make_backup, restore_backup
from app.extensions import db


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("backup")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path: str) -> None:
    """Write the whole database (audit trail included) and the evidence files to FILE, a
    zip with a checksummed manifest, from one consistent snapshot. FILE must not exist.
    Exit 1 if a stored file is missing or altered (the backup is written all the same)."""
    started = time.monotonic()
    try:
        report = make_backup(db.engine, db.metadata, current_app.config, path)
    except (BackupError, OSError, SQLAlchemyError) as exc:
        _fail(f"no backup was written: {exc}")
    click.echo(
        f"Backup written to {path}: {report.tables} tables, {report.rows} rows, "
        f"{report.files} files, {report.size / 1024:.0f} KiB, schema revision "
        f"{report.revision}, in {time.monotonic() - started:.1f} s."
    )
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if report.warnings:
        sys.exit(1)


@click.command("restore")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False))
@click.option(
    "--replace",
    is_flag=True,
    help="Discard what the database holds (in the same transaction) instead of refusing.",
)
@with_appcontext
def restore_command(path: str, replace: bool) -> None:
    """Restore a backup made by `flask backup` into this database, which must be at the
    backup's schema revision and empty (or --replace). Everything is checked before anything
    is written, and written in one transaction: a damaged or foreign file changes nothing."""
    started = time.monotonic()
    try:
        report = restore_backup(db.engine, db.metadata, current_app.config, path, replace)
    except (BackupError, OSError, SQLAlchemyError) as exc:
        _fail(f"nothing was restored: {exc}")
    click.echo(
        f"Restored {path}: {report.tables} tables, {report.rows} rows, {report.files} files, "
        f"schema revision {report.revision}, in {time.monotonic() - started:.1f} s."
    )
    chain = report.chain
    if chain is not None and not chain.ok:
        click.echo(
            f"Warning: the restored audit chain does not verify (event {chain.bad_id}: "
            f"{chain.reason}); it was restored as the backup held it.",
            err=True,
        )
    elif chain is not None:
        click.echo(f"The restored audit chain verifies ({chain.checked} events).")
