"""The import's preview page, with a row in error and a row to create, is accessible in
English and French (axe-core), without JavaScript of its own."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import check
from tests.browser.test_french import english_left

FILE = (
    b"code;kind;title;lead\n"
    b"BR-1;recommendation;Browser import;MINUSMA\n"
    b"BR-2;recommendation;Browser import error;MINUSMX\n"
)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_import_preview_has_no_serious_accessibility_violation(open_page, live_server, lang):
    page = open_page(role="manager", lang=lang, axe=True)
    page.goto("/imports")
    page.locator("input[type=file]").set_input_files(
        {"name": f"browser-{lang}.csv", "mimeType": "text/csv", "buffer": FILE}
    )
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("[role=alert]").first).to_be_visible()
    expect(page.get_by_text("MINUSMA", exact=False).first).to_be_visible()
    check(page, "import-preview", lang)
    if lang == "fr":
        assert not english_left(page)
