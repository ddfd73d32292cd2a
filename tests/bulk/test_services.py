"""Bulk edits through the service: every field optional, all or nothing, audited through
the item services, bounded."""

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.core.errors import ConflictError, PermissionDenied, ValidationError
from app.extensions import db
from app.items import services
from app.items.services import MAX_BULK
from tests.factories import SYSTEM, make_item, make_org, make_user


def _selection(*items):
    return [(item, item.version) for item in items]


def test_a_manager_sets_the_chosen_fields_on_every_item_and_leaves_the_rest():
    lead, new_lead, helper = make_org(), make_org(), make_org()
    theme = services.create_theme(SYSTEM, code="bulk-t", title="Bulk theme")
    owner = make_user("staff", lead)
    first = make_item(lead=lead, title="First", priority="low", due_date="2027-01-01")
    second = make_item(lead=lead, title="Second", priority="high")
    changed = services.bulk_edit(
        make_user("manager"),
        _selection(first, second),
        lead=new_lead,
        supporting=[helper],
        owner=owner,
        priority="medium",
        themes=[theme],
    )
    assert changed == [first, second]
    for item in (first, second):
        assert item.lead_id == new_lead.id
        assert [o.id for o in item.supporting] == [helper.id]
        assert item.owner_id == owner.id
        assert item.priority == "medium"
        assert [t.code for t in item.themes] == ["bulk-t"]
        assert item.version == 2
    assert first.due_date.isoformat() == "2027-01-01"  # left unchanged
    assert (first.title, second.title) == ("First", "Second")


def test_items_already_so_are_not_touched():
    lead = make_org()
    same, other = make_item(lead=lead, priority="high"), make_item(lead=lead, priority="low")
    changed = services.bulk_edit(make_user("admin"), _selection(same, other), priority="high")
    assert changed == [other]
    assert same.version == 1


def test_one_item_changed_meanwhile_means_nothing_is_written():
    first, second = make_item(priority="low"), make_item(priority="low")
    seen = _selection(first, second)
    services.edit_item(SYSTEM, second, second.version, title="Changed meanwhile")
    db.session.flush()
    with pytest.raises(ConflictError) as caught:
        services.bulk_edit(make_user("manager"), seen, priority="high")
    assert f"#{second.id}" in caught.value.message
    assert first.priority == "low"
    assert first.version == 1


def test_a_lead_among_the_supporting_organisations_is_refused_for_all():
    lead, helper = make_org(), make_org()
    fine, clash = make_item(lead=helper), make_item(lead=lead)
    with pytest.raises(ValidationError) as caught:
        services.bulk_edit(make_user("manager"), _selection(fine, clash), supporting=[lead])
    assert f"#{clash.id}" in caught.value.message
    assert fine.supporting == []


def test_staff_and_viewers_may_not_bulk_edit():
    org = make_org()
    item = make_item(lead=org)
    for user in (make_user("staff", org), make_user("viewer", org)):
        with pytest.raises(PermissionDenied):
            services.bulk_edit(user, _selection(item), priority="high")


def test_the_selection_and_the_changes_are_bounded():
    item = make_item()
    manager = make_user("manager")
    with pytest.raises(ValidationError):
        services.bulk_edit(manager, [], priority="high")
    with pytest.raises(ValidationError):
        services.bulk_edit(manager, _selection(item))  # nothing to change
    with pytest.raises(ValidationError):
        services.bulk_edit(manager, _selection(item), title="Not a bulk field")
    with pytest.raises(ValidationError):
        services.bulk_edit(manager, [(item, item.version)] * (MAX_BULK + 1), priority="high")


def test_each_item_is_audited_by_the_manager():
    items = [make_item(priority="low") for _ in range(3)]
    manager = make_user("manager")
    before = db.session.scalar(select(func.count(AuditEvent.id)))
    services.bulk_edit(manager, _selection(*items), priority="high")
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_type == "items").order_by(AuditEvent.id)
    ).all()[-3:]
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before + 3
    assert {e.record_id for e in events} == {i.id for i in items}
    assert all(
        e.actor_id == manager.id and e.changes["priority"] == ["low", "high"] for e in events
    )
