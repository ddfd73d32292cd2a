"""No lost work: a form sent on an old version answers 409 with what changed and keeps what
was typed, on the current version, so that resubmitting succeeds."""

import re

from app.extensions import db
from app.items.models import StatusUpdate
from tests.factories import make_item, make_org, make_user
from tests.helpers import csrf_token, login


def _version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def test_second_status_update_on_the_same_version_gets_409_and_can_resend(client):
    org = make_org()
    item = make_item(lead=org, title="Shared item")
    user = make_user("staff", organisation=org)
    login(client, user)
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    seen, token = _version(page), csrf_token(client, f"/items/{item.id}")
    first = client.post(
        f"/items/{item.id}/updates",
        data={
            "csrf_token": token,
            "version": seen,
            "status": "in_progress",
            "progress": "30",
            "note": "Team deployed",
        },
    )
    assert first.status_code == 302
    second = client.post(
        f"/items/{item.id}/updates",
        data={
            "csrf_token": token,
            "version": seen,
            "status": "in_progress",
            "progress": "45",
            "note": "My careful note",
        },
    )
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Team deployed" in html  # what changed meanwhile
    assert "My careful note" in html
    assert 'value="45"' in html
    assert _version(html) == str(int(seen) + 1)
    db.session.expire_all()
    assert db.session.query(StatusUpdate).filter_by(item_id=item.id).count() == 1
    again = client.post(
        f"/items/{item.id}/updates",
        data={
            "csrf_token": token,
            "version": _version(html),
            "status": "in_progress",
            "progress": "45",
            "note": "My careful note",
        },
    )
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(item), item.id).progress == 45


def test_edit_on_an_old_version_shows_the_field_changes_and_keeps_typed_values(client):
    org, other = make_org("ORIG"), make_org("NEWLEAD")
    item = make_item(lead=org, title="Original title")
    manager = make_user("manager", organisation=org)
    login(client, manager)
    form = client.get(f"/items/{item.id}/edit").get_data(as_text=True)
    seen, token = _version(form), csrf_token(client, f"/items/{item.id}/edit")
    base = {
        "csrf_token": token,
        "version": seen,
        "kind": "recommendation",
        "priority": "medium",
        "code": "",
        "text": "",
        "source_id": "",
        "source_section": "",
        "owner_id": "",
        "due_date": "",
    }
    first = client.post(
        f"/items/{item.id}/edit", data={**base, "title": "Original title", "lead_id": str(other.id)}
    )
    assert first.status_code == 302
    second = client.post(
        f"/items/{item.id}/edit", data={**base, "title": "My better title", "lead_id": str(org.id)}
    )
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Lead organisation" in html
    assert "NEWLEAD" in html
    assert 'value="My better title"' in html
    assert _version(html) == str(int(seen) + 1)
    # The lead the user left alone is pre-filled with the current one, not the one they saw.
    assert f'<option value="{other.id}" selected>' in html
    assert f'<option value="{org.id}" selected>' not in html
    assert "Someone else changed this too" not in html
    db.session.expire_all()
    assert db.session.get(type(item), item.id).title == "Original title"
    again = client.post(
        f"/items/{item.id}/edit",
        data={
            **base,
            "version": _version(html),
            "title": "My better title",
            "lead_id": str(other.id),
        },
    )
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(item), item.id).title == "My better title"


def test_a_field_both_people_changed_keeps_the_typed_value_and_says_so(client):
    item = make_item(title="Start")
    login(client, make_user("manager"))
    form = client.get(f"/items/{item.id}/edit").get_data(as_text=True)
    seen, token = _version(form), csrf_token(client, f"/items/{item.id}/edit")
    base = {
        "csrf_token": token,
        "version": seen,
        "kind": "recommendation",
        "priority": "medium",
        "code": "",
        "text": "",
        "source_id": "",
        "source_section": "",
        "owner_id": "",
        "due_date": "",
        "lead_id": str(item.lead_id),
    }
    assert (
        client.post(f"/items/{item.id}/edit", data={**base, "title": "Their title"}).status_code
        == 302
    )
    response = client.post(
        f"/items/{item.id}/edit", data={**base, "title": "My title", "due_date": "2031-01-01"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'value="My title"' in html
    assert 'value="2031-01-01"' in html
    assert 'id="i-title-error"' in html
    assert "Someone else changed this too" in html
    assert "Their title" in html  # in what changed


def test_a_progress_left_as_shown_takes_the_current_progress(client):
    org = make_org()
    item = make_item(lead=org)
    login(client, make_user("staff", organisation=org))
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    seen, token = _version(page), csrf_token(client, f"/items/{item.id}")
    assert (
        client.post(
            f"/items/{item.id}/updates",
            data={
                "csrf_token": token,
                "version": seen,
                "status": "in_progress",
                "progress": "20",
                "note": "First",
            },
        ).status_code
        == 302
    )
    response = client.post(
        f"/items/{item.id}/updates",
        data={
            "csrf_token": token,
            "version": seen,
            "status": "blocked",
            "progress": "0",
            "note": "Roads cut",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'name="progress" type="number" value="20"' in html
    assert "Roads cut" in html
