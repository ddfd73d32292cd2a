"""Public view weight: the bytes an anonymous visitor downloads for /public (50 published
items), an item's public page, the JSON feed and the CSV, and what a revalidation (304) costs.

    .venv/bin/python scripts/public_weight.py

Builds a throwaway seeded Suivi (as scripts/page_weight.py does), publishes every item with a
short public summary, switches PUBLIC_VIEW on and reads the pages with Flask's test client.
"""

from __future__ import annotations

import contextvars
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts import page_weight  # noqa: E402


def _publish_all(app) -> int:
    from sqlalchemy import select

    from app.extensions import db
    from app.items.models import Item
    from app.public import services
    from tests.factories import SYSTEM

    with app.app_context():
        items = db.session.scalars(select(Item).order_by(Item.id)).all()
        for item in items:
            summary = f"{item.title}: what was done so far, in two sentences for the public."
            services.publish_item(SYSTEM, item, summary, 0)
        db.session.commit()
        return items[0].id


def main() -> int:
    app, _ids = page_weight._local_suivi(50)
    first = _publish_all(app)
    app.config["PUBLIC_VIEW"] = True
    client = app.test_client()

    def get(path: str, **headers):
        return contextvars.Context().run(client.get, path, headers=headers)

    def fetch(path: str) -> bytes:
        response = get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.get_data()

    page_weight._show(page_weight.weigh(fetch, "/public?per_page=50"))
    page_weight._show(page_weight.weigh(fetch, f"/public/items/{first}"))
    for path in ("/public/items.json?per_page=50", "/public/items.csv"):
        print(f"{path}: {len(fetch(path)):,} B")
    etag = get("/public").headers["ETag"]
    again = get("/public", **{"If-None-Match": etag})
    print(f"/public revalidated: {again.status_code}, {len(again.get_data())} B of body")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
