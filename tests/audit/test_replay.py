"""`flask audit verify --replay`: every record rebuilt from its events alone; an edit made
behind Suivi's back (raw SQL) is named, record and field."""

from datetime import date

import pytest
from sqlalchemy import insert, select, update

from app.audit import guard
from app.audit.models import AuditEvent
from app.audit.replay import replay, tracked_models
from app.auth import services as auth_services
from app.extensions import db
from app.items import services
from app.items.models import Comment, Item, StatusUpdate, item_supporters
from app.stakeholders.models import Organisation
from tests.factories import SYSTEM, make_item, make_org, make_user


@pytest.fixture
def busy(cli):
    """The seed, then a bit of everything through the services, committed."""
    assert cli.invoke(args=["seed"]).exit_code == 0
    items = list(db.session.scalars(select(Item).order_by(Item.id)))
    manager = make_user("manager")
    first, second = items[0], items[1]
    services.change_status(manager, first, first.version, status="in_progress", progress=20)
    services.edit_item(
        manager,
        first,
        first.version,
        title="A new title",
        due_date=date(2031, 1, 31),
        supporting=[make_org("SUPA"), make_org("SUPB")],
        links=[second],
    )
    services.edit_item(manager, first, first.version, supporting=[], owner=manager)
    comment = services.add_comment(manager, first, "First *thoughts*")
    services.edit_comment(manager, comment, "Second thoughts")
    indicator = services.create_indicator(manager, second, name="Deployed", unit="people")
    services.record_measurement(manager, indicator, value=10, measured_on=date(2024, 5, 1))
    services.record_measurement(manager, indicator, value=12, measured_on=date(2024, 5, 1))
    services.attach_evidence(manager, second, title="Report", url="https://example.org/r")
    staff = make_user("staff")
    auth_services.update_user(SYSTEM, staff, name="Renamed", language="fr")
    token, _plaintext = auth_services.create_token(SYSTEM, staff, "laptop")
    auth_services.revoke_token(SYSTEM, token)
    db.session.commit()
    return {"item": first, "other": second, "comment": comment}


def _verify(cli):
    return cli.invoke(args=["audit", "verify", "--replay"])


def test_a_healthy_database_is_explained_by_its_events(cli, busy):
    result = _verify(cli)
    assert result.exit_code == 0, result.output
    assert "exactly what their" in result.output


def test_a_raw_sql_edit_of_an_item_is_named_with_its_field(cli, busy):
    item = busy["item"]
    db.session.execute(update(Item.__table__).where(Item.id == item.id).values(progress=99))
    result = _verify(cli)
    assert result.exit_code == 1
    assert "Audit chain intact" in result.output  # the chain cannot see it; the replay does
    assert f"items {item.id}, progress: 99 in the database, 20 by its events" in result.output
    assert "1 discrepancy " in result.output


def test_raw_sql_rows_added_removed_and_linked_are_named(cli, busy):
    item, comment = busy["item"], busy["comment"]
    connection = db.session.connection()
    connection.execute(
        insert(Organisation.__table__).values(
            id=9999, name="Ghost", acronym="GHOST", kind="other", description="", facts={}
        )
    )
    connection.execute(Comment.__table__.delete().where(Comment.id == comment.id))
    connection.execute(insert(item_supporters).values(item_id=item.id, organisation_id=9999))
    connection.execute(
        update(Organisation.__table__).where(Organisation.acronym == "SUPA").values(facts={"x": 1})
    )
    result = _verify(cli)
    assert result.exit_code == 1
    out = result.output
    assert "organisations 9999: no audit event records its creation" in out
    assert f"comments {comment.id}: its events say it exists, the database has no row" in out
    assert f"items {item.id}, supporting: 9999 (item_supporters) is in the database" in out
    assert "facts: {'x': 1} in the database, {} by its events" in out
    assert "4 discrepancies " in out


def test_rows_the_database_removes_by_cascade_are_followed():
    item = make_item()
    services.add_comment(SYSTEM, item, "will go with the item")
    services.change_status(SYSTEM, item, item.version, status="in_progress")
    db.session.flush()
    db.session.delete(item)  # ON DELETE CASCADE removes the comment and the update
    db.session.flush()
    assert db.session.scalar(select(StatusUpdate).where(StatusUpdate.item_id == item.id)) is None
    result = replay(db.session.connection(), db.Model.registry)
    assert result.ok, [str(d) for d in result.discrepancies]


def test_a_row_event_without_its_insert_is_named():
    org = make_org("ORPH")
    org.name = "Renamed"
    db.session.flush()
    connection = db.session.connection()
    guard.remove(connection)
    connection.execute(
        AuditEvent.__table__.delete().where(
            AuditEvent.record_type == "organisations",
            AuditEvent.record_id == org.id,
            AuditEvent.action == "insert",
        )
    )
    found = [str(d) for d in replay(connection, db.Model.registry).discrepancies]
    assert any(f"organisations {org.id}: event" in d and "no event before" in d for d in found)


def test_replay_reads_every_tracked_table():
    models = tracked_models(db.Model.registry)
    assert "audit_events" not in models
    assert {"items", "comments", "status_updates", "users", "organisations"} <= set(models)
    assert "password_hash" not in models["users"].columns  # redacted: not in the events
    assert "updated_at" not in models["items"].columns
    assert set(models["items"].collections) >= {"supporting", "themes", "addresses"}
