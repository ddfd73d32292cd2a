"""``flask mail receive``: one RFC 5322 message on standard input (an MTA pipe, fetchmail),
applied as a reply, refused with an answer, or ignored (bounces, auto-replies)."""

import sys

import click
from flask.cli import AppGroup

from app.extensions import db
from app.jobs import dispatch_ready
from app.replies.services import receive

mail_cli = AppGroup("mail", help="Mail that comes in.")


@mail_cli.command("receive")
def receive_command() -> None:
    """Read one message from standard input and apply it as a reply to a notification. The
    exit status is 0 whenever the message was handled (applied, refused with an answer, or
    ignored), so the mail system does not bounce it back."""
    raw = sys.stdin.buffer.read()
    outcome = receive(raw)
    db.session.commit()
    dispatch_ready()
    click.echo(f"{outcome.result}: {outcome.detail}")
