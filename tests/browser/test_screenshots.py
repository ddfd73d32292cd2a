"""Screenshots of the list and the item page for people to look at, in test-artifacts/."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_screenshots_of_the_list_and_the_item_page(open_page, seed_ids, lang):
    page = open_page(role="manager", lang=lang)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/items")
    expect(page.locator("table.items tbody tr").first).to_be_visible()
    assert screenshot(page, f"items-list-{lang}").stat().st_size > 10_000

    page.goto(f"/items/{seed_ids['C6']}")  # two indicators with their charts
    expect(page.locator("#h-indicators")).to_be_visible()
    assert screenshot(page, f"item-detail-{lang}").stat().st_size > 10_000


def test_screenshots_on_a_phone(open_page, seed_ids):
    page = open_page(role="staff")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/items")
    expect(page.locator("table.items")).to_be_visible()
    screenshot(page, "items-list-phone")
    page.goto(f"/items/{seed_ids['R1']}")
    expect(page.locator("#update")).to_be_visible()
    screenshot(page, "item-detail-phone")
