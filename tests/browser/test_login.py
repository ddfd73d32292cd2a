"""Logging in and out in a real browser, for every demo role, and the error pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORDS, login


@pytest.mark.parametrize("role", sorted(PASSWORDS))
def test_each_demo_role_logs_in_and_out(open_page, role_sessions, role):
    page = open_page()
    login(page, role)
    expect(page).not_to_have_url(re.compile(r"/login"))
    page.goto("/no-such-page")  # any page in Suivi's layout carries the logout button
    # personnel@ chose French in their profile; the others follow the (English) browser.
    french = role == "personnel"
    logout = page.get_by_role("button", name="Se déconnecter" if french else "Log out")
    expect(logout).to_be_visible()
    logout.click()
    role_sessions.pop(role, None)  # logging out ends the role's sessions everywhere
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", name="Log in to Suivi")).to_be_visible()


def test_wrong_password_is_refused_with_a_message(open_page):
    page = open_page()
    page.goto("/login")
    page.get_by_label("Email").fill("staff@suivi.example")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong email or password")
    expect(page.get_by_label("Email")).to_have_value("staff@suivi.example")


def test_pages_need_login(open_page):
    page = open_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))


def test_unknown_page_has_a_page_in_suivis_look(open_page):
    page = open_page(role="viewer")
    response = page.goto("/no-such-page")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("Not found")
    expect(page.get_by_role("link", name="Back to Suivi")).to_be_visible()


def test_a_french_browser_gets_the_login_page_in_french(open_page):
    page = open_page(lang="fr")
    page.goto("/login")
    expect(page.get_by_role("heading", name="Connexion à Suivi")).to_be_visible()
    page.get_by_label("Adresse e-mail").fill("viewer@suivi.example")
    page.get_by_label("Mot de passe").fill("wrong-wrong-wrong")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("Adresse e-mail ou mot de passe erroné")


def test_keyboard_reaches_the_content_first_and_can_log_in(open_page):
    page = open_page()
    page.goto("/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email")).to_be_focused()
    page.keyboard.type("viewer@suivi.example")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-viewer-2026")
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"/login"))
