"""The audit trail: every change recorded in the same transaction, hash-chained, verifiable."""

import threading

import pytest
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.orm import Session

from app import audit
from app.audit import guard
from app.audit.models import AuditEvent
from app.extensions import db
from app.items import services
from app.stakeholders.models import Organisation
from tests.conftest import database_url_for_tests, ensure_postgres_database, is_postgres
from tests.factories import SYSTEM, make_item, make_org, make_user


def events(record_type=None):
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    if record_type:
        stmt = stmt.where(AuditEvent.record_type == record_type)
    return list(db.session.scalars(stmt))


def test_insert_update_and_delete_are_recorded_with_fields():
    org = make_org("AUD", name="Audited")
    db.session.flush()
    org.name = "Renamed"
    db.session.flush()
    db.session.delete(org)
    db.session.flush()
    trail = events("organisations")
    assert [e.action for e in trail] == ["insert", "update", "delete"]
    assert trail[0].changes["name"] == "Audited"
    assert trail[0].record_id == org.id
    assert trail[1].changes == {"name": ["Audited", "Renamed"]}
    assert trail[2].changes["acronym"] == "AUD"


def test_events_name_the_actor_or_a_system_actor():
    manager = make_user("manager")
    item = make_item()
    services.edit_item(manager, item, item.version, title="By the manager")
    last = events("items")[-1]
    assert (last.actor_id, last.actor) == (manager.id, manager.email)
    assert events("organisations")[0].actor == SYSTEM.email


def test_child_records_belong_to_their_items_history():
    item = make_item()
    services.add_comment(SYSTEM, item, "Hello")
    services.change_status(SYSTEM, item, item.version, status="in_progress", progress=5)
    scoped = db.session.scalars(
        select(AuditEvent.record_type).where(
            AuditEvent.scope_type == "items", AuditEvent.scope_id == item.id
        )
    ).all()
    assert {"items", "comments", "status_updates"} <= set(scoped)


def test_secrets_are_never_written_to_the_trail():
    user = make_user()
    inserted = events("users")[-1].changes
    assert inserted["password_hash"] == "[redacted]"
    assert user.password_hash not in str(inserted)


def test_a_rolled_back_change_leaves_no_event(app):
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    nested = db.session.begin_nested()
    make_org("GONE")
    nested.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_the_chain_verifies_and_tampering_is_named():
    for n in range(3):
        make_org(f"CH{n}")
    db.session.flush()
    connection = db.session.connection()
    assert audit.verify_chain(connection).ok
    victim = events()[1]
    guard.remove(connection)  # the database's owner may drop the triggers
    connection.execute(
        update(AuditEvent.__table__).where(AuditEvent.id == victim.id).values(actor="someone-else")
    )
    result = audit.verify_chain(connection)
    assert not result.ok
    assert result.bad_id == victim.id


def test_deleting_an_event_breaks_the_chain():
    for n in range(3):
        make_org(f"DL{n}")
    db.session.flush()
    connection = db.session.connection()
    victim = events()[1]
    guard.remove(connection)
    connection.execute(AuditEvent.__table__.delete().where(AuditEvent.id == victim.id))
    result = audit.verify_chain(connection)
    assert not result.ok
    assert result.bad_id == events()[1].id


def test_the_orm_refuses_to_rewrite_an_event():
    make_org()
    db.session.flush()
    event = events()[-1]
    event.actor = "forged"
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()


def test_explicit_events_join_the_chain():
    audit.record(db.session, "export", "reports", changes={"format": "csv"})
    last = events()[-1]
    assert last.action == "export"
    assert last.changes == {"format": "csv"}
    assert audit.verify_chain(db.session.connection()).ok


@pytest.mark.skipif(not is_postgres(), reason="concurrent writers are checked on PostgreSQL")
def test_two_writers_committing_at_once_keep_one_chain():
    url = database_url_for_tests().rsplit("/", 1)[0] + "/suivi_test_concurrency"
    ensure_postgres_database(url)
    engine = create_engine(url, pool_size=4)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.metadata.create_all(engine)
    barrier = threading.Barrier(2)
    errors = []

    def writer(tag: str) -> None:
        try:
            barrier.wait()
            for n in range(25):
                with Session(engine) as session:
                    audit.set_actor(session, f"system:{tag}")
                    session.add(
                        Organisation(
                            name=f"{tag} {n}",
                            acronym=f"{tag}{n}",
                            kind="other",
                            description="",
                            facts={},
                        )
                    )
                    session.commit()
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(t,)) for t in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with engine.connect() as conn:
        result = audit.verify_chain(conn)
        count = conn.execute(select(func.count()).select_from(AuditEvent.__table__)).scalar()
    engine.dispose()
    assert errors == []
    assert result.ok
    assert result.checked == count == 50
