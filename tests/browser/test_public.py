"""The public view in a real browser: a manager publishes an item with a public summary, an
anonymous visitor reads exactly the published items and nothing else, in English and French;
the new pages pass axe."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from tests.browser.test_accessibility import check
from tests.browser.test_french import english_left


@pytest.fixture
def public_view(live_server):
    live_server.app.config["PUBLIC_VIEW"] = True
    yield
    live_server.app.config["PUBLIC_VIEW"] = False


def _published_titles(live_server) -> set[str]:
    from app.items.models import Item
    from app.public.models import Publication

    with live_server.app.app_context():
        titles = set(
            db.session.scalars(
                select(Item.title)
                .join(Publication, Publication.item_id == Item.id)
                .where(Publication.is_published.is_(True))
            )
        )
        db.session.remove()
    return titles


def _publish(page, item_id: int, summary: str) -> None:
    page.goto(f"/items/{item_id}")
    page.get_by_role("link", name="Public view").click()
    page.get_by_label("Public summary").fill(summary)
    page.get_by_role("button", name="Save and publish").click()
    expect(page.locator(".flashes")).to_contain_text("published on the public view")


def test_an_anonymous_visitor_reads_exactly_the_published_items(
    open_page, make_item, live_server, public_view
):
    shown = make_item("Browser: published for all", lead="MINUSMA", status="in_progress")
    make_item("Browser: kept inside", lead="MINUSMA")
    manager = open_page(role="manager")
    _publish(manager, shown, "Patrols **resumed** in the north.")

    visitor = open_page()  # no login
    visitor.goto("/public")
    titles = visitor.locator(".public-items h2 a")
    expected = _published_titles(live_server)
    assert "Browser: published for all" in expected
    assert "Browser: kept inside" not in expected
    found = {re.sub(r"^\S+ ", "", t.strip()) for t in titles.all_inner_texts()}
    assert found == expected
    visitor.get_by_role("link", name=re.compile("Browser: published for all")).click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Browser: published for all")
    expect(visitor.locator(".item-text strong")).to_have_text("resumed")
    visitor.get_by_role("link", name="Français").click()
    expect(visitor.locator("html")).to_have_attribute("lang", "fr")
    expect(visitor.get_by_role("heading", name="Résumé public")).to_be_visible()
    assert visitor.goto(f"/public/items/{shown + 1}").status == 404  # the one kept inside


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_public_pages_are_accessible(open_page, make_item, live_server, public_view, lang):
    item_id = make_item(f"Browser: accessible public page ({lang})", lead="MINUSMA")
    manager = open_page(role="manager", lang=lang, axe=True)
    manager.goto(f"/items/{item_id}/publication")
    check(manager, "publication", lang)
    manager.get_by_role("textbox").fill("A summary for the public.")
    manager.locator("button[value=publish]").click()
    visitor = open_page(lang=lang, axe=True)
    for name, path in (("public", "/public"), ("public-detail", f"/public/items/{item_id}")):
        visitor.goto(path)
        check(visitor, name, lang)
        if lang == "fr":
            assert not english_left(visitor), f"{name}: {english_left(visitor)}"
