"""The public view shows a published recommendation's formal response (position, text, date:
what the lead organisation said, never who typed it) on its pages and in its feeds, filters by
it, and ignores the owner filter (who is assigned is not a public fact)."""

import csv
import io
from datetime import date

from app.extensions import db
from app.items import services as item_services
from tests.factories import SYSTEM, make_item, make_org, make_user
from tests.public.conftest import publish


def _responded(title: str, code: str, position: str, text: str):
    item = make_item(lead=make_org(f"L{code}"), title=title, code=code, kind="recommendation")
    db.session.flush()
    item_services.record_response(
        SYSTEM, item, item.version, position=position, text=text, responded_on=date(2026, 3, 2)
    )
    db.session.flush()
    publish(item, f"Summary of {title}.")
    return item


def test_the_public_pages_and_feeds_show_the_formal_response(client, public_on):
    item = _responded("Protect civilians", "R-RSP", "partially_accepted", "We **agree** in part.")
    db.session.commit()
    html = client.get(f"/public/items/{item.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Partially accepted" in html
    assert "<strong>agree</strong>" in html
    listing = client.get("/public", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Formal response: Partially accepted" in listing
    (entry,) = client.get("/public/items.json").get_json()["items"]
    assert entry["response"] == {
        "position": "partially_accepted",
        "text": "We **agree** in part.",
        "responded_on": "2026-03-02",
    }
    rows = list(csv.DictReader(io.StringIO(client.get("/public/items.csv").get_data(as_text=True))))
    assert (rows[0]["response"], rows[0]["response_date"]) == ("partially_accepted", "2026-03-02")
    french = client.get(f"/public/items/{item.id}?lang=fr").get_data(as_text=True)
    assert "Partiellement acceptée" in french


def test_the_public_list_filters_by_response(client, public_on):
    _responded("Protect civilians", "R-RS1", "accepted", "Yes.")
    publish(make_item(title="Without a response", code="R-RS2", kind="recommendation"))
    db.session.commit()
    accepted = client.get("/public/items.json?response=accepted").get_json()
    assert [i["code"] for i in accepted["items"]] == ["R-RS1"]
    without = client.get("/public/items.json?response=none").get_json()
    assert [i["code"] for i in without["items"]] == ["R-RS2"]


def test_the_public_view_ignores_who_is_assigned(client, public_on):
    owner = make_user("staff", name="Owner Person")
    owned = make_item(title="Owned item", code="R-OWN", owner=owner)
    publish(owned)
    publish(make_item(title="Nobody's item", code="R-NOB"))
    db.session.commit()
    by_owner = client.get(f"/public/items.json?owner={owner.id}").get_json()
    assert by_owner["total"] == 2  # not narrowed: the filter says nothing in public
    html = client.get("/public", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Assigned to me" not in html
