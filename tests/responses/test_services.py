"""Formal responses through the services: who may respond, revisions kept, one current,
versions and bounds."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.core.errors import ConflictError, PermissionDenied, ValidationError
from app.core.time import today
from app.extensions import db
from app.items import queries, services
from app.items.models import Response
from tests.factories import SYSTEM, make_item, make_org, make_user


def _respond(actor, item, position="accepted", **fields):
    return services.record_response(actor, item, item.version, position=position, **fields)


def test_lead_staff_records_a_response_that_moves_the_version_on():
    lead = make_org()
    item = make_item(lead=lead)
    staff = make_user("staff", lead)
    before = item.version
    response = _respond(staff, item, "partially_accepted", text="We will, *in part*.")
    assert response.position == "partially_accepted"
    assert response.organisation_id == lead.id
    assert response.author_id == staff.id
    assert response.responded_on == today()
    assert item.version == before + 1
    assert queries.current_response(item) is response


def test_supporting_staff_and_viewers_cannot_respond():
    lead, other = make_org(), make_org()
    item = make_item(lead=lead, supporting=[other])
    for user in (make_user("staff", other), make_user("viewer", lead)):
        with pytest.raises(PermissionDenied):
            _respond(user, item)
    assert queries.current_response(item) is None


def test_managers_and_admins_respond_for_the_lead():
    item = make_item()
    _respond(make_user("manager"), item, "noted")
    _respond(make_user("admin"), item, "rejected")
    assert queries.current_response(item).position == "rejected"


@pytest.mark.parametrize("kind", ["challenge", "action", "opportunity"])
def test_only_recommendations_take_a_response(kind):
    item = make_item(kind=kind)
    with pytest.raises(ValidationError):
        _respond(make_user("admin"), item)


def test_a_revision_keeps_the_earlier_one_and_only_one_is_current():
    item = make_item()
    admin = make_user("admin")
    first = _respond(admin, item, "noted", text="Seen.")
    second = _respond(admin, item, "accepted", text="Agreed.")
    history = queries.response_history(item)
    assert [r.id for r in history] == [second.id, first.id]
    assert first.superseded_at is not None
    assert second.superseded_at is None
    current = db.session.scalars(
        select(Response).where(Response.item_id == item.id, Response.superseded_at.is_(None))
    ).all()
    assert current == [second]


def test_the_same_response_again_writes_nothing():
    item = make_item()
    admin = make_user("admin")
    _respond(admin, item, "noted", text="Seen.")
    version = item.version
    assert _respond(admin, item, "noted", text="Seen.") is None
    assert item.version == version
    assert len(queries.response_history(item)) == 1


def test_a_stale_version_is_a_conflict_and_writes_nothing():
    item = make_item()
    admin = make_user("admin")
    stale = item.version
    _respond(admin, item, "noted")
    with pytest.raises(ConflictError):
        services.record_response(admin, item, stale, position="rejected")
    assert queries.current_response(item).position == "noted"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"position": "maybe"}, "position"),
        ({"position": ""}, "position"),
        ({"position": "accepted", "responded_on": "2026-02-30"}, "responded_on"),
        ({"position": "accepted", "responded_on": "0999-01-01"}, "responded_on"),
        ({"position": "accepted", "text": "x" * 10_001}, "text"),
    ],
)
def test_bad_values_are_refused_by_field(fields, field):
    item = make_item()
    with pytest.raises(ValidationError) as caught:
        services.record_response(make_user("admin"), item, item.version, **fields)
    assert field in caught.value.fields
    assert queries.current_response(item) is None


def test_a_response_date_in_the_future_is_refused():
    item = make_item()
    tomorrow = (today() + timedelta(days=1)).isoformat()
    with pytest.raises(ValidationError) as caught:
        _respond(make_user("admin"), item, responded_on=tomorrow)
    assert "responded_on" in caught.value.fields


def test_responses_are_audited_in_the_items_history():
    item = make_item()
    admin = make_user("admin")
    _respond(admin, item, "noted")
    _respond(admin, item, "accepted")
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.record_type == "responses", AuditEvent.scope_id == item.id)
        .order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == ["insert", "update", "insert"]
    assert events[0].actor_id == admin.id
    assert events[1].changes["superseded_at"][0] is None


def test_a_command_records_a_response_without_an_author():
    item = make_item()
    response = _respond(SYSTEM, item, "accepted")
    assert response.author_id is None
    assert response.organisation_id == item.lead_id


def test_the_watchers_are_told_of_a_response_but_not_the_responder():
    from flask_babel import force_locale

    from app.notifications import labels as notification_labels
    from app.notifications.models import Notification

    lead = make_org()
    item = make_item(lead=lead)
    responder, colleague = make_user("staff", lead), make_user("staff", lead)
    _respond(responder, item, "partially_accepted")
    told = db.session.scalars(select(Notification).where(Notification.item_id == item.id)).all()
    assert {n.user_id for n in told} >= {colleague.id}
    assert responder.id not in {n.user_id for n in told}
    assert {n.kind for n in told} == {"response"}
    with force_locale("fr"):
        sentence = notification_labels.describe("response", told[0].details, "Awa")
    assert sentence == "Awa a enregistré la réponse formelle\u202f: Partiellement acceptée."


def test_the_audit_replay_explains_every_revision():
    from app.audit.replay import replay

    item = make_item()
    admin = make_user("admin")
    _respond(admin, item, "noted", text="Seen.")
    _respond(admin, item, "accepted", text="Agreed.", responded_on="2026-01-02")
    db.session.flush()
    result = replay(db.session.connection(), db.Model.registry)
    assert result.ok, [str(d) for d in result.discrepancies]
