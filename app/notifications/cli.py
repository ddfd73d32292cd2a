"""``flask remind``: the daily digests (run it once a day from a timer)."""

import sys

import click

from app.core.errors import SuiviError
from app.core.time import today as utc_today
from app.core.validation import parse_date
from app.extensions import db
from app.items.queries import stale_days
from app.jobs import dispatch_ready
from app.mail.services import mail_enabled
from app.notifications.digests import SECTIONS, Digest
from app.notifications.remind import remind

SECTION_NAMES = {
    "overdue": "overdue",
    "due_soon": "due within 14 days",
    "stale": "stale",
    "round_missing": "missing in a round",
}


def _describe(digest: Digest) -> list[str]:
    counts = [f"{len(digest.sections[s])} {SECTION_NAMES[s]}" for s in SECTIONS]
    counts.append(f"{len(digest.notifications)} watched changes")
    user = digest.user
    lines = [f"To {user.email} ({user.language or 'en'}): " + ", ".join(counts)]
    for section in SECTIONS:
        for entry in digest.sections[section]:
            lines.append(f"  {SECTION_NAMES[section]}: #{entry.item.id} {entry.item.title}")
    for notification in digest.notifications:
        lines.append(f"  change: #{notification.item_id} {notification.kind}")
    return lines


@click.command("remind")
@click.option("--today", "today", default=None, help="YYYY-MM-DD: act as if it were that day.")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send and record nothing.")
def remind_command(today: str | None, dry_run: bool) -> None:
    """Send each user one digest of what is new: overdue, due soon, stale, missing in a
    round, watched changes. A second run the same day sends nothing."""
    try:
        day = parse_date(today, "today") or utc_today()
    except SuiviError as exc:
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(2)
    if not dry_run and not mail_enabled():
        click.echo("Error: MAIL_SERVER is not set: no digest can be sent.", err=True)
        sys.exit(1)
    result = remind(day, stale_days(), dry_run=dry_run)
    for digest in result.digests:
        for line in _describe(digest):
            click.echo(line)
        mail = result.mails.get(digest.user.id)
        if mail is not None and mail.state == "failed":
            click.echo(f"  not sent: {mail.error} (kept as mail {mail.id})")
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run for {day}: {len(result.digests)} digests would be sent.")
        return
    db.session.commit()
    dispatch_ready()
    click.echo(f"{day}: {len(result.digests)} digests queued.")
