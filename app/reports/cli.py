"""``flask report``: write a status report to a file, for scheduled reports."""

import os
import sys
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from app import audit
from app.core.errors import SuiviError
from app.core.validation import InvalidArguments, given
from app.extensions import db
from app.items.queries import stale_days
from app.reports import exports
from app.reports.arguments import ReportArgs, parse_report_args
from app.reports.exports import ExportSpec


@click.command("report")
@click.option(
    "--format", "fmt", type=click.Choice(exports.FORMATS), required=True, help="csv, xlsx or pdf."
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="The file to write; a directory puts suivi-status-<date>.<format> in it.",
)
@click.option("--as-of", "as_of", default=None, help="YYYY-MM-DD: the data as it stood then.")
@click.option("--since", default=None, help="YYYY-MM-DD: what changed since the end of that day.")
@click.option("--kind", default=None)
@click.option("--status", default=None)
@click.option("--lead", default=None, help="Organisation acronym or id.")
@click.option("--theme", default=None, help="Theme code or id.")
@click.option("--overdue", default=None, help="true or false.")
@click.option("--stale", default=None, help="true or false.")
@click.option("--q", default=None, help="Text to look for.")
@click.option(
    "--lang", type=click.Choice(("en", "fr")), default="en", help="The language people read."
)
@click.option("--base-url", default=None, help="Address of Suivi, for the links in exports.")
@with_appcontext
def report_command(fmt: str, out: str, lang: str, base_url: str | None, **arguments: Any) -> None:
    """Write a status report (CSV, XLSX or PDF) with the item list's filters."""
    spec = ExportSpec.from_args(
        _report_args(arguments),
        stale_days=stale_days(),
        base_url=base_url or current_app.config["BASE_URL"],
        locale=lang,
    )
    if os.path.isdir(out):
        out = os.path.join(out, exports.filename(fmt, spec.day))
    audit.set_actor(db.session, audit.system_actor("report"))
    try:
        _write(fmt, out, spec)
        exports.record_export(fmt, spec)
    except SuiviError as exc:
        db.session.rollback()
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(2)
    db.session.commit()
    click.echo(f"Wrote {out}")


def _report_args(arguments: dict[str, Any]) -> ReportArgs:
    """The filters, ``as_of`` and ``since`` given; every bad one said, then exit 2."""
    try:
        return parse_report_args(given(arguments))
    except SuiviError as exc:
        errors = exc.errors.values() if isinstance(exc, InvalidArguments) else [exc]
        for error in errors:
            click.echo(f"Error: {error.message}", err=True)
        sys.exit(2)


def _write(fmt: str, out: str, spec: ExportSpec) -> None:
    """Write the export in ``fmt`` to the file ``out``."""
    if fmt == "csv":
        with open(out, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(exports.csv_lines(spec))
    elif fmt == "xlsx":
        exports.write_xlsx(spec, out)
    else:
        with open(out, "wb") as handle:
            handle.write(exports.export_bytes("pdf", spec))
