"""The public view's pages and feeds: off by default, published items only, the item list's
filters, two languages without login, cacheable."""

import csv
import io

import pytest

from app.extensions import db
from tests.factories import make_item, make_org
from tests.public.conftest import publish

PUBLIC_PATHS = ("/public", "/public/items.csv", "/public/items.json")


@pytest.mark.parametrize("path", [*PUBLIC_PATHS, "/public/items/1"])
def test_without_the_setting_the_public_view_does_not_exist(client, path):
    assert client.get(path).status_code == 404


def test_the_list_shows_published_items_only(client, public_on, published):
    make_item(title="A draft nobody published")
    db.session.commit()
    html = client.get("/public", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Deploy the police in the north" in html
    assert "A draft nobody published" not in html
    assert "1 item matches." in html


def test_filters_use_the_item_lists_parser(client, public_on, published):
    other = make_item(lead=make_org("ELSEWHERE"), title="Train the judges", kind="action")
    publish(other, "Judges are trained.")
    db.session.commit()
    by_lead = client.get("/public/items.json?lead=PUBLEAD").get_json()
    assert [i["title"] for i in by_lead["items"]] == ["Deploy the police in the north"]
    by_kind = client.get("/public/items.json?kind=action").get_json()
    assert [i["title"] for i in by_kind["items"]] == ["Train the judges"]
    by_words = client.get("/public/items.json?q=trained").get_json()  # the public summary
    assert by_words["total"] == 1
    assert client.get("/public/items.json?kind=nonsense").status_code == 400
    assert client.get("/public?status=nonsense").status_code == 400


def test_search_never_looks_into_the_internal_text(client, public_on):
    item = make_item(title="Public title", text="An internal remark about zanzibar")
    publish(item)
    db.session.commit()
    assert client.get("/public/items.json?q=zanzibar").get_json()["total"] == 0


def test_an_unpublished_item_has_no_public_page(client, public_on, published):
    hidden = make_item(title="Hidden")
    publish(hidden)
    from app.public import services
    from tests.factories import SYSTEM

    services.unpublish_item(SYSTEM, hidden, services.publication_of(hidden).version)
    db.session.commit()
    assert client.get(f"/public/items/{published.id}").status_code == 200
    assert client.get(f"/public/items/{hidden.id}").status_code == 404
    assert client.get("/public/items.json").get_json()["total"] == 1


def test_the_detail_page_renders_the_summary_safely(client, public_on):
    item = make_item(title="Markdown")
    publish(item, "**Bold** and <script>alert(1)</script>")
    db.session.commit()
    html = client.get(f"/public/items/{item.id}").get_data(as_text=True)
    assert "<strong>Bold</strong>" in html
    assert "<script>alert" not in html


def test_french_by_address_or_by_browser_without_login(client, public_on, published):
    by_address = client.get("/public?lang=fr", headers={"Accept-Language": "en"})
    assert '<html lang="fr">' in by_address.get_data(as_text=True)
    by_browser = client.get("/public", headers={"Accept-Language": "fr"})
    assert '<html lang="fr">' in by_browser.get_data(as_text=True)
    english = client.get("/public?lang=en", headers={"Accept-Language": "fr"})
    assert '<html lang="en">' in english.get_data(as_text=True)


def test_csv_and_json_carry_the_public_columns(client, public_on, published):
    response = client.get("/public/items.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["code"], r["lead"], r["status"]) for r in rows] == [
        ("R-PUB", "PUBLEAD", "not_started")
    ]
    assert rows[0]["summary"] == "The police **are** deploying."
    item = client.get("/public/items.json").get_json()["items"][0]
    assert item["lead"] == {"acronym": "PUBLEAD", "name": "Public Lead Organisation"}
    assert item["url"].endswith(f"/public/items/{published.id}")
    assert "owner" not in item
    assert "text" not in item


def test_a_csv_cell_never_starts_a_formula(client, public_on):
    publish(make_item(title="=HYPERLINK(1)"))
    db.session.commit()
    text = client.get("/public/items.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in text


def test_public_pages_are_cacheable_and_revalidate(client, public_on, published):
    response = client.get("/public")
    assert response.headers["Cache-Control"] == "public, max-age=300"
    etag = response.headers["ETag"]
    again = client.get("/public", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_a_logged_in_visitors_copy_is_kept_by_their_browser_only(client, public_on, published):
    from tests.factories import make_user
    from tests.helpers import login

    login(client, make_user("viewer"))
    assert client.get("/public").headers["Cache-Control"] == "private, max-age=300"


def test_public_pages_show_nothing_of_a_logged_in_user(client, public_on, published):
    from tests.factories import make_user
    from tests.helpers import login

    user = make_user("manager", name="Someone Logged In")
    db.session.commit()
    login(client, user)
    html = client.get("/public").get_data(as_text=True)
    assert "Someone Logged In" not in html
    assert user.email not in html


@pytest.fixture
def limiter_state():
    from app.extensions import limiter

    saved = dict(vars(limiter))
    yield
    vars(limiter).clear()
    vars(limiter).update(saved)


def test_public_pages_are_rate_limited_per_address(limiter_state):
    from app import create_app
    from tests.conftest import IsolatedClient, database_url_for_tests

    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url_for_tests(),
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        PUBLIC_VIEW=True,
        PUBLIC_RATE_LIMIT="3 per minute",
    )
    app.test_client_class = IsolatedClient
    client = app.test_client()
    statuses = [client.get(path).status_code for path in (*PUBLIC_PATHS, "/public")]
    assert statuses == [200, 200, 200, 429]
