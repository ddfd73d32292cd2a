"""Lists that sort as people read (issue 13, point 7): codes in natural order (R2 before R10)
in the list and the pick-lists, sorting by lead and due date, a hint where a box holds more
than it shows, and a filter URL without empty parameters."""

from datetime import date

from app.core.natural import natural_key
from app.items import services as item_services
from tests.factories import SYSTEM, make_item, make_org, make_user
from tests.helpers import login


def _titles_in_order(html: str, titles: list[str]) -> list[str]:
    return sorted(titles, key=html.index)


def test_natural_key_compares_numbers_as_numbers():
    codes = ["R10", "R2", "C8", "R1", "2227-b-ii", "2227-b-i", "2227-a", None]
    assert sorted(codes, key=natural_key) == [
        "2227-a", "2227-b-i", "2227-b-ii", "C8", "R1", "R2", "R10", None
    ]  # fmt: skip


def test_the_list_sorts_codes_naturally_and_by_lead_and_due_date(client):
    a, b = make_org("BETA"), make_org("ALPHA")
    make_item(lead=a, code="R10", title="Tenth", due_date=date(2030, 1, 1))
    make_item(lead=b, code="R2", title="Second", due_date=date(2031, 1, 1))
    make_item(lead=a, code="R1", title="First")
    login(client, make_user("viewer"))
    titles = ["First", "Second", "Tenth"]
    html = client.get("/items?sort=code").get_data(as_text=True)
    assert _titles_in_order(html, titles) == ["First", "Second", "Tenth"]
    html = client.get("/items?sort=code&order=desc").get_data(as_text=True)
    assert _titles_in_order(html, titles) == ["Tenth", "Second", "First"]
    html = client.get("/items?sort=lead").get_data(as_text=True)
    assert _titles_in_order(html, titles) == ["Second", "First", "Tenth"]
    html = client.get("/items?sort=due_date").get_data(as_text=True)
    assert _titles_in_order(html, titles) == ["Tenth", "Second", "First"]


def test_pick_lists_are_in_natural_order_with_a_hint_when_they_scroll(client):
    for n in (10, 2, 1, 3, 4, 5, 6, 7, 8, 9):
        make_org(f"ORG-N{n}")
    for code in ("T10", "T9"):
        item_services.create_theme(SYSTEM, code=code, title=f"Theme {code}")
    login(client, make_user("manager"))
    html = client.get("/items/new").get_data(as_text=True)
    fieldset = html.split('id="i-supporting-count"')[1].split("</fieldset>")[0]
    assert fieldset.index("ORG-N2 ") < fieldset.index("ORG-N10 ")
    assert 'id="i-supporting-count"' in html
    assert "0 of " in html.split('id="i-supporting-count"')[1][:80]
    assert html.index("T9 Theme T9") < html.index("T10 Theme T10")
    listing = client.get("/items").get_data(as_text=True)
    assert listing.index(">ORG-N9<") < listing.index(">ORG-N10<")


def test_a_dirty_filter_url_redirects_to_the_clean_one(client):
    login(client, make_user("viewer"))
    response = client.get("/items?kind=&status=in_progress&lead=&q=+&sort=code&page=")
    assert response.status_code == 302
    assert response.headers["Location"] == "/items?status=in_progress&sort=code"
    everything_empty = client.get("/items?kind=&status=")
    assert everything_empty.headers["Location"] == "/items"
    assert client.get("/items?status=in_progress").status_code == 200
    reports = client.get("/reports?kind=&lead=&as_of=")
    assert reports.status_code == 302
    assert reports.headers["Location"] == "/reports"
