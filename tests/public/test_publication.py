"""Publishing: managers and admins only, a summary required, audited in the item's history,
a stale form is a conflict, and the item's own version never moves."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.core.errors import ConflictError, PermissionDenied, ValidationError
from app.extensions import db
from app.public import services
from tests.factories import make_item, make_user
from tests.helpers import csrf_token, login


def _events(item):
    return db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.record_type == "publications", AuditEvent.scope_id == item.id)
        .order_by(AuditEvent.id)  # the order they were written (PostgreSQL keeps none)
    ).all()


def test_manager_publishes_and_unpublishes_and_both_are_audited(manager):
    item = make_item()
    version = item.version
    services.publish_item(manager, item, "A summary for the public.", 0)
    publication = services.publication_of(item)
    assert publication.is_published
    assert publication.published_by_id == manager.id
    services.unpublish_item(manager, item, publication.version)
    assert not services.publication_of(item).is_published
    events = _events(item)
    assert [e.action for e in events] == ["insert", "update"]
    assert events[0].changes["is_published"] is True
    assert events[0].actor_id == manager.id
    assert events[1].changes["is_published"] == [True, False]
    assert item.version == version  # a staff member's draft on the item does not conflict


@pytest.mark.parametrize("role", ["viewer", "staff"])
def test_only_managers_and_admins_publish(role):
    with pytest.raises(PermissionDenied):
        services.publish_item(make_user(role), make_item(), "Summary.", 0)


def test_a_summary_is_required_to_publish(manager):
    with pytest.raises(ValidationError):
        services.publish_item(manager, make_item(), "   ", 0)


def test_a_stale_publication_form_is_a_conflict_and_changes_nothing(manager):
    item = make_item()
    services.publish_item(manager, item, "First summary.", 0)
    with pytest.raises(ConflictError):
        services.publish_item(manager, item, "Second summary, on a stale form.", 0)
    assert services.publication_of(item).summary == "First summary."


def test_the_publication_page_publishes_through_the_form(client, manager):
    item = make_item()
    db.session.commit()
    login(client, manager)
    path = f"/items/{item.id}/publication"
    data = {"csrf_token": csrf_token(client, path), "summary": "Public words.", "version": "0"}
    response = client.post(path, data={**data, "action": "publish"})
    assert response.status_code == 302
    db.session.expire_all()
    assert services.publication_of(item).summary == "Public words."
    stale = client.post(path, data={**data, "summary": "Other words.", "action": "publish"})
    assert stale.status_code == 409
    assert "Other words." in stale.get_data(as_text=True)  # what was typed is kept


def test_staff_cannot_open_the_publication_page(client):
    item = make_item()
    staff = make_user("staff")
    db.session.commit()
    login(client, staff)
    assert client.get(f"/items/{item.id}/publication").status_code == 403
