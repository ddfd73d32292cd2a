"""How long a bulk edit takes: N items (default 200, the most one edit takes) given a new
lead, priority and themes in one transaction through ``services.bulk_edit``, as the web
door does it; and the item list page's size for a manager (with the checkboxes) and a viewer.

    .venv/bin/python scripts/bench_bulk.py [--items 200] [--database-url postgresql://…]

Without --database-url it uses a throwaway SQLite file. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import event, select

    from app import create_app
    from app.extensions import db
    from app.items import services
    from app.items.models import Item, Theme
    from tests.factories import SYSTEM, make_org, make_user

    tmp = tempfile.mkdtemp(prefix="suivi-bulk-")
    url = args.database_url or f"sqlite:///{tmp}/bulk.db"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=os.path.join(tmp, "e"))
    with app.app_context():
        upgrade()
        leads = [make_org(f"BULK{n}") for n in range(3)]
        theme = services.create_theme(SYSTEM, code="bulk-bench", title="Bulk bench")
        manager = make_user("manager", leads[0])
        for n in range(args.items):
            services.create_item(
                SYSTEM, kind="recommendation", title=f"Bench item {n}", lead=leads[n % 2]
            )
        db.session.commit()
        items = db.session.scalars(select(Item).order_by(Item.id.desc()).limit(args.items)).all()
        selection = [(item, item.version) for item in items]
        theme = db.session.get(Theme, theme.id)
        statements: list[str] = []
        event.listen(
            db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]), named=False
        )
        started = time.perf_counter()
        changed = services.bulk_edit(
            manager, selection, lead=leads[2], priority="high", themes=[theme]
        )
        db.session.commit()
        elapsed = time.perf_counter() - started
        print(f"database: {db.engine.dialect.name}")
        per_item = len(statements) / len(selection)
        print(f"SQL statements: {len(statements)} ({per_item:.1f} per item)")
        print(
            f"bulk edit of {len(selection)} items ({len(changed)} changed: lead, priority, "
            f"themes), audited, committed: {elapsed:.2f} s ({elapsed / len(selection) * 1000:.1f} "
            "ms per item)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
