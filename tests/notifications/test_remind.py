"""``flask remind``: one digest per user with what is new for them, in their language, read
from a real SMTP server; nothing when nothing is new, nothing twice."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.items import services as item_services
from app.mail.models import OutgoingMail
from app.notifications import services
from app.notifications.models import ReminderSent
from tests.factories import make_item, make_org, make_user

DAY = date(2026, 12, 1)  # a Tuesday


@pytest.fixture
def world():
    a, b = make_org("ORGA"), make_org("ORGB")
    w = {
        "anna": make_user("staff", organisation=a, name="Anna", email="anna@example.org"),
        "aimé": make_user(
            "staff", organisation=a, name="Aimé", email="aime@example.org", language="fr"
        ),
        "bob": make_user("staff", organisation=b, name="Bob", email="bob@example.org"),
        "max": make_user("manager", organisation=b, name="Max", email="max@example.org"),
        "late": make_item(lead=a, title="Late A", due_date=DAY - timedelta(days=3)),
        "soon": make_item(lead=a, title="Soon A", due_date=DAY + timedelta(days=5)),
        "far": make_item(lead=a, title="Far A", due_date=DAY + timedelta(days=40)),
        "stale": make_item(lead=a, title="Stale A"),
        "late_b": make_item(lead=b, title="Late B", due_date=DAY - timedelta(days=1)),
    }
    w["stale"].last_update_at = datetime(2026, 8, 1, tzinfo=UTC)
    db.session.commit()
    return w


def _remind(cli, day=DAY, *more):
    result = cli.invoke(args=["remind", "--today", day.isoformat(), *more])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def _by_recipient(smtp_server) -> dict[str, object]:
    received = {}
    for message in smtp_server.handler.received:
        [to] = message.rcpt_tos
        assert to not in received, f"two digests for {to}"
        received[to] = message
    return received


def test_each_user_gets_one_digest_of_exactly_their_organisations_items(cli, world, smtp_server):
    output = _remind(cli)
    assert output.strip().endswith("2026-12-01: 4 digests queued.")
    mails = _by_recipient(smtp_server)
    assert set(mails) == {
        "anna@example.org",
        "aime@example.org",
        "bob@example.org",
        "max@example.org",
    }
    anna = mails["anna@example.org"].text
    assert f"Overdue (1)\n- #{world['late'].id} Late A" in anna
    assert f"Due within 14 days (1)\n- #{world['soon'].id} Soon A" in anna
    assert f"#{world['stale'].id} Stale A" in anna
    assert "Far A" not in anna
    assert "Late B" not in anna
    assert f"https://suivi.example.org/items/{world['late'].id}" in anna
    bob = mails["bob@example.org"].text
    assert "Late B" in bob
    assert "Late A" not in bob
    manager = mails["max@example.org"].text
    assert "whole portfolio" in manager
    assert all(title in manager for title in ("Late A", "Soon A", "Stale A", "Late B"))
    assert mails["anna@example.org"].message["Subject"] == "[Suivi] Your digest of 1 Dec 2026"


def test_a_french_reader_gets_the_digest_in_french(cli, world, smtp_server):
    _remind(cli)
    aime = _by_recipient(smtp_server)["aime@example.org"]
    assert aime.message["Subject"] == "[Suivi] Votre récapitulatif du 1 déc. 2026"
    assert "En retard (1)" in aime.text
    assert "Bonjour Aimé," in aime.text
    assert "Ne plus recevoir ces courriels" in aime.html


def test_a_second_run_the_same_day_sends_nothing(cli, world, smtp_server):
    _remind(cli)
    sent = len(smtp_server.handler.received)
    output = _remind(cli)
    assert output.strip() == "2026-12-01: 0 digests queued."
    assert len(smtp_server.handler.received) == sent
    assert db.session.scalar(select(func.count(OutgoingMail.id))) == sent


def test_the_next_day_only_what_is_new_is_said(cli, world, smtp_server):
    _remind(cli)
    smtp_server.handler.received.clear()
    world["soon"].due_date = DAY + timedelta(days=1)  # becomes overdue on the 3rd
    db.session.commit()
    _remind(cli, DAY + timedelta(days=2))
    mails = _by_recipient(smtp_server)
    assert set(mails) == {"anna@example.org", "aime@example.org", "max@example.org"}
    anna = mails["anna@example.org"].text
    assert f"Overdue (1)\n- #{world['soon'].id} Soon A" in anna
    assert "Late A" not in anna
    assert "Stale A" not in anna


def test_a_dry_run_prints_and_records_nothing(cli, world, smtp_server):
    output = _remind(cli, DAY, "--dry-run")
    assert "To anna@example.org (en): 1 overdue, 1 due within 14 days, 1 stale" in output
    assert f"  overdue: #{world['late'].id} Late A" in output
    assert output.strip().endswith("Dry run for 2026-12-01: 4 digests would be sent.")
    assert smtp_server.handler.received == []
    assert db.session.scalar(select(func.count(ReminderSent.id))) == 0


def test_delivery_none_and_weekly_are_respected(cli, world, smtp_server):
    services.set_delivery(world["anna"], world["anna"], "none")
    services.set_delivery(world["bob"], world["bob"], "weekly")
    db.session.commit()
    _remind(cli)
    assert set(_by_recipient(smtp_server)) == {"aime@example.org", "max@example.org"}
    smtp_server.handler.received.clear()
    _remind(cli, date(2026, 12, 7))  # a Monday: Bob's week, and "Soon A" is overdue now
    mails = _by_recipient(smtp_server)
    assert set(mails) == {"bob@example.org", "aime@example.org", "max@example.org"}
    assert "Late B" in mails["bob@example.org"].text


def test_watched_changes_are_in_the_digest_once(cli, world, smtp_server):
    item_services.add_comment(world["bob"], world["late"], "Helping out.")
    db.session.commit()
    _remind(cli)
    anna = _by_recipient(smtp_server)["anna@example.org"].text
    assert "Changes to the items you watch (1)" in anna
    assert "Bob commented: Helping out." in anna
    smtp_server.handler.received.clear()
    _remind(cli, DAY + timedelta(days=1))
    assert "anna@example.org" not in _by_recipient(smtp_server)


def test_a_broken_address_is_recorded_once_and_said(cli, world, smtp_server):
    world["bob"].email = "bob@invalid"
    db.session.commit()
    output = _remind(cli)
    assert "  not sent: The recipient's address cannot receive mail." in output
    failed = db.session.scalars(select(OutgoingMail).where(OutgoingMail.state == "failed")).one()
    assert failed.to_address == "bob@invalid"
    assert "Late B" in failed.text_body
    _remind(cli)
    assert (
        db.session.scalar(
            select(func.count(OutgoingMail.id)).where(OutgoingMail.to_address == "bob@invalid")
        )
        == 1
    )


def test_without_a_mail_server_remind_refuses_and_a_bad_date_is_refused(cli, world):
    result = cli.invoke(args=["remind", "--today", DAY.isoformat()])
    assert result.exit_code == 1
    assert "MAIL_SERVER is not set" in result.output
    bad = cli.invoke(args=["remind", "--today", "2026-13-01", "--dry-run"])
    assert bad.exit_code == 2
    assert "today must be a date (YYYY-MM-DD)." in bad.output


def test_items_missing_in_a_round_near_its_due_date_are_in_the_digest_once(cli, world, smtp_server):
    from app.rounds import services as round_services

    rnd = round_services.open_round(
        world["max"],
        title="Donor meeting",
        opens_on=(DAY - timedelta(days=20)).isoformat(),
        due_on=(DAY + timedelta(days=3)).isoformat(),
        filters={"lead": "ORGA"},
    )
    item_services.change_status(world["anna"], world["far"], 1, status="in_progress")
    db.session.commit()
    _remind(cli)
    anna = _by_recipient(smtp_server)["anna@example.org"].text
    section = anna.split("Not yet reported in a reporting round (3)\n", 1)[1]
    assert f"#{world['late'].id} Late A" in section
    assert "(Donor meeting)" in section
    assert "Far A" not in section  # reported in the window
    assert rnd.title in _by_recipient(smtp_server)["max@example.org"].text
    smtp_server.handler.received.clear()
    _remind(cli, DAY + timedelta(days=1))
    assert smtp_server.handler.received == []
