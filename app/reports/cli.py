"""``flask report``: write a status report to a file, for scheduled reports."""

import os
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from app import audit
from app.core.errors import SuiviError
from app.core.validation import InvalidArguments, given
from app.extensions import db
from app.items.queries import stale_days
from app.reports import exports, xlsx
from app.reports.arguments import parse_report_args


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
@click.option("--since", default=None, help="YYYY-MM-DD: list what changed since (PDF).")
@click.option("--kind", default=None)
@click.option("--status", default=None)
@click.option("--lead", default=None, help="Organisation acronym or id.")
@click.option("--theme", default=None, help="Theme code or id.")
@click.option("--overdue", default=None, help="true or false.")
@click.option("--stale", default=None, help="true or false.")
@click.option("--q", default=None, help="Text to look for.")
@click.option("--lang", type=click.Choice(("en", "fr")), default="en", help="PDF language.")
@click.option("--base-url", default=None, help="Address of Suivi, for the links in exports.")
@with_appcontext
def report_command(
    fmt, out, as_of, since, kind, status, lead, theme, overdue, stale, q, lang, base_url
) -> None:
    """Write a status report (CSV, XLSX or PDF) with the item list's filters."""
    try:
        args = parse_report_args(
            given(
                {
                    "kind": kind,
                    "status": status,
                    "lead": lead,
                    "theme": theme,
                    "overdue": overdue,
                    "stale": stale,
                    "q": q,
                    "as_of": as_of,
                    "since": since,
                }
            )
        )
    except SuiviError as exc:
        errors = exc.errors.values() if isinstance(exc, InvalidArguments) else [exc]
        for error in errors:
            click.echo(f"Error: {error.message}", err=True)
        sys.exit(2)
    if os.path.isdir(out):
        out = os.path.join(out, exports.filename(fmt))
    filters, day, since_day, days = args.filters, args.as_of, args.since, stale_days()
    base = base_url or current_app.config.get("BASE_URL", "")
    audit.set_actor(db.session, audit.system_actor("report"))
    try:
        if fmt == "csv":
            with open(out, "w", encoding="utf-8", newline="") as handle:
                for line in exports.csv_lines(filters, day, days, base):
                    handle.write(line)
        elif fmt == "xlsx":
            xlsx.write_xlsx(out, filters, day, days, base)
        else:
            from app.reports.pdf import pdf_bytes

            with open(out, "wb") as handle:
                handle.write(pdf_bytes(filters, day, since_day, days, lang))
        exports.record_export(fmt, filters, day, since_day)
    except SuiviError as exc:
        db.session.rollback()
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(2)
    db.session.commit()
    click.echo(f"Wrote {out}")
