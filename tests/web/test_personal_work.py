"""Personal work (issue 13, point 5): My work holds what the user owns as well as their
organisation's items; ``owner=me`` filters the list, the API and the reports alike; the list
shows the owner; a refusal says its real reason."""

from app.auth import services as auth_services
from app.extensions import db
from tests.factories import SYSTEM, make_item, make_org, make_user
from tests.helpers import login


def _world():
    mine, other = make_org("MINE"), make_org("ELSE")
    user = make_user("staff", mine, name="Awa Traoré")
    colleague = make_user("staff", other, name="Moussa Keïta")
    owned = make_item(lead=other, title="Owned elsewhere", owner=user)
    led = make_item(lead=mine, title="Led by us")
    theirs = make_item(lead=other, title="Someone else's", owner=colleague)
    return user, owned, led, theirs


def test_my_work_shows_what_the_user_owns_besides_their_organisations_items(client):
    user = _world()[0]
    login(client, user)
    html = client.get("/my-work").get_data(as_text=True)
    assert "Owned elsewhere" in html
    assert "Led by us" in html
    assert "Someone else&#39;s" not in html
    assert "2 items." in html


def test_assigned_to_me_filters_the_list_and_shows_the_owner(client):
    user = _world()[0]
    login(client, user)
    html = client.get("/items?owner=me").get_data(as_text=True)
    assert "Owned elsewhere" in html
    assert "Led by us" not in html
    assert "1 item matches." in html
    everything = client.get("/items").get_data(as_text=True)
    assert "Moussa Keïta" in everything  # the owner column
    assert "<strong>Me</strong>" in everything


def test_assigned_to_me_in_the_api_and_the_csv(client):
    user = _world()[0]
    _record, token = auth_services.create_token(SYSTEM, user, "t")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    body = client.get("/api/v1/items?owner=me", headers=headers).get_json()
    assert [i["title"] for i in body["items"]] == ["Owned elsewhere"]
    csv = client.get("/reports/status.csv?owner=me", headers=headers).get_data(as_text=True)
    assert "Owned elsewhere" in csv
    assert "Led by us" not in csv
    refused = client.get("/api/v1/items?owner=somebody", headers=headers)
    assert refused.status_code == 400


def test_a_403_says_the_real_reason(client):
    viewer = make_user("viewer")
    item = make_item()
    login(client, viewer)
    response = client.get(f"/items/{item.id}/edit")
    assert response.status_code == 403
    assert "Only a manager or an admin may do this." in response.get_data(as_text=True)
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "Viewers read and export; they do not post updates or evidence." in page
    admin = client.get("/admin/users")
    assert admin.status_code == 403
    assert "Only an admin manages users and organisations." in admin.get_data(as_text=True)
