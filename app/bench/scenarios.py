"""What the benchmark measures: the requests, with the issue's targets (p95, ms), and the
data they need found in the generated database (an item with a long history, a lead with
about a tenth of the items, open items to post updates on)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth import services as auth_services
from app.bench.generate import ACTOR, MANAGER_EMAIL
from app.core.time import today
from app.extensions import db
from app.items.models import Item
from app.stakeholders.models import Organisation

HISTORY = 50  # history entries of the item whose page is measured
WRITE_POOL = 8000


@dataclass
class Fixture:
    """Ids and values the requests use."""

    token: str
    token_id: int
    detail_id: int
    detail_events: int
    big_lead: str
    big_lead_items: int
    list_lead: str
    writable: list[tuple[int, int, int]]  # (id, version, progress) of in-progress items
    items: int

    def next_write(self) -> tuple[int, int, int]:
        return self.writable.pop()


def prepare() -> Fixture:
    """Find what the scenarios need and make the manager's API token (committed)."""
    manager = auth_services.find_user(MANAGER_EMAIL)
    if manager is None:
        raise RuntimeError("no benchmark manager: run `flask bench generate` first")
    token, plaintext = auth_services.create_token(ACTOR, manager, "benchmark")
    db.session.commit()
    per_item = (
        select(AuditEvent.scope_id, func.count().label("n"))
        .where(AuditEvent.scope_type == "items")
        .group_by(AuditEvent.scope_id)
        .having(func.count().between(HISTORY, HISTORY + 6))
        .limit(1)
    )
    detail = db.session.execute(per_item).first()
    if detail is None:
        raise RuntimeError(f"no item with {HISTORY} history entries: generate more items")
    leads = db.session.execute(
        select(Organisation.acronym, func.count(Item.id))
        .join(Item, Item.lead_id == Organisation.id)
        .group_by(Organisation.acronym)
    ).all()
    total = sum(n for _, n in leads)
    big = min(leads, key=lambda row: abs(row[1] - total / 10))
    ranked = sorted(leads, key=lambda row: -row[1])
    writable = db.session.execute(
        select(Item.id, Item.version, Item.progress)
        .where(Item.status == "in_progress", Item.progress < 90)
        .order_by(Item.id.desc())
        .limit(WRITE_POOL)
    ).all()
    return Fixture(
        token=plaintext,
        token_id=token.id,
        detail_id=detail.scope_id,
        detail_events=detail.n,
        big_lead=big[0],
        big_lead_items=big[1],
        list_lead=ranked[min(2, len(ranked) - 1)][0],
        writable=[tuple(row) for row in writable],
        items=total,
    )


@dataclass
class Scenario:
    """One measured request: ``make`` gives (method, path, body) for each repetition."""

    key: str
    label: str
    auth: str
    make: Callable[[Fixture], tuple[str, str, dict | None]]
    target_ms: float | None
    heavy: bool = False


def _get(path: str) -> Callable[[Fixture], tuple[str, str, None]]:
    return lambda _fixture: ("GET", path, None)


def _status_update(fixture: Fixture) -> tuple[str, str, dict]:
    item_id, version, progress = fixture.next_write()
    body = {
        "status": "in_progress",
        "progress": progress + 1,
        "note": "Benchmark update.",
        "version": version,
    }
    return "POST", f"/api/v1/items/{item_id}/updates", body


def scenarios(fixture: Fixture) -> list[Scenario]:
    """Every measured request, with the issue's target (p95) where it sets one."""
    year_ago = (today() - timedelta(days=365)).isoformat()
    filtered = (
        f"/items?status=in_progress&lead={fixture.list_lead}&overdue=1"
        "&sort=due_date&order=desc&per_page=25"
    )

    def item(path: str):
        return lambda f: ("GET", path.format(id=f.detail_id), None)

    return [
        Scenario("list", "Item list page, 25 rows", "page", _get("/items?per_page=25"), 25),
        Scenario("list_filtered", "Item list page, filtered, sorted", "page", _get(filtered), 25),
        Scenario("detail", "Item page, ~50 history entries", "page", item("/items/{id}"), 15),
        Scenario("api_list", "API list, 100 items", "api", _get("/api/v1/items?per_page=100"), 25),
        Scenario("api_update", "API status update (write)", "api", _status_update, 15),
        Scenario("summary_page", "Summary page (/reports)", "page", _get("/reports"), 60),
        Scenario("summary_api", "Summary API", "api", _get("/api/v1/summary"), 60),
        Scenario(
            "summary_as_of",
            "Summary API as of a year ago",
            "api",
            _get(f"/api/v1/summary?as_of={year_ago}"),
            250,
        ),
        Scenario("csv", "CSV of all items", "page", _get("/reports/status.csv"), 1000, True),
        Scenario(
            "xlsx",
            f"XLSX of {fixture.big_lead_items:,} items",
            "page",
            _get(f"/reports/status.xlsx?lead={fixture.big_lead}"),
            2000,
            True,
        ),
        Scenario("pdf", "PDF report", "page", _get("/reports/status.pdf"), None, True),
    ]


def repetitions(scenario: Scenario, fixture: Fixture, count: int) -> Iterator[tuple]:
    for _ in range(count):
        yield scenario.make(fixture)
