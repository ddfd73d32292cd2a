"""Bytes on the wire: answers compressed when the client accepts it, static files cached for
a year under their versioned URL, and the item list and item pages answered 304 when the
browser already holds them."""

import gzip

import brotli
import pytest

from app.auth import services as auth_services
from app.items import services as item_services
from tests.factories import SYSTEM, make_item, make_org, make_user
from tests.helpers import login


@pytest.fixture
def staff(client):
    org = make_org("WIRE")
    user = make_user("staff", organisation=org)
    for n in range(30):
        make_item(lead=org, title=f"Recommendation on the wire {n}")
    login(client, user)
    return user


def test_pages_are_gzipped_when_the_client_accepts_gzip(client, staff):
    plain = client.get("/items")
    packed = client.get("/items", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data) / 3
    html = gzip.decompress(packed.data).decode()
    assert "Recommendation on the wire 29" in html


def test_brotli_is_preferred_when_the_client_asks_for_it(client, staff):
    packed = client.get("/items", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "br"
    assert "Recommendation on the wire 0" in brotli.decompress(packed.data).decode()


def test_api_json_is_compressed(client, staff):
    _token, secret = auth_services.create_token(SYSTEM, staff, "wire")
    headers = {"Authorization": f"Bearer {secret}", "Accept-Encoding": "gzip"}
    answer = client.get("/api/v1/items?per_page=30", headers=headers)
    assert answer.headers["Content-Encoding"] == "gzip"
    assert b"Recommendation on the wire 29" in gzip.decompress(answer.data)


def test_the_streamed_csv_is_compressed(client, staff):
    answer = client.get("/reports/status.csv", headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert b"Recommendation on the wire 7" in gzip.decompress(answer.data)


def test_nothing_is_compressed_for_a_client_that_does_not_ask(client, staff):
    answer = client.get("/items")
    assert "Content-Encoding" not in answer.headers


def test_a_static_file_under_its_versioned_url_is_cached_for_a_year(client, app):
    version = app.config["ASSET_VERSION"]
    answer = client.get(f"/static/css/suivi.css?v={version}")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_static_file_under_another_url_is_revalidated(client):
    answer = client.get("/static/css/suivi.css?v=old")
    assert answer.headers["Cache-Control"] == "no-cache"
    again = client.get("/static/css/suivi.css", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304


def test_the_pages_link_the_versioned_static_files(client, app, staff):
    html = client.get("/items").get_data(as_text=True)
    assert f"/static/css/suivi.css?v={app.config['ASSET_VERSION']}" in html


def test_the_list_page_answers_304_while_nothing_changed(client, staff):
    first = client.get("/items?sort=title")
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = client.get("/items?sort=title", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""


def test_the_list_page_is_sent_again_once_an_item_changed(client, staff):
    etag = client.get("/items").headers["ETag"]
    make_item(lead=staff.organisation, title="A new one")
    again = client.get("/items", headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert "A new one" in again.get_data(as_text=True)


def test_the_item_page_answers_304_until_it_changes(client, staff):
    item = make_item(lead=staff.organisation, title="Watched closely")
    first = client.get(f"/items/{item.id}")
    etag = first.headers["ETag"]
    assert client.get(f"/items/{item.id}", headers={"If-None-Match": etag}).status_code == 304
    item_services.add_comment(staff, item, "Something new.")
    again = client.get(f"/items/{item.id}", headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert "Something new." in again.get_data(as_text=True)


def test_another_user_never_gets_304_for_the_same_page(client, app, staff):
    item = make_item(lead=staff.organisation)
    etag = client.get(f"/items/{item.id}").headers["ETag"]
    other = app.test_client()
    login(other, make_user("viewer", organisation=staff.organisation))
    assert other.get(f"/items/{item.id}", headers={"If-None-Match": etag}).status_code == 200


def test_pages_without_etag_stay_out_of_the_browser_cache(client, staff):
    answer = client.get("/my-work")
    assert answer.headers["Cache-Control"] == "no-store"
    assert "ETag" not in answer.headers
