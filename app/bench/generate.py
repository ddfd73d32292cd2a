"""Build a benchmark data set: organisations, themes and users through the services, then N
items with their status updates, comments and audit events in bulk, in time order, with the
hash chain continued so that ``flask audit verify`` passes."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, select, text

from app import audit
from app.auth import services as auth_services
from app.auth.models import User
from app.bench import rows
from app.bench.history import HistoryWriter
from app.bench.plan import ItemPlan, plan_item
from app.core.roles import MANAGER, STAFF, SystemActor
from app.core.time import utcnow
from app.extensions import db
from app.items import services as item_services
from app.items.models import Comment, Item, StatusUpdate, Theme, item_supporters, item_themes
from app.stakeholders import services as org_services
from app.stakeholders.models import ORGANISATION_KINDS, Organisation

ACTOR = SystemActor("bench")
BENCH_PASSWORD = "bench-password-not-secret"  # noqa: S105  (benchmark logins only)
MANAGER_EMAIL = "bench-manager@example.org"
ORGANISATIONS = 50
THEMES = 30
YEARS = 2
CHUNK = 20_000  # rows written per batch
ITEM_TEXT = "Generated for the benchmark."


@dataclass
class Refs:
    """The ids the generated items point to: organisations, themes, one staff user per
    organisation and a manager."""

    orgs: list[int]
    themes: list[int]
    staff: list[tuple[int, str]]
    manager: tuple[int, str]


def _org(n: int) -> Organisation:
    acronym = f"BENCH{n:02d}"
    org = org_services.find_organisation(acronym)
    if org is None:
        kind = ORGANISATION_KINDS[n % len(ORGANISATION_KINDS)]
        org = org_services.create_organisation(
            ACTOR, acronym=acronym, name=f"Benchmark organisation {n}", kind=kind
        )
    return org


def _user(email: str, name: str, role: str, org: Organisation) -> tuple[int, str]:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = auth_services.create_user(
            ACTOR, email=email, name=name, role=role, organisation=org, password=BENCH_PASSWORD
        )
    return (user.id, user.email)


def reference_data() -> Refs:
    """Find or create (through the services, so audited) what the items point to."""
    orgs = [_org(n) for n in range(1, ORGANISATIONS + 1)]
    themes = []
    for n in range(1, THEMES + 1):
        code = f"BENCH-{n:02d}"
        theme = db.session.scalar(select(Theme).where(Theme.code == code))
        themes.append(
            theme or item_services.create_theme(ACTOR, code=code, title=f"Benchmark theme {n}")
        )
    staff = [
        _user(f"bench-staff-{n:02d}@example.org", f"Staff {org.acronym}", STAFF, org)
        for n, org in enumerate(orgs, start=1)
    ]
    manager = _user(MANAGER_EMAIL, "Benchmark manager", MANAGER, orgs[0])
    db.session.flush()
    return Refs([o.id for o in orgs], [t.id for t in themes], staff, manager)


def make_plans(n: int, seed: int, now: datetime) -> list[ItemPlan]:
    """``n`` item plans created over the last two years, oldest first."""
    rng = random.Random(seed)  # noqa: S311  (benchmark data, not secrets)
    start = now - timedelta(days=365 * YEARS)
    span = (now - start).total_seconds() - 86_400
    moments = sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(n))
    return [plan_item(rng, at, now, ORGANISATIONS, THEMES) for at in moments]


def _item_row(plan: ItemPlan, item_id: int, refs: Refs) -> dict:
    final = plan.final()
    return {
        "id": item_id,
        "kind": plan.kind,
        "title": title(plan, item_id),
        "text": ITEM_TEXT,
        "source_section": "",
        "priority": plan.priority,
        "lead_id": refs.orgs[final["lead"]],
        "due_date": final["due_date"],
        "status": final["status"],
        "progress": final["progress"],
        "version": final["version"],
        "last_update_at": final["last_update_at"],
        "created_by_id": refs.manager[0],
        "created_at": plan.created_at,
        "updated_at": final["updated_at"],
    }


def write_items(connection: Connection, plans: list[ItemPlan], refs: Refs) -> int:
    """Insert the items in their final state with their themes and supporters; return the
    first id."""
    first = rows.next_id(connection, Item.__table__)
    for start in range(0, len(plans), CHUNK):
        batch = list(enumerate(plans[start : start + CHUNK], start=first + start))
        rows.insert_rows(connection, Item.__table__, [_item_row(p, i, refs) for i, p in batch])
        rows.insert_rows(
            connection,
            item_themes,
            [{"item_id": i, "theme_id": refs.themes[t]} for i, p in batch for t in p.themes],
        )
        rows.insert_rows(
            connection,
            item_supporters,
            [
                {"item_id": i, "organisation_id": refs.orgs[o]}
                for i, p in batch
                for o in p.supporting
            ],
        )
    return first


@dataclass
class Generated:
    """What a run added."""

    items: int
    updates: int
    comments: int
    events: int
    first_item: int


def title(plan: ItemPlan, item_id: int) -> str:
    return f"{plan.title} ({item_id})"


def write_history(connection: Connection, plans: list[ItemPlan], refs: Refs, first: int):
    """Every item's creation and steps, all items interleaved in time order."""
    writer = HistoryWriter(connection, refs, first, CHUNK)
    first_event = writer.chain.next_id
    order = [(p.created_at, i, -1) for i, p in enumerate(plans)]
    order += [(s.at, i, k) for i, p in enumerate(plans) for k, s in enumerate(p.steps)]
    order.sort()
    for _at, index, k in order:
        plan, item_id = plans[index], first + index
        if k < 0:
            writer.created(_created(plan, item_id, refs), plan)
        else:
            writer.step(item_id, plan.steps[k])
    writer.flush()
    return writer.chain.next_id - first_event


def _created(plan: ItemPlan, item_id: int, refs: Refs) -> dict:
    return {
        "id": item_id,
        "kind": plan.kind,
        "title": title(plan, item_id),
        "text": ITEM_TEXT,
        "source_section": "",
        "priority": plan.priority,
        "created_by_id": refs.manager[0],
    }


def analyze() -> None:
    """Give PostgreSQL's planner statistics of the new rows now (autovacuum may be off or
    late, and a bulk load leaves none); SQLite is left as Suivi runs it, without ANALYZE."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def vacuum() -> None:
    """On PostgreSQL, leave the tables written in bulk as autovacuum leaves a live database:
    with a visibility map, so that a count or a covering index need not read the table (the
    item list's count of 100,000 items: 8.7 ms before, 4.4 ms after). The benchmark runs it
    before measuring (this server may run without autovacuum)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.commit()
    tables = (
        Item.__table__,
        item_themes,
        item_supporters,
        StatusUpdate.__table__,
        Comment.__table__,
        rows.EVENTS,
    )
    names = ", ".join(table.description for table in tables)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"VACUUM {names}"))


def generate(n: int, seed: int = 1) -> Generated:
    """Add ``n`` items with two years of history; the caller commits."""
    audit.set_actor(db.session, ACTOR)
    refs = reference_data()
    connection = db.session.connection()
    plans = make_plans(n, seed, utcnow())
    first = write_items(connection, plans, refs)
    events = write_history(connection, plans, refs, first)
    tables = [Item.__table__, StatusUpdate.__table__, Comment.__table__, rows.EVENTS]
    rows.reset_sequences(connection, tables)
    updates = sum(1 for p in plans for s in p.steps if s.kind == "update")
    comments = sum(1 for p in plans for s in p.steps if s.kind == "comment")
    return Generated(n, updates, comments, events, first)
