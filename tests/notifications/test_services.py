"""Who is told what: watchers by default and by choice, never the actor, every kind of change,
nothing when the change is undone."""

import pytest
from sqlalchemy import func, select

from app.core.errors import PermissionDenied, ValidationError
from app.extensions import db
from app.items import services as item_services
from app.notifications import queries, services
from app.notifications.models import Notification
from tests.factories import SYSTEM, make_item, make_org, make_user, set_status


@pytest.fixture
def world():
    lead, other = make_org("NLEAD"), make_org("NOTHER")
    staff = make_user("staff", organisation=lead)
    colleague = make_user("staff", organisation=lead)
    outsider = make_user("staff", organisation=other)
    manager = make_user("manager", organisation=other)
    owner = make_user("staff", organisation=other)
    item = make_item(lead=lead, owner=owner, title="Watched")
    return {
        "lead": lead,
        "staff": staff,
        "colleague": colleague,
        "outsider": outsider,
        "manager": manager,
        "owner": owner,
        "item": item,
    }


def _told(item) -> dict[int, list[str]]:
    rows = db.session.execute(
        select(Notification.user_id, Notification.kind)
        .where(Notification.item_id == item.id)
        .order_by(Notification.id)
    ).all()
    told: dict[int, list[str]] = {}
    for user_id, kind in rows:
        told.setdefault(user_id, []).append(kind)
    return told


def test_the_owner_and_the_lead_staff_are_told_but_never_the_actor(world):
    item = world["item"]
    item_services.add_comment(world["staff"], item, "Started.")
    assert _told(item) == {world["colleague"].id: ["comment"], world["owner"].id: ["comment"]}


def test_a_user_may_watch_and_stop_watching(world):
    item = world["item"]
    services.set_watch(world["outsider"], item, True)
    services.set_watch(world["colleague"], item, False)
    assert queries.is_watching(world["outsider"], item)
    assert not queries.is_watching(world["colleague"], item)
    item_services.add_comment(world["manager"], item, "Any news?")
    assert set(_told(item)) == {world["staff"].id, world["owner"].id, world["outsider"].id}


def test_every_kind_of_change_is_told(world):
    item, manager = world["item"], world["manager"]
    item_services.change_status(manager, item, item.version, status="in_progress", progress=10)
    item_services.attach_evidence(manager, item, title="Minutes", url="https://example.org/m")
    item_services.edit_item(manager, item, item.version, owner=world["colleague"])
    set_status(item, "implemented", actor=manager)
    item_services.change_status(manager, item, item.version, status="verified")
    kinds = _told(item)[world["staff"].id]
    assert kinds == ["status", "evidence", "assignment", "status", "status", "verification"]


def test_changes_by_the_system_tell_nobody(world):
    item_services.add_comment(world["manager"], world["item"], "x")
    before = db.session.scalar(select(func.count(Notification.id)))
    set_status(world["item"], "blocked", actor=SYSTEM)
    assert db.session.scalar(select(func.count(Notification.id))) == before


def test_an_undone_change_leaves_no_notification(world):
    item = world["item"]
    db.session.commit()
    item_services.add_comment(world["manager"], item, "Rolled back.")
    db.session.rollback()
    assert _told(item) == {}


def test_the_delivery_is_ones_own_and_one_of_four(world):
    staff = world["staff"]
    assert queries.delivery_of(staff) == "daily"
    services.set_delivery(staff, staff, "weekly")
    assert queries.delivery_of(staff) == "weekly"
    with pytest.raises(PermissionDenied):
        services.set_delivery(world["manager"], staff, "none")
    with pytest.raises(ValidationError):
        services.set_delivery(staff, staff, "hourly")


def test_the_unsubscribe_token_names_its_user_and_cannot_be_forged(world):
    staff = world["staff"]
    token = services.unsubscribe_token(staff)
    assert services.user_of_unsubscribe_token(token) == staff
    assert services.user_of_unsubscribe_token(token[:-2] + "xx") is None
    assert services.user_of_unsubscribe_token("not-a-token") is None
