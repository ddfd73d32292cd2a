"""The update workflow in a real browser: staff update, a conflict between two tabs that
keeps the typed note, a manager's verification, a viewer with no form."""

import re

from playwright.sync_api import expect


def _update_form(page):
    return page.get_by_role("region", name="Post a status update")


def _post_update(
    page, status: str | None = None, progress: str | None = None, note: str | None = None
) -> None:
    form = _update_form(page)
    if status is not None:
        form.get_by_label("New status").select_option(status)
    if progress is not None:
        form.get_by_label("Progress").fill(progress)
    if note is not None:
        form.get_by_label("Note").fill(note)
    form.get_by_role("button", name="Post update").click()


def test_staff_posts_a_status_update(open_page, make_item):
    item_id = make_item("Browser: staff update", lead="MINUSMA")
    page = open_page(role="staff")
    page.goto(f"/items/{item_id}")
    _post_update(
        page,
        status="in_progress",
        progress="30",
        note="Patrols planned with the regional office in Gao.",
    )
    expect(page).to_have_url(re.compile(rf"/items/{item_id}#history$"))
    expect(page.get_by_role("status")).to_contain_text("Status update saved.")
    expect(page.locator("h1 + p .badge").first).to_have_text("In progress")
    history = page.get_by_role("region", name="History and comments")
    expect(history).to_contain_text("Patrols planned with the regional office in Gao.")


def test_two_tabs_conflict_and_the_typed_note_survives(open_page, make_item):
    item_id = make_item("Browser: two tabs", lead="MINUSMA", status="in_progress")
    page = open_page(role="staff")
    other = page.context.new_page()  # the same user, a second tab, at the same version
    page.goto(f"/items/{item_id}")
    other.goto(f"/items/{item_id}")

    _post_update(
        page, status="in_progress", progress="60", note="First tab: training sessions held."
    )
    expect(page.get_by_role("status")).to_contain_text("Status update saved.")

    note = "Second tab: a long note typed on a slow link — it must not be lost."
    _post_update(other, status="in_progress", progress="70", note=note)
    expect(other.get_by_role("heading", level=1)).to_have_text(
        "Someone changed this item while you were working"
    )
    expect(other.get_by_role("alert")).to_contain_text("Nothing was saved")
    changes = other.get_by_role("region", name=re.compile("What changed since you opened it"))
    expect(changes).to_contain_text("First tab: training sessions held.")
    again = other.get_by_role("region", name="Your changes, on the current version")
    expect(again.get_by_label("Note")).to_have_value(note)
    expect(again.get_by_label("Progress")).to_have_value("70")

    again.get_by_role("button", name="Post update").click()  # one click resubmits
    expect(other).to_have_url(re.compile(rf"/items/{item_id}#history$"))
    expect(other.get_by_role("status")).to_contain_text("Status update saved.")
    history = other.get_by_role("region", name="History and comments")
    expect(history).to_contain_text(note)
    expect(history).to_contain_text("First tab: training sessions held.")


def test_manager_verifies_an_implemented_item(open_page, make_item):
    item_id = make_item("Browser: verification", lead="EUTM Mali", status="implemented")
    page = open_page(role="manager")
    page.goto(f"/items/{item_id}")
    expect(page.locator("h1 + p .badge").first).to_have_text("Implemented")
    _post_update(page, status="verified", note="Checked against the training records.")
    expect(page.get_by_role("status")).to_contain_text("Status update saved.")
    expect(page.locator("h1 + p .badge").first).to_have_text("Verified")


def test_staff_cannot_verify_and_sees_no_form_on_other_organisations_items(open_page, make_item):
    implemented = make_item("Browser: staff and verification", lead="MINUSMA", status="implemented")
    elsewhere = make_item("Browser: another lead", lead="EUTM Mali")
    page = open_page(role="staff")
    page.goto(f"/items/{implemented}")
    options = _update_form(page).get_by_label("New status").locator("option")
    expect(options).not_to_contain_text(["Verified"])
    page.goto(f"/items/{elsewhere}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Browser: another lead")
    expect(page.locator("#update form")).to_have_count(0)  # no form, but the reason why
    expect(page.locator("#why-update")).to_contain_text(
        "MINUSMA is neither lead nor supporting organisation of this item."
    )


def test_viewer_sees_no_update_form(open_page, make_item):
    item_id = make_item("Browser: viewer", lead="EUTM Mali")  # even the viewer's own org
    page = open_page(role="viewer")
    page.goto(f"/items/{item_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Browser: viewer")
    expect(page.locator("#update form")).to_have_count(0)
    expect(page.locator("#why-update")).to_contain_text("Viewers read and export")
    expect(page.get_by_role("button", name="Post update")).to_have_count(0)
    expect(page.get_by_role("button", name="Comment")).to_have_count(0)


def test_a_french_user_sees_french(open_page, make_item):
    item_id = make_item("Browser: en français", lead="EUCAP Sahel Mali", status="in_progress")
    page = open_page(role="personnel")  # language fr in the profile, English browser
    page.goto("/items")
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav.get_by_role("link", name="Éléments")).to_be_visible()
    expect(nav.get_by_role("link", name="Mon travail")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Éléments")
    page.goto(f"/items/{item_id}")
    expect(page.locator("h1 + p .badge").first).to_have_text("En cours")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_the_note_is_marked_required_for_transitions_that_need_one(open_page, make_item):
    item_id = make_item("Browser: note required", lead="MINUSMA", status="in_progress")
    page = open_page(role="staff")
    page.goto(f"/items/{item_id}")
    form = _update_form(page)
    note = form.get_by_label("Note")
    form.get_by_label("New status").select_option("blocked")
    expect(note).to_have_attribute("aria-required", "true")
    form.get_by_label("New status").select_option("in_progress")
    expect(note).to_have_attribute("aria-required", "false")
    form.get_by_label("New status").select_option("blocked")
    form.get_by_role("button", name="Post update").click()  # the server refuses it too
    expect(form.get_by_role("alert")).to_be_visible()
    expect(note).to_have_attribute("aria-invalid", "true")
    expect(page.locator("h1 + p .badge").first).to_have_text("In progress")
