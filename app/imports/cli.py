"""``flask import FILE [--dry-run]``: the same plan and services as the page and the API;
non-zero exit and nothing written when any row is in error."""

import os
import sys

import click
from flask_babel import force_locale

from app.core.errors import SuiviError
from app.core.roles import SystemActor
from app.extensions import db
from app.imports import services
from app.imports.errors import ImportRefused

CLI_ACTOR = SystemActor("import")
SHOWN_ERRORS = 50


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change.")
def import_command(path: str, dry_run: bool) -> None:
    """Import items from an XLSX or CSV FILE (columns: code, kind, title, text, source,
    section, themes, lead, supporting, owner, due_date, priority, status, progress,
    addresses)."""
    name = os.path.basename(path)
    with force_locale("en"), open(path, "rb") as stream:
        try:
            counts = services.import_file(CLI_ACTOR, stream, name, dry_run=dry_run)
        except ImportRefused as exc:
            db.session.rollback()
            for error in exc.errors[:SHOWN_ERRORS]:
                click.echo(f"row {error.row}, {error.column or 'file'}: {error.text()}", err=True)
            more = len(exc.errors) - SHOWN_ERRORS
            if more > 0:
                click.echo(f"... and {more} more problems.", err=True)
            click.echo(f"Error: {exc.message}", err=True)
            sys.exit(1)
        except SuiviError as exc:
            db.session.rollback()
            click.echo(f"Error: {exc.message}", err=True)
            sys.exit(1)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "Would import" if dry_run else "Imported"
    click.echo(
        f"{verb} {counts['rows']} rows: {counts['new']} new, {counts['changed']} changed, "
        f"{counts['unchanged']} unchanged."
    )
