"""Time the reports on the seed and on 10,000 items with six months of history.

    .venv/bin/python scripts/bench_reports.py [--items 10000] [--postgres URL]

Builds the data in a temporary SQLite database (and, when PostgreSQL answers, in the database
``suivi_bench``, emptied first), then prints how long the summary (live and as of 60 days
ago), the full report page data, the CSV, the XLSX and the PDF take, and how many SQL
statements each used.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import create_engine, event, select, text

from app import create_app
from app.core.time import today, utcnow
from app.extensions import db
from app.items.models import Item, StatusUpdate, Theme
from app.items.queries import ItemFilters
from app.stakeholders.models import Organisation

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/suivi_bench"
PATHS = {
    "in_progress": ["in_progress"],
    "blocked": ["blocked"],
    "implemented": ["in_progress", "implemented"],
    "verified": ["in_progress", "implemented", "verified"],
    "not_accepted": ["not_accepted"],
    "reopened": ["in_progress", "blocked", "in_progress"],
}
WEIGHTS = {
    "none": 30,
    "in_progress": 25,
    "blocked": 8,
    "implemented": 15,
    "verified": 14,
    "not_accepted": 3,
    "reopened": 5,
}


@contextmanager
def at(moment):
    """Make the audit hook stamp its events with ``moment``."""
    import app.audit.tracking as tracking

    original = tracking.utcnow
    tracking.utcnow = lambda: moment
    try:
        yield
    finally:
        tracking.utcnow = original


def generate(n: int, seed: int = 7, batch: int = 500) -> None:
    """Add ``n`` items over the seeded organisations and themes, created over six months,
    with status updates, reassignments and due-date changes at their own moments."""
    from app import audit

    audit.set_actor(db.session, "system:bench")
    rng = random.Random(seed)  # noqa: S311  (test data, not secrets)
    orgs = list(db.session.scalars(select(Organisation.id)))
    themes = list(db.session.scalars(select(Theme)))
    now = utcnow()
    start = now - timedelta(days=180)
    kinds = ("challenge", "recommendation", "action")
    paths = list(WEIGHTS)
    weights = list(WEIGHTS.values())
    made = 0
    while made < n:
        size = min(batch, n - made)
        created = start + timedelta(days=rng.uniform(0, 90))
        items = []
        with at(created):
            for k in range(size):
                due = (created + timedelta(days=rng.randint(30, 240))).date()
                item = Item(
                    kind=rng.choice(kinds),
                    title=f"Bench item {made + k + 1}: "
                    + rng.choice(("strengthen", "deploy", "train", "review", "fund"))
                    + " "
                    + rng.choice(
                        ("police", "justice", "civil affairs", "border", "mediation", "logistics")
                    ),
                    text="Generated for the reports benchmark.",
                    lead_id=rng.choice(orgs),
                    due_date=due if rng.random() < 0.85 else None,
                    status="not_started",
                    progress=0,
                    priority="medium",
                    created_at=created,
                    updated_at=created,
                    last_update_at=created,
                    themes=rng.sample(themes, rng.randint(0, 2)),
                )
                db.session.add(item)
                items.append(item)
            db.session.flush()
        # Status updates spread over the following weeks, written with their own dates.
        for item in items:
            path = rng.choices(paths, weights)[0]
            moment = created
            status, progress = "not_started", 0
            for step in PATHS.get(path, []):
                moment = min(moment + timedelta(days=rng.uniform(2, 40)), now)
                new_progress = {"not_started": 0, "implemented": 100, "verified": 100}.get(
                    step, min(95, progress + rng.randint(5, 40))
                )
                db.session.add(
                    StatusUpdate(
                        item=item,
                        from_status=status,
                        to_status=step,
                        from_progress=progress,
                        progress=new_progress,
                        note=f"Moved to {step}.",
                        created_at=moment,
                    )
                )
                status, progress = step, new_progress
            item.status, item.progress = status, progress
            item.last_update_at = moment
        db.session.flush()
        # Some items change lead or due date later, recorded by the audit hook at that moment.
        moved = created + timedelta(days=rng.uniform(95, 170))
        with at(moved):
            for item in rng.sample(items, len(items) // 10):
                item.lead_id = rng.choice(orgs)
            for item in rng.sample(items, len(items) // 10):
                item.due_date = (moved + timedelta(days=rng.randint(-20, 90))).date()
            db.session.flush()
        db.session.commit()
        made += size


class Counter:
    def __init__(self, engine):
        self.n = 0
        event.listen(engine, "before_cursor_execute", self)

    def __call__(self, *args, **kwargs):
        self.n += 1


def timed(label: str, counter: Counter, fn, repeat: int = 3) -> None:
    best, statements = None, 0
    for _ in range(repeat):
        db.session.rollback()
        before = counter.n
        t0 = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - t0
        statements = counter.n - before
        best = elapsed if best is None else min(best, elapsed)
    print(f"  {label:<34} {best * 1000:9.0f} ms  {statements:4d} statements")


def measure(label: str, pdf_repeat: int) -> None:
    from app.reports import exports
    from app.reports.exports import ExportSpec
    from app.reports.report import build_report
    from app.reports.summary import build_summary

    total = db.session.scalar(select(db.func.count(Item.id)))
    updates = db.session.scalar(select(db.func.count(StatusUpdate.id)))
    print(f"{label}: {total} items, {updates} status updates")
    counter = Counter(db.engine)
    past = today() - timedelta(days=60)
    every = ItemFilters()
    timed("summary (live)", counter, lambda: build_summary(every))
    timed("summary (as of 60 days ago)", counter, lambda: build_summary(every, past))
    timed("report page data (live)", counter, lambda: build_report(every))
    timed("report page data (as of)", counter, lambda: build_report(every, past))
    timed(
        "CSV (live)",
        counter,
        lambda: sum(len(line) for line in exports.csv_lines(ExportSpec(every))),
    )
    timed(
        "CSV (as of 60 days ago)",
        counter,
        lambda: sum(len(line) for line in exports.csv_lines(ExportSpec(every, past))),
    )
    timed("XLSX (live)", counter, lambda: exports.export_bytes("xlsx", ExportSpec(every)), repeat=1)
    timed(
        "PDF (live)",
        counter,
        lambda: exports.export_bytes("pdf", ExportSpec(every)),
        repeat=pdf_repeat,
    )
    timed(
        "PDF (one lead organisation)",
        counter,
        lambda: exports.export_bytes("pdf", ExportSpec(ItemFilters(lead="MINUSMA"))),
        repeat=pdf_repeat,
    )


def run(url: str, n: int, name: str) -> None:
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ECHO=False)
    with app.app_context():
        db.create_all()
        from seed.loader import load_seed

        load_seed(app.config["SEED_DIR"])
        db.session.commit()
        measure(f"[{name}] seed", pdf_repeat=3)
        t0 = time.perf_counter()
        generate(n)
        print(f"[{name}] generated {n} items in {time.perf_counter() - t0:.0f} s")
        measure(f"[{name}] seed + {n}", pdf_repeat=1)
        db.session.remove()
        db.engine.dispose()


def postgres_ready(url: str) -> bool:
    from config import database_url

    try:
        admin = create_engine(
            database_url(url).rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT"
        )
        name = url.rsplit("/", 1)[1]
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return True
    except Exception as exc:  # noqa: BLE001  (any failure means: no PostgreSQL here)
        print(f"PostgreSQL not used ({type(exc).__name__}: {str(exc)[:80]})")
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--postgres", default=PG_DEFAULT, help="'' to skip PostgreSQL")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.skip_sqlite:
        folder = tempfile.mkdtemp(prefix="suivi-bench-")
        run(f"sqlite:///{os.path.join(folder, 'bench.db')}", args.items, "SQLite")
    if args.postgres and postgres_ready(args.postgres):
        from config import database_url

        run(database_url(args.postgres), args.items, "PostgreSQL")


if __name__ == "__main__":
    main()
