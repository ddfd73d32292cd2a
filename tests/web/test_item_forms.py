"""The item forms: status updates, comments, measurements, create and edit, indicators.
Bad input gets a message next to the field, keeps what was typed, and writes nothing."""

import pytest

from app.audit.models import AuditEvent
from app.extensions import db
from app.items import services as item_services
from app.items.models import Comment, Indicator, Item, Measurement, StatusUpdate
from tests.factories import SYSTEM, make_item, make_org, make_user
from tests.helpers import form_post, login


def _audit_count() -> int:
    db.session.expire_all()
    return db.session.query(AuditEvent).count()


@pytest.fixture
def staff_item(client):
    org = make_org()
    item = make_item(lead=org)
    user = make_user("staff", organisation=org)
    login(client, user)
    return item, user


def test_status_update_is_saved_and_shown(client, staff_item):
    item, _user = staff_item
    response = form_post(
        client,
        f"/items/{item.id}/updates",
        {
            "version": item.version,
            "status": "in_progress",
            "progress": "25",
            "note": "Work started",
        },
        form_path=f"/items/{item.id}",
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Item, item.id)
    assert (saved.status, saved.progress) == ("in_progress", 25)
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "Work started" in html
    assert "Status update saved." in html


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"status": "in_progress", "progress": "150"}, "progress", "between 0 and 100"),
        ({"status": "in_progress", "progress": "-1"}, "progress", "between 0 and 100"),
        ({"status": "in_progress", "progress": "abc"}, "progress", "whole number"),
        ({"status": "flying", "progress": "1"}, "status", "Unknown status"),
        ({"status": "", "progress": "1"}, "status", "required"),
        ({"status": "blocked", "progress": "1", "note": ""}, "note", "note is required"),
        ({"status": "verified", "progress": "1"}, "", "cannot go from"),
        ({"status": "in_progress", "progress": "1", "note": "x" * 10001}, "note", "longer than"),
    ],
)
def test_bad_status_updates_are_refused_next_to_the_field(client, staff_item, data, field, words):
    item, _user = staff_item
    before = _audit_count()
    response = form_post(
        client,
        f"/items/{item.id}/updates",
        {"version": item.version, "note": "", **data},
        form_path=f"/items/{item.id}",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert words in html
    if field:
        assert f'id="u-{field}-error"' in html
    if data.get("progress") not in (None, "1"):
        assert f'value="{data["progress"]}"' in html
    assert _audit_count() == before


def test_staff_cannot_make_privileged_moves_nor_update_others_items(client, staff_item):
    item, _user = staff_item
    response = form_post(
        client,
        f"/items/{item.id}/updates",
        {"version": item.version, "status": "not_accepted", "note": "no"},
        form_path=f"/items/{item.id}",
    )
    assert response.status_code == 403
    other = make_item()
    response = form_post(
        client,
        f"/items/{other.id}/updates",
        {"version": other.version, "status": "in_progress"},
        form_path=f"/items/{item.id}",
    )
    assert response.status_code == 403
    assert (
        form_post(
            client,
            "/items/99999/updates",
            {"version": 1, "status": "x"},
            form_path=f"/items/{item.id}",
        ).status_code
        == 404
    )


def test_posting_without_csrf_is_refused(client, staff_item):
    item, _user = staff_item
    response = client.post(
        f"/items/{item.id}/updates", data={"version": item.version, "status": "in_progress"}
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Item, item.id).status == "not_started"


def test_comment_add_render_and_edit_own(client, staff_item):
    item, _user = staff_item
    path = f"/items/{item.id}"
    assert form_post(client, f"{path}/comments", {"body": "  "}, form_path=path).status_code == 422
    assert (
        form_post(client, f"{path}/comments", {"body": "x" * 10001}, form_path=path).status_code
        == 422
    )
    response = form_post(
        client,
        f"{path}/comments",
        {"body": "See [report](https://example.org) <img src=x onerror=y>"},
        form_path=path,
    )
    assert response.status_code == 302
    html = client.get(path).get_data(as_text=True)
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">report</a>' in html
    assert "<img" not in html
    comment = db.session.query(Comment).filter_by(item_id=item.id).one()
    edit = f"/comments/{comment.id}/edit"
    assert edit in html
    response = form_post(client, edit, {"body": "Corrected text"})
    assert response.status_code == 302
    html = client.get(path).get_data(as_text=True)
    assert "Corrected text" in html
    assert "(edited)" in html
    assert "Edited a comment." in html


def test_cannot_edit_someone_elses_comment(client, staff_item):
    item, _user = staff_item
    comment = item_services.add_comment(make_user("staff"), item, "Theirs")
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert client.get("/comments/99999/edit").status_code == 404


def test_viewer_cannot_comment(client):
    item = make_item()
    login(client, make_user("viewer"))
    response = form_post(
        client, f"/items/{item.id}/comments", {"body": "hi"}, form_path=f"/items/{item.id}"
    )
    assert response.status_code == 403


def test_measurement_recorded_and_bad_values_refused(client, staff_item):
    item, _user = staff_item
    indicator = item_services.create_indicator(SYSTEM, item, name="Deployed", unit="people")
    path = f"/indicators/{indicator.id}/measurements"
    for data, words in [
        ({"value": "many", "measured_on": "2025-01-01"}, "must be a number"),
        ({"value": "3", "measured_on": "yesterday"}, "must be a date"),
        ({"value": "3", "measured_on": "2999-01-01"}, "future"),
        ({"value": "", "measured_on": "2025-01-01"}, "required"),
    ]:
        response = form_post(client, path, data, form_path=f"/items/{item.id}")
        assert response.status_code == 422
        assert words in response.get_data(as_text=True)
    assert db.session.query(Measurement).count() == 0
    response = form_post(
        client, path, {"value": "8831", "measured_on": "2015-02-28"}, form_path=f"/items/{item.id}"
    )
    assert response.status_code == 302
    assert "8,831" in client.get(f"/items/{item.id}").get_data(as_text=True)
    response = form_post(
        client, path, {"value": "9000", "measured_on": "2015-02-28"}, form_path=f"/items/{item.id}"
    )
    assert response.status_code == 302
    history = client.get(f"/items/{item.id}").get_data(as_text=True).split('id="history"')[1]
    assert "Recorded 9,000 on 28 Feb 2015 for “Deployed”." in history
    assert "Recorded 8,831 on 28 Feb 2015 for “Deployed”." in history
    assert (
        form_post(
            client, "/indicators/99999/measurements", {"value": "1"}, form_path=f"/items/{item.id}"
        ).status_code
        == 404
    )


def _item_form(lead, **overrides):
    data = {
        "kind": "recommendation",
        "priority": "medium",
        "code": "",
        "title": "New one",
        "text": "Some text",
        "source_id": "",
        "source_section": "",
        "lead_id": str(lead.id),
        "owner_id": "",
        "due_date": "",
    }
    data.update(overrides)
    return data


def test_manager_creates_and_edits_an_item(client):
    lead, helper = make_org("LEADM"), make_org("HELPM")
    manager = make_user("manager", organisation=lead)
    login(client, manager)
    assert client.get("/items/new").status_code == 200
    response = form_post(
        client,
        "/items/new",
        _item_form(
            lead,
            title="Created here",
            due_date="2031-03-01",
            owner_id=str(manager.id),
            supporting_ids=[str(helper.id)],
        ),
    )
    assert response.status_code == 302
    item = db.session.query(Item).filter_by(title="Created here").one()
    assert item.supporting[0].acronym == "HELPM"
    assert item.owner_id == manager.id
    path = f"/items/{item.id}/edit"
    response = form_post(
        client, path, {**_item_form(lead, title="Renamed"), "version": item.version}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Item, item.id).title == "Renamed"


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"title": ""}, "title", "Required"),
        ({"title": "t" * 301}, "title", "Too long"),
        ({"due_date": "31/12/2030"}, "due_date", "Not a date"),
        ({"kind": "wish"}, "kind", "Not an allowed value"),
        ({"lead_id": ""}, "lead_id", "Required"),
        ({"lead_id": "abc"}, "lead_id", "Unknown id"),
        ({"lead_id": "999999"}, "lead_id", "Unknown id"),
        ({"owner_id": "999999"}, "owner_id", "Unknown id"),
        ({"supporting_ids": ["999999"]}, "supporting_ids", "Unknown id"),
    ],
)
def test_bad_item_forms_are_refused_next_to_the_field(client, overrides, field, words):
    lead = make_org()
    login(client, make_user("manager", organisation=lead))
    before = _audit_count()
    response = form_post(client, "/items/new", _item_form(lead, **overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 422, html[:300]
    assert words in html
    assert "has-error" in html
    if overrides.get("title", "").startswith("t"):
        assert 'value="' + "t" * 301 + '"' in html
    assert _audit_count() == before


def test_staff_and_viewers_get_no_manager_pages(client, staff_item):
    item, _user = staff_item
    assert client.get("/items/new").status_code == 403
    assert client.get(f"/items/{item.id}/edit").status_code == 403
    assert client.get(f"/items/{item.id}/indicators/new").status_code == 403
    assert (
        form_post(
            client, "/items/new", _item_form(item.lead), form_path=f"/items/{item.id}"
        ).status_code
        == 403
    )
    html = client.get("/items").get_data(as_text=True)
    assert "/items/new" not in html


def test_manager_adds_and_edits_an_indicator(client):
    item = make_item()
    login(client, make_user("manager"))
    path = f"/items/{item.id}/indicators/new"
    response = form_post(client, path, {"name": "", "baseline_value": "lots"})
    assert response.status_code == 422
    response = form_post(
        client,
        path,
        {
            "name": "Police deployed",
            "unit": "officers",
            "baseline_value": "1052",
            "baseline_date": "2015-02-28",
            "target_value": "1440",
            "target_date": "",
        },
    )
    assert response.status_code == 302
    indicator = db.session.query(Indicator).filter_by(item_id=item.id).one()
    edit = f"/indicators/{indicator.id}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert 'value="1052"' in page
    response = form_post(
        client,
        edit,
        {
            "name": "Police officers deployed",
            "unit": "officers",
            "baseline_value": "1052",
            "target_value": "1500",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Indicator, indicator.id)
    assert (saved.name, saved.target_value) == ("Police officers deployed", 1500)
    assert db.session.query(StatusUpdate).count() == 0


def test_nul_characters_are_refused_without_a_500(client, staff_item):
    item, _user = staff_item
    path = f"/items/{item.id}"
    before = _audit_count()
    for action, data in [
        ("/comments", {"body": "a\x00b"}),
        ("/updates", {"version": item.version, "status": "in_progress", "note": "a\x00b"}),
    ]:
        response = form_post(client, path + action, data, form_path=path)
        assert response.status_code == 400
        assert "NUL" in response.get_data(as_text=True)
    assert client.get("/items?q=a%00b").status_code == 400
    assert _audit_count() == before
