"""The command line of the contract: users create, users token, audit verify."""

import pytest
from sqlalchemy import func, select, update

from app.audit import guard
from app.audit.models import AuditEvent
from app.auth.services import find_user, user_for_token
from app.extensions import db
from app.items.models import Item
from tests.factories import make_org, make_user


def events() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_users_create(cli):
    make_org("MINUSMA")
    result = cli.invoke(
        args=[
            "users",
            "create",
            "New@Example.org",
            "--name",
            "New Person",
            "--role",
            "staff",
            "--org",
            "minusma",
            "--password",
            "a-long-password",
        ]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = find_user("new@example.org")
    assert user.role == "staff"
    assert user.organisation.acronym == "MINUSMA"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "staff", "--org", "NOPE", "--password", "a-long-password"], "organisation"),
        (["--role", "chief", "--org", "ORGX", "--password", "a-long-password"], "role"),
        (["--role", "staff", "--org", "ORGX", "--password", "short"], "10 characters"),
        (["--role", "staff", "--org", "ORGX"], "password"),
        (["--role", "staff", "--org", "ORGX", "--password", "aaaaaaaaaaaaa"], "guess"),
    ],
)
def test_users_create_refuses_bad_input_in_one_line(cli, args, message):
    make_org("ORGX")
    db.session.commit()  # the command rolls back its own work, not this setup
    before = events()
    result = cli.invoke(args=["users", "create", "x@example.org", "--name", "X", *args])
    assert result.exit_code != 0
    lines = [line for line in result.output.strip().splitlines() if line.strip()]
    assert message.lower() in result.output.lower()
    assert len([line for line in lines if line.startswith("Error")]) == 1
    db.session.expire_all()
    assert find_user("x@example.org") is None
    assert events() == before


def test_users_create_refuses_a_duplicate_email(cli):
    user = make_user(email="dup@example.org")
    result = cli.invoke(
        args=[
            "users",
            "create",
            "DUP@example.org",
            "--name",
            "Y",
            "--role",
            "viewer",
            "--org",
            user.organisation.acronym,
            "--password",
            "a-long-password",
        ]
    )
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_users_token_prints_the_token_alone_on_the_last_line(cli):
    user = make_user(email="tok@example.org")
    result = cli.invoke(args=["users", "token", "tok@example.org"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert " " not in token
    assert user_for_token(token).id == user.id


def test_users_token_for_an_unknown_email_fails(cli):
    result = cli.invoke(args=["users", "token", "ghost@example.org"])
    assert result.exit_code == 1
    assert "ghost@example.org" in result.output


def test_audit_verify_passes_then_names_the_tampered_event(cli):
    cli.invoke(args=["seed"])
    ok = cli.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0
    assert "intact" in ok.output
    victim = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id).offset(10).limit(1))
    guard.remove(db.session.connection())  # as the database's owner could
    db.session.execute(
        update(AuditEvent.__table__)
        .where(AuditEvent.id == victim)
        .values(changes={"title": "rewritten"})
    )
    broken = cli.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"event {victim}" in broken.output


def test_cli_writes_are_audited(cli):
    cli.invoke(args=["seed"])
    db.session.expire_all()
    assert (
        db.session.scalar(select(func.count()).select_from(Item)) == 23
    )  # 8 challenges, 10 recommendations, 5 opportunities
