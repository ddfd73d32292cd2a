"""The notifications page, the watch form on the item page, the delivery choice on the
profile and the one-click opt-out, without JavaScript."""

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.items import services as item_services
from app.notifications import queries, services
from tests.factories import make_item, make_org, make_user
from tests.helpers import form_post, login


def test_the_page_lists_what_others_did_to_watched_items(client):
    lead = make_org("PLEAD")
    staff = make_user("staff", organisation=lead)
    manager = make_user("manager", name="Mariam Manager")
    item = make_item(lead=lead, title="Police stations")
    item_services.add_comment(manager, item, "Where are we?")
    db.session.commit()
    login(client, staff)
    html = client.get("/notifications", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Mariam Manager commented: Where are we?" in html
    assert f'href="/items/{item.id}"' in html
    assert "By email: A daily digest." in html


def test_the_watch_form_stops_and_starts_the_notifications(client):
    staff = make_user("staff")
    item = make_item(title="Someone else's")
    db.session.commit()
    login(client, staff)
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "Watch this item" in page
    response = form_post(client, f"/items/{item.id}/watch", {"watching": "1"}, f"/items/{item.id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert queries.is_watching(staff, item)
    assert "Stop watching" in client.get(f"/items/{item.id}").get_data(as_text=True)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "watches")).one()
    assert (event.actor_id, event.scope_id) == (staff.id, item.id)
    bad = form_post(client, f"/items/{item.id}/watch", {"watching": "maybe"}, f"/items/{item.id}")
    assert bad.status_code == 400


def test_the_profile_sets_the_delivery(client):
    staff = make_user("staff")
    db.session.commit()
    login(client, staff)
    assert 'value="daily" checked' in client.get("/profile").get_data(as_text=True)
    response = form_post(client, "/profile/notifications", {"delivery": "weekly"}, "/profile")
    assert response.status_code == 302
    db.session.expire_all()
    assert queries.delivery_of(staff) == "weekly"
    refused = form_post(client, "/profile/notifications", {"delivery": "hourly"}, "/profile")
    assert refused.status_code == 422
    db.session.expire_all()
    assert queries.delivery_of(staff) == "weekly"


def test_one_click_unsubscribe_works_without_login_or_csrf_token(client):
    staff = make_user("staff")
    db.session.commit()
    token = services.unsubscribe_token(staff)
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200
    assert "Stop the emails" in page.get_data(as_text=True)
    response = client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.expire_all()
    assert queries.delivery_of(staff) == "none"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_type == "delivery_choices")
    ).one()
    assert event.actor_id == staff.id


def test_a_forged_unsubscribe_link_is_404_and_changes_nothing(client):
    staff = make_user("staff")
    db.session.commit()
    token = services.unsubscribe_token(staff)
    assert client.post(f"/unsubscribe/{token}x").status_code == 404
    assert client.get(f"/unsubscribe/{token}x").status_code == 404
    db.session.expire_all()
    assert queries.delivery_of(staff) == "daily"
