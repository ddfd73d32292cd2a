"""Formal responses and bulk edits in a real browser: axe-core on the response form (with an
error), the bulk edit's fields page and its review, in English and French, and the whole bulk
edit walked with clicks only."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import check
from tests.browser.test_french import english_left


def _no_english_left(page, name: str, lang: str) -> None:
    if lang == "fr":
        left = english_left(page)
        assert not left, f"{name}: English left on the French page: {left}"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_response_form_and_its_errors(open_page, live_server, make_item, lang):
    item_id = make_item(f"Browser: a response ({lang})", lead="MINUSMA")
    page = open_page(role="admin", lang=lang, axe=True)
    page.goto(f"/items/{item_id}")
    section = page.locator("#response")
    section.locator("summary").click()
    check(page, "response-form", lang)
    _no_english_left(page, "response-form", lang)
    section.locator("select[name=position]").select_option("partially_accepted")
    section.locator("textarea[name=text]").fill("**In part**: the budget allows half.")
    section.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/items/{item_id}#response")
    expect(page.locator("#response strong").first).to_be_visible()
    page.locator("#response summary").click()
    page.locator("#response input[name=responded_on]").fill("2999-01-01")
    page.locator("#response button[type=submit]").click()
    expect(page.locator("#response [aria-invalid=true]").first).to_be_visible()
    check(page, "response-form-errors", lang)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_bulk_edit_by_clicks_with_its_pages_checked(open_page, live_server, make_item, lang):
    titles = [f"Browser bulk {lang} {n}" for n in (1, 2)]
    ids = [make_item(title, lead="MINUSMA") for title in titles]
    page = open_page(role="manager", lang=lang, axe=True)
    page.goto(f"/items?q=Browser+bulk+{lang}")
    page.locator("input[data-select-all]").check()  # the script's "select all"
    for item_id in ids:
        expect(page.locator(f"input[name=item][value='{item_id}']")).to_be_checked()
    page.locator("button[name=step][value=choose]").click()
    expect(page.locator("select[name=priority]")).to_be_visible()
    check(page, "bulk-fields", lang)
    _no_english_left(page, "bulk-fields", lang)
    page.locator("select[name=priority]").select_option("high")
    page.locator("button[name=step][value=preview]").click()
    expect(page.locator("button[name=step][value=apply]")).to_be_visible()
    check(page, "bulk-review", lang)
    _no_english_left(page, "bulk-review", lang)
    page.locator("button[name=step][value=apply]").click()
    expect(page).to_have_url(f"{live_server.url}/items")
    for item_id in ids:
        page.goto(f"/items/{item_id}")
        expect(page.locator("dl.facts")).to_contain_text("High" if lang == "en" else "Haute")
