"""Phones (issue 13, point 11), on a 375 px wide screen: the list's filters fold away so that
the first item shows on the first screen, no select or code is cut, and no page scrolls
sideways; with screenshots of the list on a phone, of My work and of an item staff may not
update, in English and French, for people to look at."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from tests.browser.conftest import screenshot

PHONE = {"width": 375, "height": 667}
WIDE_ENOUGH = "document.scrollingElement.scrollWidth <= window.innerWidth"


def _cut(page, selector: str) -> list[str]:
    """The elements matching ``selector`` that reach past the right edge of the screen."""
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
            .filter(el => el.offsetParent !== null)
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map(el => el.outerHTML.slice(0, 80))""",
        selector,
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_list_on_a_phone_shows_items_first_with_the_filters_folded(open_page, lang):
    page = open_page(role="staff", lang=lang)
    page.set_viewport_size(PHONE)
    page.goto("/items")
    fold = page.locator("details#filters-fold")
    expect(fold).not_to_have_attribute("open", "")
    first = page.locator("table.items tbody tr").first
    expect(first).to_be_visible()
    box = first.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"], box
    assert page.evaluate(WIDE_ENOUGH)
    assert _cut(page, "table.items td") == []
    screenshot(page, f"items-list-phone-{lang}")
    fold.locator("summary").click()
    expect(page.locator("#f-status")).to_be_visible()
    assert _cut(page, "select, input, button") == []
    assert page.evaluate(WIDE_ENOUGH)
    screenshot(page, f"items-list-phone-filters-{lang}")


def test_pages_do_not_scroll_sideways_on_a_phone(open_page, seed_ids):
    page = open_page(role="manager")
    page.set_viewport_size(PHONE)
    for path in (
        "/reports",
        "/items",
        "/my-work",
        "/organisations",
        f"/items/{seed_ids['R1']}",
        f"/items/{seed_ids['C6']}",
    ):
        page.goto(path)
        assert page.evaluate(WIDE_ENOUGH), path
        assert _cut(page, "select, code, h1") == [], path


def test_the_filters_are_open_on_a_wide_screen(open_page):
    page = open_page(role="viewer")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/items")
    expect(page.locator("#f-status")).to_be_visible()


def _item_minusma_may_not_update(app) -> int:
    from app.items.models import Item, item_supporters
    from app.stakeholders.models import Organisation

    with app.app_context():
        minusma = db.session.scalar(
            select(Organisation.id).where(Organisation.acronym == "MINUSMA")
        )
        supported = select(item_supporters.c.item_id).where(
            item_supporters.c.organisation_id == minusma
        )
        item_id = db.session.scalar(
            select(Item.id)
            .where(Item.lead_id != minusma, Item.id.not_in(supported), Item.code.is_not(None))
            .order_by(Item.id)
        )
        db.session.remove()
    assert item_id is not None
    return item_id


def _owned_elsewhere(app, title: str) -> None:
    """An item led by EUTM Mali and owned by the demo staff member (of MINUSMA)."""
    from app.auth.models import User
    from app.items import services
    from app.items.models import Item
    from app.stakeholders.models import Organisation
    from tests.factories import SYSTEM

    with app.app_context():
        if db.session.scalar(select(Item.id).where(Item.title == title)) is None:
            services.create_item(
                SYSTEM,
                kind="action",
                title=title,
                lead=db.session.scalar(
                    select(Organisation).where(Organisation.acronym == "EUTM Mali")
                ),
                owner=db.session.scalar(select(User).where(User.email == "staff@suivi.example")),
            )
            db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_screenshots_of_my_work_and_of_an_item_staff_may_not_update(open_page, live_server, lang):
    _owned_elsewhere(live_server.app, "Browser: brief the EUTM trainers on MINUSMA's lessons")
    page = open_page(role="staff", lang=lang)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/my-work")
    expect(page.get_by_text("Browser: brief the EUTM trainers")).to_be_visible()
    screenshot(page, f"my-work-{lang}")
    page.goto(f"/items/{_item_minusma_may_not_update(live_server.app)}")
    why = page.locator("#why-update")
    expect(why).to_be_visible()
    expected = {
        "en": "MINUSMA is neither lead nor supporting organisation of this item.",
        "fr": "MINUSMA n’est ni l’organisation chef de file ni une organisation d’appui",
    }[lang]
    expect(why).to_contain_text(expected)
    screenshot(page, f"item-staff-may-not-update-{lang}")
