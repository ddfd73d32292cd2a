"""French pages are in French: no sentence of the catalogue is left in English.

``english_left`` is run on every main page by test_accessibility (in its French pass)."""

import re

from babel.messages.pofile import read_po
from playwright.sync_api import expect

from tests.browser.conftest import ROOT

PO = ROOT / "app" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
SEED = ROOT / "seed"


def _seed_text() -> str:
    """The seed's own words: English quoted from the sources, shown as written on every page."""
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted(SEED.glob("*.yaml")))
    return " ".join(text.split())


def _english_phrases() -> list[str]:
    """Messages of three words or more (placeholders cut out) whose French differs.

    A phrase the seed's data also holds (a source's citation reads "the Sahel project funded by
    the Norwegian Ministry of Defence", a fact label "Sahel project funded by") is data on the page,
    not a sentence left untranslated, so it cannot be told apart and is left out."""
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    seed = _seed_text()
    phrases = set()
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or message.string == message.id:
            continue
        for part in re.split(r"%\(\w+\)[sdif]|%%", message.id):
            part = part.strip(" .:;,()")
            if len(part.split()) >= 3 and part not in seed:
                phrases.add(part)
    return sorted(phrases)


PHRASES = _english_phrases()


def english_left(page) -> list[str]:
    """The catalogue's English sentences still visible (or in labels) on ``page``."""
    text = _visible_text(page)
    return [phrase for phrase in PHRASES if phrase in text]


def _visible_text(page) -> str:
    text = " ".join(page.locator("body").inner_text().split())
    text += " " + " ".join(
        page.locator("[aria-label], [title], [placeholder]").evaluate_all(
            "els => els.map(e => [e.getAttribute('aria-label'), e.title, e.placeholder]"
            ".filter(Boolean).join(' '))"
        )
    )
    return text


def test_the_check_finds_english(open_page):
    page = open_page(lang="en")
    page.goto("/login")
    assert "Log in to Suivi" in PHRASES
    assert "Log in to Suivi" in english_left(page)


def test_personnel_sees_french_navigation(open_page):
    page = open_page(role="personnel")  # French in the profile, an English browser
    page.goto("/my-work")
    nav = page.get_by_role("navigation", name="Navigation principale")
    for label in ("Mon travail", "Éléments", "Rapports"):
        expect(nav.get_by_role("link", name=label)).to_be_visible()
    expect(page.locator("header .role")).to_have_text("(EUCAP Sahel Mali, Personnel)")


def test_error_pages_are_in_french(open_page):
    page = open_page(role="viewer", lang="fr")
    response = page.goto("/no-such-page")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("Introuvable")
    expect(page.get_by_role("link", name="Retour à Suivi")).to_be_visible()
