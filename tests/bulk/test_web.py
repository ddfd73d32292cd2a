"""Bulk edits from the item list: checkboxes for managers only, the fields page, the review,
applying in one transaction, conflicts shown, forged posts refused."""

import re

from app.extensions import db
from app.items import services
from tests.factories import SYSTEM, make_item, make_org, make_user
from tests.helpers import csrf_token, login


def _post(client, data):
    return client.post("/items/bulk", data={"csrf_token": csrf_token(client, "/items"), **data})


def _selected(*items, **fields):
    data = {"item": [str(i.id) for i in items], **fields}
    data.update({f"v{i.id}": str(i.version) for i in items})
    return data


def test_managers_see_checkboxes_with_the_versions_and_others_do_not(client):
    item = make_item()
    login(client, make_user("manager"))
    html = client.get("/items").get_data(as_text=True)
    assert f'name="item" value="{item.id}"' in html
    assert f'name="v{item.id}" value="{item.version}"' in html
    assert 'action="/items/bulk"' in html
    for role in ("staff", "viewer"):
        other = client.application.test_client()
        login(other, make_user(role))
        html = other.get("/items").get_data(as_text=True)
        assert 'name="item"' not in html
        assert 'action="/items/bulk"' not in html


def test_choose_review_and_apply(client):
    lead, new_lead = make_org("BLK1"), make_org("BLK2")
    first = make_item(lead=lead, title="Bulk first")
    second = make_item(lead=new_lead, title="Bulk second")
    login(client, make_user("manager"))
    page = _post(client, _selected(first, second, step="choose"))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Edit 2 items" in html
    assert "Leave unchanged" in html
    review = _post(
        client, _selected(first, second, step="preview", lead_id=str(new_lead.id), priority="high")
    )
    assert review.status_code == 200
    html = review.get_data(as_text=True)
    assert "2 of the 2 selected items will change." in html
    assert "BLK1 → BLK2" in html
    assert first.lead_id == lead.id  # a review writes nothing
    done = _post(
        client, _selected(first, second, step="apply", lead_id=str(new_lead.id), priority="high")
    )
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/items")
    db.session.expire_all()
    assert (first.lead_id, second.lead_id) == (new_lead.id, new_lead.id)
    assert (first.priority, second.priority) == ("high", "high")
    assert "2 of the 2 selected items changed." in client.get("/items").get_data(as_text=True)


def test_an_item_changed_meanwhile_is_shown_and_nothing_is_written(client):
    first, second = make_item(priority="low"), make_item(priority="low")
    login(client, make_user("manager"))
    seen = _selected(first, second, step="apply", priority="high")
    services.edit_item(SYSTEM, second, second.version, title="Changed meanwhile")
    db.session.commit()
    response = _post(client, seen)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Nothing was saved." in html
    assert "Changed by someone else since you saw it" in html
    assert f'name="v{second.id}" value="{second.version}"' in html  # to confirm again
    db.session.expire_all()
    assert (first.priority, second.priority) == ("low", "low")


def test_bad_fields_come_back_with_messages(client):
    item = make_item()
    login(client, make_user("manager"))
    response = _post(client, _selected(item, step="preview", due_mode="set", due_date="2026-02-31"))
    assert response.status_code == 422
    assert 'id="b-due-error"' in response.get_data(as_text=True)
    response = _post(client, _selected(item, step="preview"))
    assert response.status_code == 422
    assert "Choose at least one field to change." in response.get_data(as_text=True)


def test_an_empty_or_oversized_selection_is_refused(client):
    login(client, make_user("manager"))
    response = _post(client, {"step": "choose"})
    assert response.status_code == 422
    assert "Select at least one item." in response.get_data(as_text=True)
    response = _post(client, {"step": "choose", "item": [str(i) for i in range(1, 203)]})
    assert response.status_code == 422
    assert "at most 200 items" in response.get_data(as_text=True)
    response = _post(client, {"step": "choose", "item": ["abc"]})
    assert response.status_code == 422


def test_a_forged_post_by_staff_or_viewer_is_403(client):
    org = make_org()
    item = make_item(lead=org, priority="low")
    for role in ("staff", "viewer"):
        other = client.application.test_client()
        login(other, make_user(role, org))
        response = other.post(
            "/items/bulk",
            data={
                "csrf_token": csrf_token(other, "/items"),
                **_selected(item, step="apply", priority="high"),
            },
        )
        assert response.status_code == 403
    db.session.expire_all()
    assert item.priority == "low"


def test_the_list_keeps_its_statement_count_with_checkboxes(client):
    from tests.web.test_item_queries_count import counted

    orgs = [make_org(f"S{k}") for k in range(3)]
    login(client, make_user("manager"))
    for i in range(5):
        make_item(lead=orgs[i % 3], supporting=[orgs[(i + 1) % 3]])
    with counted() as small:
        html = client.get("/items").get_data(as_text=True)
    assert len(re.findall(r'name="item"', html)) == 5
    for i in range(35):
        make_item(lead=orgs[i % 3], supporting=[orgs[(i + 1) % 3]])
    with counted() as large:
        html = client.get("/items").get_data(as_text=True)
    assert len(re.findall(r'name="item"', html)) == 40
    assert len(small) == len(large) <= 12, large
