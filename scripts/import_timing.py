"""Time the import of a spreadsheet of N rows (default 10,000) on SQLite and PostgreSQL.

    .venv/bin/python scripts/import_timing.py [--rows 10000] [--format csv|xlsx]
        [--postgres URL | --no-postgres]

For each database (a temporary SQLite file; PostgreSQL at URL, default the database
``suivi_import_timing``, created if missing and emptied first) it creates 20 organisations,
a source with 10 themes and prints how long each step takes and how many SQL statements it
used: the dry run (read and plan), the real import (plan, then every item created, linked
and moved through the workflow by the item services, then one commit), and the second
import of the same file (nothing to change).
"""

import argparse
import io
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from openpyxl import Workbook
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from app import create_app
from app.core.roles import SystemActor
from app.extensions import db
from app.imports import services
from app.items import services as item_services
from app.stakeholders import services as org_services

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/suivi_import_timing"
ACTOR = SystemActor("import-timing")
COLUMNS = ("code", "kind", "title", "text", "source", "section", "themes", "lead",
           "supporting", "due_date", "priority", "status", "progress", "addresses")  # fmt: skip
STATUSES = (("", ""), ("in_progress", "30"), ("blocked", "10"), ("implemented", ""),
            ("verified", ""), ("not_accepted", ""))  # fmt: skip


def rows(count: int) -> list[list[str]]:
    """A fifth challenges, then recommendations addressing two challenges each, then actions
    each under a recommendation; statuses spread over the workflow."""
    challenges, recommendations = count // 5, count * 3 // 5
    out = []
    for n in range(1, count + 1):
        if n <= challenges:
            kind, code, addresses = "challenge", f"T-C{n}", ""
        elif n <= challenges + recommendations:
            kind, code = "recommendation", f"T-R{n}"
            addresses = f"T-C{n % challenges + 1}; T-C{(n * 7 + 3) % challenges + 1}"
        else:
            kind, code, addresses = "action", f"T-A{n}", f"T-R{n - recommendations}"
        status, progress = STATUSES[n % len(STATUSES)] if kind != "challenge" else ("", "")
        out.append([
            code, kind, f"Timed item {n}", f"The text of item {n}.", "timing",
            f"p. {n // 50 + 1}", f"t-{n % 10 + 1}; t-{(n + 3) % 10 + 1}", f"ORG{n % 20}",
            f"ORG{(n + 1) % 20}", f"2027-{n % 12 + 1:02d}-15", ("high", "medium", "low")[n % 3],
            status, progress, addresses,
        ])  # fmt: skip
    return out


def spreadsheet(count: int, fmt: str) -> bytes:
    data = rows(count)
    if fmt == "csv":
        lines = [",".join(COLUMNS)] + [",".join(f'"{v}"' for v in row) for row in data]
        return ("\r\n".join(lines) + "\r\n").encode()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Items")
    sheet.append(list(COLUMNS))
    for row in data:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reference_data() -> None:
    for n in range(20):
        org_services.create_organisation(
            ACTOR, name=f"Organisation {n}", acronym=f"ORG{n}", kind="other"
        )
    themes = "\n".join(f"t-{n}: Theme {n}" for n in range(1, 11))
    item_services.create_source(ACTOR, key="timing", title="Timing report", themes=themes)
    db.session.commit()


def timed(label: str, engine, action) -> object:
    statements = 0

    def count(*_args):
        nonlocal statements
        statements += 1

    event.listen(engine, "before_cursor_execute", count)
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    event.remove(engine, "before_cursor_execute", count)
    print(f"  {label:<34} {seconds:8.1f} s  {statements:>8,} statements  {result}")
    return result


def run(url: str, data: bytes, name: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, RATELIMIT_ENABLED=False)
    with app.app_context():
        db.create_all()
        reference_data()
        engine = db.engine

        def dry():
            counts = services.import_file(ACTOR, io.BytesIO(data), name, dry_run=True)
            db.session.rollback()
            return counts

        def real():
            counts = services.import_file(ACTOR, io.BytesIO(data), name)
            db.session.commit()
            return counts

        timed("dry run (read and plan)", engine, dry)
        timed("import (plan, write, commit)", engine, real)
        timed("second import (nothing to change)", engine, real)
        db.session.remove()
        db.engine.dispose()


def empty_postgres(url: str) -> bool:
    parsed = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
            ).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
        admin.dispose()
        engine = create_engine(parsed, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001  (a benchmark: say why and go on)
        print(f"PostgreSQL skipped: {exc}")
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--postgres", default=PG_DEFAULT)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    data = spreadsheet(args.rows, args.format)
    name = f"timing.{args.format}"
    print(f"{args.rows:,} rows, {args.format.upper()}, {len(data) / 1024 / 1024:.1f} MB")
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite")
        run(f"sqlite:///{os.path.join(folder, 'timing.db')}", data, name)
    if not args.no_postgres and empty_postgres(args.postgres):
        print("PostgreSQL")
        url = args.postgres.replace("postgresql://", "postgresql+psycopg://", 1)
        run(url, data, name)


if __name__ == "__main__":
    main()
