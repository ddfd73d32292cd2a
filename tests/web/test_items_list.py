"""The item list and my work: filters in the URL, sorting, pagination, bad filters."""

from datetime import timedelta

from app.core.time import today
from app.items import services as item_services
from tests.factories import SYSTEM, make_item, make_org, make_user, set_status
from tests.helpers import login


def test_list_shows_rows_with_status_progress_lead_and_flags(client):
    org = make_org("LEADX")
    late = make_item(
        lead=org, title="Late work", code="L1", due_date=(today() - timedelta(days=3)).isoformat()
    )
    set_status(late, "in_progress", progress=40)
    make_item(lead=org, title="Other work")
    login(client, make_user("viewer"))
    response = client.get("/items")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 items match." in html
    assert f'href="/items/{late.id}"' in html
    assert "Late work" in html
    assert "badge status-in_progress" in html
    assert "40%" in html  # English writes no space before the sign
    assert "LEADX" in html
    assert 'class="badge overdue"' in html
    assert html.count("<h1") == 1


def test_filters_are_kept_in_the_url_and_applied(client):
    a, b = make_org("AAA"), make_org("BBB")
    make_item(lead=a, title="Alpha water", kind="challenge")
    make_item(lead=b, title="Beta water")
    make_item(lead=a, title="Gamma fire")
    login(client, make_user("viewer"))
    html = client.get("/items?lead=AAA&q=water").get_data(as_text=True)
    assert "1 item matches." in html
    assert "Alpha water" in html
    assert "Beta water" not in html
    assert "<option selected>AAA</option>" in html
    assert 'value="water"' in html
    if "reports.status_csv" in client.application.view_functions:  # exports of this view
        assert 'href="/reports/status.csv?lead=AAA&amp;q=water"' in html
    html = client.get("/items?kind=challenge").get_data(as_text=True)
    assert "Alpha water" in html
    assert "Gamma fire" not in html


def test_sorting_and_pagination(client):
    org = make_org()
    for n in range(5):
        make_item(lead=org, title=f"Sorted {n}")
    login(client, make_user("viewer"))
    html = client.get("/items?sort=title&order=desc&per_page=2").get_data(as_text=True)
    assert html.index("Sorted 4") < html.index("Sorted 3")
    assert "Sorted 0" not in html
    assert "Page 1 of 3." in html
    assert 'rel="next"' in html
    assert "page=2" in html
    assert "sort=title" in html
    assert "order=desc" in html
    html = client.get("/items?sort=title&order=desc&per_page=2&page=3").get_data(as_text=True)
    assert "Sorted 0" in html
    assert "Sorted 4" not in html
    # The column headers sort too, keeping the filters; the sorted one says how.
    assert 'aria-sort="descending"><a href="/items?sort=title&amp;order=asc&amp;per_page=2"' in html
    assert 'href="/items?sort=progress&amp;order=asc&amp;per_page=2"' in html


def test_bad_filter_values_answer_400_with_the_message(client):
    login(client, make_user("viewer"))
    for query, words in [
        ("status=done", "Status must be one of: not_started, in_progress"),
        ("kind=x", "Kind must be one of: challenge, recommendation, action, opportunity."),
        ("overdue=perhaps", "Overdue must be true or false."),
        ("page=0", "Page must be a whole number from 1 to 1000000."),
        ("page=1000001", "Page must be a whole number from 1 to 1000000."),
        ("page=abc", "Page must be a whole number."),
        ("per_page=1000", "Items per page must be a whole number from 1 to 200."),
        ("sort=nope", "Sort must be one of: id, code, lead, title"),
        ("sort=updated", "Sort must be one of: id, code, lead, title"),
        ("order=up", "Order must be one of: asc, desc."),
        ("q=" + "x" * 300, "Search is longer than 200 characters."),
    ]:
        response = client.get("/items?" + query)
        assert response.status_code == 400, query
        assert words in response.get_data(as_text=True), query


def test_list_needs_login(client):
    response = client.get("/items")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_my_work_lists_items_led_or_supported_overdue_and_stale_first(client):
    mine, other = make_org("MINE"), make_org("OTHER")
    user = make_user("staff", organisation=mine)
    make_item(lead=mine, title="Led on time", due_date=(today() + timedelta(days=9)).isoformat())
    make_item(
        lead=other,
        title="Supported late",
        supporting=[mine],
        due_date=(today() - timedelta(days=2)).isoformat(),
    )
    make_item(lead=other, title="Not mine")
    login(client, user)
    html = client.get("/my-work").get_data(as_text=True)
    assert "Led on time" in html
    assert "Supported late" in html
    assert "Not mine" not in html
    assert html.index("Supported late") < html.index("Led on time")
    assert "2 items." in html
    assert '<span class="badge overdue">1 overdue</span>' in html
    assert client.get("/").headers["Location"].endswith("/my-work")


def test_closed_items_are_not_overdue_in_the_list(client):
    org = make_org()
    item = make_item(lead=org, title="Done", due_date=(today() - timedelta(days=3)).isoformat())
    set_status(item, "verified")
    item_services.edit_item(SYSTEM, item, item.version, title="Done and verified")
    login(client, make_user("viewer"))
    html = client.get("/items").get_data(as_text=True)
    assert "Done and verified" in html
    assert 'class="badge overdue"' not in html


def test_list_of_50_items_with_its_css_and_js_weighs_under_60_kb(client, app):
    import os
    import re

    orgs = [make_org() for _ in range(3)]
    for n in range(50):
        item = make_item(
            lead=orgs[n % 3],
            code=f"W{n}",
            supporting=[orgs[(n + 1) % 3]],
            title=f"Deploy a mobile team to the northern regions, report {n}",
            due_date=(today() - timedelta(days=n - 25)).isoformat(),
        )
        if n % 2:
            set_status(item, "in_progress", progress=n)
    login(client, make_user("viewer"))
    html = client.get("/items").get_data(as_text=True)
    assert "50 items match." in html
    assert html.count("<tr>") == 51
    assets = re.findall(r'(?:href|src)="/static/([^"?]+\.(?:css|js))', html)
    assert {"css/suivi.css", "js/items.js"} <= set(assets)
    weight = len(html.encode()) + sum(
        os.path.getsize(os.path.join(app.static_folder, path)) for path in set(assets)
    )
    assert weight < 60 * 1024, weight
    # No inline script or style: the CSP would refuse them.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html
