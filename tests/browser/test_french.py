"""French pages are in French: no sentence of the catalogue is left in English."""

import re

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from tests.browser.conftest import ROOT
from tests.browser.test_accessibility import PAGES

PO = ROOT / "app" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"


def _english_phrases() -> list[str]:
    """Messages of three words or more (placeholders cut out) whose French differs."""
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    phrases = set()
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or message.string == message.id:
            continue
        for part in re.split(r"%\(\w+\)[sdif]|%%", message.id):
            part = part.strip(" .:;,()")
            if len(part.split()) >= 3:
                phrases.add(part)
    return sorted(phrases)


PHRASES = _english_phrases()


FRENCH_PAGES = [p for p in PAGES if p[0] != "not-found"]


@pytest.mark.parametrize(("name", "endpoint", "path", "role"), FRENCH_PAGES,
                         ids=[p[0] for p in FRENCH_PAGES])
def test_french_page_has_no_english_left(open_page, live_server, seed_ids, name, endpoint,
                                         path, role):
    if endpoint not in live_server.app.view_functions:
        pytest.skip(f"{endpoint} is not built yet")
    page = open_page(role=role, lang="fr")
    page.goto(path.format(**seed_ids))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    left = [phrase for phrase in PHRASES if phrase in _visible_text(page)]
    assert not left, f"{name}: English left on the French page: {left}"


def _visible_text(page) -> str:
    text = " ".join(page.locator("body").inner_text().split())
    text += " " + " ".join(page.locator("[aria-label], [title], [placeholder]").evaluate_all(
        "els => els.map(e => [e.getAttribute('aria-label'), e.title, e.placeholder]"
        ".filter(Boolean).join(' '))"))
    return text


def test_the_check_finds_english(open_page):
    page = open_page(lang="en")
    page.goto("/login")
    assert "Log in to Suivi" in PHRASES
    assert "Log in to Suivi" in [p for p in PHRASES if p in _visible_text(page)]


def test_personnel_sees_french_navigation(open_page):
    page = open_page(role="personnel")  # French in the profile, an English browser
    page.goto("/my-work")
    nav = page.get_by_role("navigation", name="Navigation principale")
    for label in ("Mon travail", "Éléments", "Rapports"):
        expect(nav.get_by_role("link", name=label)).to_be_visible()
    expect(page.locator("header .role")).to_have_text("(EUCAP Sahel Mali, Personnel)")
