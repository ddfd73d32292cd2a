"""The French catalogue is complete, keeps every placeholder, and French browsers get it."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "app" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
POT = ROOT / "app" / "translations" / "messages.pot"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif%]")  # %(name)s, %s, and %% kept as such


def _catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, locale="fr" if path == PO else None)


def _messages(catalog):
    return [m for m in catalog if m.id]


def _forms(value) -> list[str]:
    return list(value) if isinstance(value, tuple | list) else [value]


def test_every_message_is_translated_and_none_is_fuzzy():
    catalog = _catalog(PO)
    untranslated = [m.id for m in _messages(catalog) if not all(_forms(m.string)) or not m.string]
    fuzzy = [m.id for m in _messages(catalog) if m.fuzzy]
    assert not untranslated, f"untranslated in {PO.name}: {untranslated}"
    assert not fuzzy, f"fuzzy in {PO.name}: {fuzzy}"
    assert not catalog.fuzzy, "the catalogue header is marked fuzzy"


def test_the_catalogue_has_every_message_of_the_template():
    """scripts/update_translations.sh was run after the last extraction."""
    template = {m.id for m in _messages(_catalog(POT))}
    french = {m.id for m in _messages(_catalog(PO))}
    assert template - french == set(), "run scripts/update_translations.sh and translate"


def test_every_placeholder_of_the_msgid_is_in_the_msgstr():
    problems = []
    for message in _messages(_catalog(PO)):
        if isinstance(message.id, tuple):  # plural: each form uses the msgid's placeholders
            wanted = set(PLACEHOLDER.findall(" ".join(message.id)))
            if any(set(PLACEHOLDER.findall(form)) != wanted for form in message.string):
                problems.append((message.id, message.string))
        elif sorted(PLACEHOLDER.findall(message.string)) != sorted(PLACEHOLDER.findall(message.id)):
            problems.append((message.id, message.string))
    assert not problems, problems


@pytest.fixture
def compiled():
    if not MO.exists():
        pytest.fail(f"{MO} is missing: run `make translations`", pytrace=False)


def test_a_french_browser_gets_the_login_page_in_french(client, compiled):
    html = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}).get_data(
        as_text=True
    )
    assert '<html lang="fr">' in html
    assert "Connexion à Suivi" in html
    assert "Mot de passe" in html
    assert "Log in to Suivi" not in html


def test_an_english_browser_gets_english(client, compiled):
    html = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="en">' in html
    assert "Log in to Suivi" in html
