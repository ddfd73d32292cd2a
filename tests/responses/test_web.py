"""The formal response on the item page: shown with its history, the form for those who
may respond, refusals, conflicts, and the response filter of the item list."""

from app.extensions import db
from app.items import queries, services
from tests.factories import SYSTEM, make_item, make_org, make_user
from tests.helpers import csrf_token, form_post, login


def _form(item, **values):
    return {
        "position": "accepted",
        "responded_on": "2026-01-10",
        "text": "We agree.",
        "version": str(item.version),
        **values,
    }


def test_lead_staff_records_a_response_through_the_form(client):
    lead = make_org()
    item = make_item(lead=lead)
    login(client, make_user("staff", lead))
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert 'id="response"' in page
    assert f'action="/items/{item.id}/response"' in page
    response = form_post(client, f"/items/{item.id}/response", _form(item, text="**Yes**, fully."))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/items/{item.id}#response")
    saved = queries.current_response(item)
    assert (saved.position, saved.text, saved.responded_on.isoformat()) == (
        "accepted",
        "**Yes**, fully.",
        "2026-01-10",
    )
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "<strong>Yes</strong>, fully." in page
    assert "Response saved." in page


def test_revisions_are_listed_and_markdown_is_sanitised(client):
    item = make_item()
    script = "<script>x</script>"
    services.record_response(SYSTEM, item, item.version, position="noted", text=script)
    services.record_response(SYSTEM, item, item.version, position="accepted", text="Now yes.")
    db.session.flush()
    login(client, make_user("viewer"))
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "Earlier responses" in page
    assert page.count("Recorded the formal response:") == 2  # in the timeline
    assert "Noted" in page
    assert "<script>x</script>" not in page
    assert f'action="/items/{item.id}/response"' not in page  # a viewer has no form


def test_supporting_staff_sees_no_form_and_a_forged_post_is_403(client):
    lead, helper = make_org(), make_org()
    item = make_item(lead=lead, supporting=[helper])
    login(client, make_user("staff", helper))
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert f'action="/items/{item.id}/response"' not in page
    token = csrf_token(client, f"/items/{item.id}")
    response = client.post(f"/items/{item.id}/response", data={"csrf_token": token, **_form(item)})
    assert response.status_code == 403
    assert queries.current_response(item) is None


def test_a_challenge_has_no_response_section(client):
    item = make_item(kind="challenge")
    login(client, make_user("admin"))
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert 'id="response"' not in page
    response = form_post(
        client, f"/items/{item.id}/response", _form(item), form_path=f"/items/{item.id}"
    )
    assert response.status_code == 403


def test_bad_values_come_back_with_messages_and_nothing_saved(client):
    item = make_item()
    login(client, make_user("manager"))
    response = form_post(
        client,
        f"/items/{item.id}/response",
        _form(item, position="maybe", responded_on="2026-13-40"),
        form_path=f"/items/{item.id}",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was saved." in page
    assert 'id="r-position-error"' in page
    assert 'id="r-date-error"' in page
    assert "We agree." in page  # what was typed is kept
    assert queries.current_response(item) is None


def test_a_stale_form_is_a_conflict_that_keeps_what_was_typed(client):
    item = make_item()
    login(client, make_user("manager"))
    stale = _form(item, text="My view.")
    services.record_response(SYSTEM, item, item.version, position="rejected", text="Theirs.")
    db.session.flush()
    response = form_post(client, f"/items/{item.id}/response", stale, form_path=f"/items/{item.id}")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Theirs." in page
    assert "My view." in page
    assert f'name="version" value="{item.version}"' in page
    assert queries.current_response(item).position == "rejected"


def test_the_item_list_filters_by_response(client):
    answered, silent = make_item(title="Answered one"), make_item(title="Silent one")
    services.record_response(SYSTEM, answered, answered.version, position="noted")
    db.session.flush()
    login(client, make_user("viewer"))
    page = client.get("/items?response=noted").get_data(as_text=True)
    assert "Answered one" in page
    assert "Silent one" not in page
    page = client.get("/items?response=none").get_data(as_text=True)
    assert "Silent one" in page
    assert "Answered one" not in page
    assert client.get("/items?response=maybe").status_code == 400
    assert silent.id


def test_the_reports_page_counts_responses(client):
    item = make_item()
    services.record_response(SYSTEM, item, item.version, position="partially_accepted")
    db.session.flush()
    login(client, make_user("viewer"))
    page = client.get("/reports").get_data(as_text=True)
    assert "By formal response" in page
    assert "Partially accepted" in page
