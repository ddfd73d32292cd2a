"""Nothing but what is published ever appears on the public view: every public page and feed
is walked (in both languages, with every filter a visitor could try, searching for each
secret) and searched for markers seeded in every place that must stay inside Suivi."""

import io

import pytest
from werkzeug.datastructures import FileStorage

from app.extensions import db
from app.items import evidence as evidence_files
from app.items import services as item_services
from app.public import services
from tests.factories import SYSTEM, make_item, make_org, make_user, set_status
from tests.public.conftest import publish

SECRETS = {
    "comment": "LEAKCOMMENT1",
    "edited comment": "LEAKCOMMENTOLD2",
    "status update note": "LEAKNOTE3",
    "evidence title": "LEAKEVTITLE4",
    "evidence filename": "leakevfile5",
    "evidence link": "LEAKEVURL6",
    "user name": "LEAKUSER7",
    "user email": "leakmail8",
    "manager name": "LEAKMANAGER9",
    "internal text": "LEAKTEXT10",
    "measurement note": "LEAKMEASURE11",
    "unpublished title": "LEAKUNPUB12",
    "withdrawn title": "LEAKWITHDRAWN13",
    "withdrawn summary": "LEAKOLDSUMMARY14",
}


def _seed(app) -> list[int]:
    lead = make_org("SEEN")
    staff = make_user(
        "staff",
        organisation=lead,
        name=SECRETS["user name"],
        email=f"{SECRETS['user email']}@example.org",
    )
    manager = make_user("manager", name=SECRETS["manager name"])
    item = make_item(
        lead=lead, title="Published and visible", text=SECRETS["internal text"], owner=staff
    )
    set_status(item, "in_progress", note=SECRETS["status update note"])
    comment = item_services.add_comment(staff, item, SECRETS["edited comment"])
    item_services.edit_comment(staff, comment, SECRETS["comment"])
    stored = evidence_files.store(
        FileStorage(io.BytesIO(b"minutes\n"), filename=f"{SECRETS['evidence filename']}.txt"),
        app.config["UPLOAD_FOLDER"],
        app.config["EVIDENCE_MAX_BYTES"],
    )
    item_services.attach_evidence(staff, item, title=SECRETS["evidence title"], stored_file=stored)
    item_services.attach_evidence(
        staff, item, title="", url=f"https://example.org/{SECRETS['evidence link']}"
    )
    indicator = item_services.create_indicator(SYSTEM, item, name="Patrols", unit="patrols")
    item_services.record_measurement(
        staff, indicator, value="3", measured_on="2025-01-15", note=SECRETS["measurement note"]
    )
    publish(item, "What the public may read.", actor=manager)
    hidden = make_item(lead=lead, title=SECRETS["unpublished title"])
    withdrawn = make_item(lead=lead, title=SECRETS["withdrawn title"])
    publish(withdrawn, SECRETS["withdrawn summary"], actor=manager)
    services.unpublish_item(manager, withdrawn, services.publication_of(withdrawn).version)
    db.session.commit()
    return [item.id, hidden.id, withdrawn.id]


def _public_urls(ids: list[int]) -> list[str]:
    queries = ["", "?lead=SEEN", "?status=in_progress", "?kind=recommendation", "?page=2"]
    queries += [f"?q={marker}" for marker in SECRETS.values()]
    urls = []
    for base in ("/public", "/public/items.csv", "/public/items.json"):
        urls += [base + query for query in queries]
    urls += [f"/public/items/{item_id}" for item_id in ids]
    return urls + [f"{url}{'&' if '?' in url else '?'}lang=fr" for url in urls]


def _without_echo(url: str, text: str) -> str:
    """The page without the visitor's own search echoed back (the search field, the links)."""
    if "q=" not in url:
        return text
    searched = url.split("q=")[1].split("&")[0]
    return text.replace(f'value="{searched}"', "").replace(f"q={searched}", "")


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_no_secret_appears_on_any_public_page_or_feed(app, client, public_on, logged_in):
    ids = _seed(app)
    if logged_in:  # a logged-in visitor sees exactly what the anonymous one sees
        from tests.helpers import login

        user = make_user("admin", name="Visiting Admin")
        db.session.commit()
        login(client, user)
    pages = {url: client.get(url) for url in _public_urls(ids)}
    assert {url for url, r in pages.items() if r.status_code >= 500} == set()
    found = [
        f"{what} ({marker}) in {url}"
        for url, response in pages.items()
        for what, marker in SECRETS.items()
        if marker.lower() in _without_echo(url, response.get_data(as_text=True)).lower()
    ]
    assert found == []
    # The walk did read the published item (it is not vacuous).
    assert pages[f"/public/items/{ids[0]}"].status_code == 200
    assert "Published and visible" in pages["/public/items.csv"].get_data(as_text=True)
    assert [pages[f"/public/items/{i}"].status_code for i in ids[1:]] == [404, 404]
