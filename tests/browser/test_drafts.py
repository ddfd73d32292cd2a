"""Drafts that survive a dropped link, in a real browser with Playwright's offline mode: the
text typed in the update and comment forms is kept on the device, a post made without a
connection is kept and sent when it returns, and a change made meanwhile shows the conflict
page with the text kept (never an overwrite).

What was posted is checked in the item's history, not by the "saved" message: a request
running beside the post (the service worker's update check, a file) answers with the session
cookie as it was before the post and can take the message away (the session is refreshed on
every request), which drafts.js survives but cannot undo."""

import re

from playwright.sync_api import expect

from app.extensions import db


def _update_form(page):
    return page.get_by_role("region", name="Post a status update")


def _draft(page, item_id: int, form: str):
    """The kept draft of ``form`` on ``item_id`` for the page's user (None when there is none)."""
    return page.evaluate(
        """([item, form]) => {
            const keys = Object.keys(localStorage).filter(
                k => k.startsWith('suivi.draft.') && k.endsWith(':' + item + ':' + form));
            return keys.length ? JSON.parse(localStorage.getItem(keys[0])) : null;
        }""",
        [item_id, form],
    )


def _cut_worker(route) -> None:
    if route.request.service_worker:
        route.abort("internetdisconnected")
    else:
        route.fallback()


def go_offline(context) -> None:
    """No network for the pages nor for the service worker's own requests (Playwright's
    offline mode alone leaves the worker's on the network)."""
    context.set_offline(True)
    context.route("**", _cut_worker)


def go_online(context) -> None:
    context.unroute("**", _cut_worker)
    context.set_offline(False)


def _type_update(page, note: str) -> None:
    form = _update_form(page)
    form.get_by_label("New status").select_option("in_progress")
    form.get_by_label("Progress").fill("45")
    form.get_by_label("Note").fill(note)


def test_an_update_posted_offline_is_kept_across_a_restart_and_sent_when_online(
    open_page, make_item, new_context
):
    item_id = make_item("Browser: offline update", lead="MINUSMA", status="in_progress")
    page = open_page(role="staff")
    page.goto(f"/items/{item_id}")
    note = "Typed in Kidal while the link dropped: two patrols held."
    _type_update(page, note)
    go_offline(page.context)
    _update_form(page).get_by_role("button", name="Post update").click()
    form = _update_form(page)
    expect(form.get_by_role("status")).to_contain_text("No connection")
    expect(form.get_by_label("Note")).to_have_value(note)
    assert _draft(page, item_id, "update")["pending"] is True

    kept = page.context.storage_state()  # the phone is restarted: a new browser, same device
    page.context.close()
    page = new_context(storage_state=kept, locale="en-GB").new_page()
    page.goto(f"/items/{item_id}")  # the kept post is sent as the page opens
    expect(page).to_have_url(re.compile(rf"/items/{item_id}#history$"))
    history = page.get_by_role("region", name="History and comments")
    expect(history).to_contain_text(note)
    expect(_update_form(page).get_by_label("Note")).to_have_value("")
    assert _draft(page, item_id, "update") is None


def test_the_kept_post_is_sent_when_the_connection_returns(open_page, make_item):
    item_id = make_item("Browser: back online", lead="MINUSMA", status="in_progress")
    page = open_page(role="staff")
    page.goto(f"/items/{item_id}")
    comment = page.get_by_label("Add a comment")
    comment.fill("Comment written during the outage.")
    go_offline(page.context)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".draft-note")).to_contain_text("No connection")
    go_online(page.context)  # the online event sends it
    expect(page).to_have_url(re.compile(rf"/items/{item_id}#history$"))
    history = page.get_by_role("region", name="History and comments")
    expect(history).to_contain_text("Comment written during the outage.")
    assert _draft(page, item_id, "comment") is None


def test_a_draft_comes_back_after_the_tab_is_closed(open_page, make_item):
    item_id = make_item("Browser: closed tab", lead="MINUSMA", status="in_progress")
    page = open_page(role="staff")
    page.goto(f"/items/{item_id}")
    page.get_by_label("Add a comment").fill("Half a comment, then the battery died.")
    other = page.context.new_page()
    page.close()  # the tab is closed
    other.goto(f"/items/{item_id}")
    expect(other.get_by_label("Add a comment")).to_have_value(
        "Half a comment, then the battery died."
    )
    expect(other.locator(".draft-note")).to_contain_text("restored")
    other.locator(".draft-note").get_by_role("button", name="Discard it").click()
    expect(other.get_by_label("Add a comment")).to_have_value("")
    assert _draft(other, item_id, "comment") is None


def test_a_change_made_meanwhile_shows_the_conflict_with_the_text_kept(
    open_page, make_item, live_server
):
    item_id = make_item("Browser: offline conflict", lead="MINUSMA", status="in_progress")
    page = open_page(role="staff")
    page.goto(f"/items/{item_id}")
    note = "Kept offline while the manager changed the item."
    _type_update(page, note)
    go_offline(page.context)
    _update_form(page).get_by_role("button", name="Post update").click()
    expect(_update_form(page).get_by_role("status")).to_contain_text("No connection")

    from app.items import services
    from app.items.models import Item
    from tests.factories import SYSTEM

    with live_server.app.app_context():  # a manager changes the item meanwhile
        item = db.session.get(Item, item_id)
        services.change_status(
            SYSTEM, item, item.version, status="blocked", note="Blocked by the manager."
        )
        db.session.commit()
        db.session.remove()

    go_online(page.context)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Someone changed this item while you were working"
    )
    again = page.get_by_role("region", name="Your changes, on the current version")
    expect(again.get_by_label("Note")).to_have_value(note)
    draft = _draft(page, item_id, "update")
    assert draft["v"]["note"] == note
    assert draft["pending"] is False  # shown to the user, never sent again by itself


def _wait_until_kept(page, path: str) -> None:
    """Wait until the service worker runs and keeps ``path`` for reading offline."""
    page.wait_for_function(
        """async (path) => {
            if (!navigator.serviceWorker || !(await navigator.serviceWorker.ready)) return false;
            const cache = await caches.open('suivi-pages-v1');
            return !!(await cache.match(path, {ignoreVary: true}));
        }""",
        arg=path,
        polling=200,
    )


def test_acceptance_reload_offline_find_the_text_then_see_it_posted(open_page, make_item):
    """A staff member loses the network while posting an update, reloads (the page comes from
    the device), finds the text, regains the network and sees it posted."""
    item_id = make_item("Browser: reload offline", lead="MINUSMA", status="in_progress")
    page = open_page(role="staff")
    page.goto(f"/items/{item_id}")
    _wait_until_kept(page, f"/items/{item_id}")
    note = "Reloaded without a network, still here, then posted."
    _type_update(page, note)
    go_offline(page.context)
    _update_form(page).get_by_role("button", name="Post update").click()
    expect(_update_form(page).get_by_role("status")).to_contain_text("No connection")

    page.reload()  # no network: the kept page, with the kept text
    form = _update_form(page)
    expect(form.get_by_label("Note")).to_have_value(note)
    expect(form.get_by_role("status")).to_contain_text("No connection")

    go_online(page.context)
    expect(page).to_have_url(re.compile(rf"/items/{item_id}#history$"))
    history = page.get_by_role("region", name="History and comments")
    expect(history).to_contain_text(note)
    assert _draft(page, item_id, "update") is None


def test_logging_out_forgets_the_pages_kept_for_reading_offline(open_page, make_item):
    item_id = make_item("Browser: forgotten at logout", lead="MINUSMA")
    page = open_page(role="staff")
    page.goto(f"/items/{item_id}")
    _wait_until_kept(page, f"/items/{item_id}")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login"))
    page.wait_for_function(
        "async () => !(await caches.keys()).includes('suivi-pages-v1')", polling=200
    )
