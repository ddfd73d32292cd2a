"""Flask commands; they parse input, call services and commit once, as the views do."""

import sys
from typing import NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.auth import services as auth_services
from app.core.errors import SuiviError
from app.core.roles import ROLES, SystemActor
from app.extensions import db
from app.stakeholders.services import find_organisation

CLI_ACTOR = SystemActor("cli")

users_cli = AppGroup("users", help="Create users and API tokens.")


def _fail(message: str) -> NoReturn:
    """Roll back, print one line on stderr and exit non-zero."""
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("seed")
def seed_command() -> None:
    """Load the data in seed/ through the services; a second run changes nothing."""
    from seed.loader import load_seed

    try:
        report = load_seed(current_app.config["SEED_DIR"])
    except (SuiviError, OSError, KeyError) as exc:
        _fail(f"the seed could not be loaded: {exc}")
    db.session.commit()
    click.echo(report.summary())


@click.command("demo-users")
def demo_users_command() -> None:
    """Create one demo user per role (if missing) and print their logins."""
    from seed.loader import load_demo_users

    try:
        users = load_demo_users(current_app.config["SEED_DIR"])
    except (SuiviError, OSError, KeyError) as exc:
        _fail(f"the demo users could not be created: {exc}")
    db.session.commit()
    click.echo("Demo logins (email / password / role):")
    for user in users:
        click.echo(f"  {user['email']:<28} {user['password']:<22} {user['role']}")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option(
    "--role", required=True, type=click.Choice(ROLES), help="viewer, staff, manager or admin."
)
@click.option("--org", "org", required=True, help="Acronym of the user's organisation.")
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--language", type=click.Choice(("en", "fr")), default=None)
def users_create(
    *, email: str, name: str, role: str, org: str, password: str, language: str | None
) -> None:
    """Create a user."""
    organisation = find_organisation(org)
    if organisation is None:
        _fail(f"no organisation with the acronym {org!r}.")
    try:
        user = auth_services.create_user(
            CLI_ACTOR,
            email=email,
            name=name,
            role=role,
            organisation=organisation,
            password=password,
            language=language,
        )
    except SuiviError as exc:
        _fail(exc.message)
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role}, {organisation.acronym}).")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="command line", help="A name to recognise the token by.")
def users_token(email: str, name: str) -> None:
    """Create an API token for EMAIL and print it alone on the last line."""
    user = auth_services.find_user(email)
    if user is None:
        _fail(f"no user with the email {email!r}.")
    if not user.is_active:
        _fail(f"{email} is deactivated.")
    try:
        _token, plaintext = auth_services.create_token(CLI_ACTOR, user, name)
    except SuiviError as exc:
        _fail(exc.message)
    db.session.commit()
    click.echo(f"Token {name!r} for {user.email}; it is shown only once:")
    click.echo(plaintext)


def register(app: Flask) -> None:
    """Attach Suivi's commands to ``app.cli``."""
    for command in (seed_command, demo_users_command, users_cli):
        app.cli.add_command(command)
    from app.audit.cli import audit_cli
    from app.backup.cli import backup_command, restore_command

    app.cli.add_command(audit_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)

    from app.jobs.cli import jobs_cli
    from app.notifications.cli import remind_command
    from app.replies.cli import mail_cli
    from app.reports.cli import report_command

    app.cli.add_command(jobs_cli)
    app.cli.add_command(remind_command)
    app.cli.add_command(mail_cli)
    app.cli.add_command(report_command)
    from app.bench.cli import bench_cli

    app.cli.add_command(bench_cli)
    from app.imports.cli import import_command

    app.cli.add_command(import_command)
