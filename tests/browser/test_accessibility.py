"""axe-core on every main page, in English and in French: no serious or critical violation
(and, in French, no sentence of the catalogue left in English).

Each run's violations (every impact) are written to test-artifacts/axe-<page>-<lang>.json.
French comes from the browser's Accept-Language (the demo users below have no language of
their own in their profile).
"""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, run_axe
from tests.browser.test_french import english_left

BLOCKING = {"serious", "critical"}
# (name, path (``{C6}`` is the id of the seed item C6), role)
PAGES = [
    ("login", "/login", None),
    ("not-found", "/no-such-page", "viewer"),
    ("my-work", "/my-work", "staff"),
    ("items", "/items", "admin"),
    ("items-filtered", "/items?kind=recommendation&status=not_started&q=MINUSMA", "viewer"),
    ("detail", "/items/{C6}", "admin"),
    ("detail-viewer", "/items/{C1}", "viewer"),
    ("new-item", "/items/new", "manager"),
    ("admin-users", "/admin/users", "admin"),
    ("admin-user", "/admin/users/1", "admin"),
    ("admin-organisations", "/admin/organisations", "admin"),
    ("admin-organisation", "/admin/organisations/1", "admin"),
    ("reports", "/reports", "manager"),
    ("profile", "/profile", "staff"),
    ("notifications", "/notifications", "staff"),
    ("rounds", "/rounds", "manager"),
    ("imports", "/imports", "manager"),
    ("sources", "/sources", "manager"),
    ("source", "/sources/1", "manager"),
    ("organisations", "/organisations", "viewer"),
    ("organisation", "/organisations/1", "staff"),
    ("detail-not-involved", "/items/{R10}", "staff"),
]


def _report(violations: list[dict]) -> str:
    return "\n".join(
        f"[{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )


def check(page, name: str, lang: str) -> None:
    """Run axe on ``page``, keep its findings, fail on serious or critical ones."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    violations = run_axe(page)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{name}-{lang}.json").write_text(
        json.dumps(violations, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{name} ({lang}, {page.url}):\n{_report(blocking)}"


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("name", "path", "role"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_serious_accessibility_violation(
    open_page, live_server, seed_ids, name, path, role, lang
):
    page = open_page(role=role, lang=lang, axe=True)
    response = page.goto(path.format(**seed_ids))
    expected = 404 if name == "not-found" else 200
    assert response.status == expected, f"{path}: {response.status}"
    check(page, name, lang)
    if lang == "fr":
        left = english_left(page)
        assert not left, f"{name}: English left on the French page: {left}"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_update_form_with_errors_and_conflict_page(open_page, live_server, make_item, lang):
    """The status update form on the detail page, as first shown, with an error (blocked
    without the required note), and the conflict page."""
    item_id = make_item(
        f"Browser: accessible update form ({lang})", lead="MINUSMA", status="in_progress"
    )
    page = open_page(role="staff", lang=lang, axe=True)
    page.goto(f"/items/{item_id}")
    form = page.locator("#update form")
    expect(form).to_be_visible()
    check(page, "update-form", lang)

    form.locator("select[name=status]").select_option("blocked")
    form.locator("button[type=submit]").click()
    expect(page.locator("#update [role=alert]")).to_be_visible()
    expect(page.locator("#update [aria-invalid=true]").first).to_be_visible()
    check(page, "update-form-errors", lang)

    other = page.context.new_page()
    other.goto(f"/items/{item_id}")
    for tab in (page, other):  # both at the version after the failed (unsaved) update
        tab.goto(f"/items/{item_id}")
    page.locator("#update select[name=status]").select_option("in_progress")
    page.locator("#update textarea[name=note]").fill("One")
    page.locator("#update button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/items/{item_id}#history")
    other.locator("#update select[name=status]").select_option("in_progress")
    other.locator("#update textarea[name=note]").fill("Two")
    other.locator("#update button[type=submit]").click()
    expect(other.locator("[role=alert]").first).to_be_visible()
    check(other, "conflict", lang)


@pytest.fixture(scope="module")
def rounds(live_server) -> dict[str, int]:
    """An open round and a closed one (its report frozen) in the live database."""
    from sqlalchemy import select

    from app.auth.models import User
    from app.extensions import db
    from app.rounds import services as round_services

    with live_server.app.app_context():
        manager = db.session.scalars(select(User).where(User.role == "manager")).first()
        made = {}
        for name, kind in (("open", "recommendation"), ("closed", "opportunity")):
            rnd = round_services.open_round(
                manager,
                title=f"Browser round ({name})",
                opens_on="2026-01-01",
                due_on="2026-12-31",
                filters={"kind": kind},
            )
            made[name] = rnd.id
            if name == "closed":
                round_services.close_round(manager, rnd)
        db.session.commit()
        db.session.remove()
    return made


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("name", "role"), [("open", "manager"), ("closed", "staff")])
def test_round_pages_have_no_serious_accessibility_violation(
    open_page, live_server, rounds, name, role, lang
):
    """A round open (with the close form, for a manager) and closed (with its frozen report)."""
    page = open_page(role=role, lang=lang, axe=True)
    assert page.goto(f"/rounds/{rounds[name]}").status == 200
    check(page, f"round-{name}", lang)
    if lang == "fr":
        left = english_left(page)
        assert not left, f"round-{name}: English left on the French page: {left}"


def test_axe_finds_violations_when_there_are_some(open_page):
    """The harness itself: a missing label and an image without text are reported."""
    page = open_page(axe=True)
    page.goto("/login")
    page.evaluate("""() => {
        document.querySelector('main').insertAdjacentHTML('beforeend',
            '<input type="text" name="unlabelled"><img src="/static/favicon.svg">');
    }""")
    found = {v["id"]: v["impact"] for v in run_axe(page)}
    assert found.get("label") == "critical", found
    assert found.get("image-alt") == "critical", found
