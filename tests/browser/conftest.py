"""Browser tests: Debian's Chromium driven by Playwright against a live Suivi.

The rest of the suite wraps each test in a rolled-back transaction, which a server thread
cannot see. Here the server is a separate app on its own database holding COMMITTED data: a
temporary SQLite file, or ``<name>_browser`` on the PostgreSQL server of ``TEST_DATABASE_URL``
(``suivi_test_browser`` for scripts/test.sh's ``suivi_test``; runs on different databases never
share it). It is migrated, seeded with the seed and the demo users, and served by werkzeug on
127.0.0.1 in a daemon thread for the whole session. The suite's autouse
``_transaction`` fixture is replaced by a no-op here, so ``db.session`` is the real one and each
request of the server thread uses the server app's engine.

Tests must not change data others rely on: each test that changes an item uses its own item.

Without /usr/bin/chromium the tests are skipped, saying why; with ``SUIVI_REQUIRE_BROWSER=1``
(CI) they fail instead. Playwright's own browsers are never downloaded.
"""

import os
import re
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from config import database_url
from tests.conftest import ensure_postgres_database, reset_postgres_schema

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
BROWSER_DB = "suivi_test_browser"

PASSWORDS = {
    "admin": ("admin@suivi.example", "demo-admin-2026"),
    "manager": ("manager@suivi.example", "demo-manager-2026"),
    "staff": ("staff@suivi.example", "demo-staff-2026"),
    "personnel": ("personnel@suivi.example", "demo-personnel-2026"),
    "viewer": ("viewer@suivi.example", "demo-viewer-2026"),
}
LOCALES = {"en": "en-GB", "fr": "fr-FR"}

# Requests a service worker makes are reported and routable, so that a test can cut them too
# (Playwright's offline mode alone leaves them on the network; see tests/browser/test_drafts).
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
# Auto-waiting assertions wait up to 15 s: slow CI machines must not make tests flaky.
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser is marked ``browser``."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _chromium_present() -> None:
    """Skip (or, with SUIVI_REQUIRE_BROWSER=1, fail) when Debian's Chromium is missing."""
    if os.path.exists(CHROMIUM):
        return
    reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("SUIVI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and SUIVI_REQUIRE_BROWSER=1 requires it", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _transaction():
    """No rolled-back transaction here: the live server must see committed data."""
    return


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def _browser_database_url(tmp: str) -> str:
    base = database_url(os.environ.get("TEST_DATABASE_URL"))
    if base and base.startswith("postgresql"):
        parsed = make_url(base)
        # suivi_test -> suivi_test_browser: two runs on different bases never share it.
        name = f"{parsed.database}_browser" if parsed.database else BROWSER_DB
        url = parsed.set(database=name).render_as_string(hide_password=False)
        ensure_postgres_database(url)
        reset_postgres_schema(url)
        return url
    return f"sqlite:///{os.path.join(tmp, 'browser.db')}"


@pytest.fixture(scope="session")
def live_app():
    """A migrated, seeded Suivi on its own database, with the demo users."""
    from flask_migrate import upgrade

    from seed.loader import load_demo_users, load_seed

    tmp = tempfile.mkdtemp(prefix="suivi-browser-")
    application = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=_browser_database_url(tmp),
        UPLOAD_FOLDER=os.path.join(tmp, "evidence"),
    )
    with application.app_context():
        upgrade()
        load_seed(application.config["SEED_DIR"])
        load_demo_users(application.config["SEED_DIR"])
        db.session.commit()
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


@dataclass
class LiveServer:
    url: str
    app: object
    errors: list = field(default_factory=list)


@pytest.fixture(scope="session")
def live_server(live_app) -> Iterator[LiveServer]:
    """The live app served on 127.0.0.1 (a free port) in a daemon thread."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="suivi-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=live_app)
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Playwright's relative URLs (page.goto("/items")) go to the live server."""
    return live_server.url


@pytest.fixture(scope="session")
def role_sessions() -> dict:
    """The cookies of each demo user's first login, reused by later tests (faster)."""
    return {}


@pytest.fixture
def open_page(new_context, live_server, role_sessions):
    """``open_page(role=None, lang="en", axe=False)``: a page in a fresh browser context
    (English or French ``Accept-Language``), logged in as a demo user when ``role`` is given
    (through the login form the first time, then with the same session cookie).
    ``axe=True`` lets the context bypass the CSP so that axe-core can be injected; otherwise
    the CSP is enforced and any CSP violation fails the test. Any 5xx answer fails the test."""
    problems: list[str] = []

    def _watch(page) -> None:
        page.on(
            "response",
            lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 500 else None,
        )
        page.on(
            "console",
            lambda m: (
                problems.append(f"console: {m.text}")
                if m.type == "error" and "Content Security Policy" in m.text
                else None
            ),
        )

    def _open(role: str | None = None, lang: str = "en", axe: bool = False):
        context = new_context(
            locale=LOCALES[lang], bypass_csp=axe, storage_state=role_sessions.get(role)
        )
        context.on("page", _watch)
        page = context.new_page()
        if role and role not in role_sessions:
            login(page, role)
            role_sessions[role] = context.storage_state()
        return page

    yield _open
    assert not problems, "server errors or CSP violations:\n" + "\n".join(problems)


@pytest.fixture(scope="session")
def seed_ids(live_server) -> dict[str, int]:
    """The ids of the seed's items by code (``{"C1": 1, ...}``)."""
    from sqlalchemy import select

    from app.items.models import Item

    with live_server.app.app_context():
        ids = dict(
            db.session.execute(select(Item.code, Item.id).where(Item.code.is_not(None))).all()
        )
        db.session.remove()
    return ids


@pytest.fixture
def make_item(live_server):
    """``make_item(title, lead="MINUSMA", status="not_started")``: a new item committed in the
    live database, walked to ``status`` by the system; its id. Tests that change an item make
    their own, so that they can run in any order."""
    from sqlalchemy import select

    from app.stakeholders.models import Organisation
    from tests.factories import SYSTEM, set_status

    def _make(
        title: str,
        lead: str = "MINUSMA",
        status: str = "not_started",
        kind: str = "recommendation",
        **fields,
    ) -> int:
        from app.items import services

        with live_server.app.app_context():
            org = db.session.scalar(select(Organisation).where(Organisation.acronym == lead))
            assert org is not None, lead
            item = services.create_item(
                SYSTEM,
                kind=kind,
                title=title,
                lead=org,
                text=fields.pop("text", f"{title}: browser test."),
                **fields,
            )
            set_status(item, status, progress=50 if status in ("in_progress", "blocked") else None)
            db.session.commit()
            item_id = item.id
            db.session.remove()
        return item_id

    return _make


def login(page, role: str) -> None:
    """Log in through the real form as the demo user of ``role``."""
    email, password = PASSWORDS[role]
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form:has(#password) button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))


def run_axe(page) -> list[dict]:
    """Inject axe-core and run it on the page; the violations (each with its impact)."""
    if not AXE.exists():
        reason = f"{AXE.relative_to(ROOT)} is missing: run `npm install` at the repository root"
        if os.environ.get("SUIVI_REQUIRE_BROWSER") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
        }));
    }""")


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot into test-artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
