"""Page weight: the bytes a browser downloads for the item list (50 items) and an item page,
with their CSS and JS, before compression (and, for information, gzipped).

    .venv/bin/python scripts/page_weight.py                  # a throwaway seeded Suivi
    .venv/bin/python scripts/page_weight.py --base-url http://127.0.0.1:5000 \\
        --email manager@suivi.example --password demo-manager-2026

Without --base-url it builds a Suivi on a temporary SQLite database (migrations, the seed, the
demo users, and extra items up to 50) and uses Flask's test client. Exit status 1 when the list
page with its CSS and JS is not under the budget (--budget-kb, default 60).
"""

from __future__ import annotations

import argparse
import gzip
import http.cookiejar
import os
import re
import sys
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
Fetch = Callable[[str], bytes]


class Assets(HTMLParser):
    """The stylesheets, icon, scripts and images a page asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").split()
        if tag == "link" and ("stylesheet" in rel or "icon" in rel) and a.get("href"):
            self.urls.append(a["href"])
        elif tag in ("script", "img") and a.get("src") and not a["src"].startswith("data:"):
            self.urls.append(a["src"])


def weigh(fetch: Fetch, path: str) -> dict:
    html = fetch(path)
    parser = Assets()
    parser.feed(html.decode("utf-8", "replace"))
    assets = {url: fetch(url) for url in dict.fromkeys(parser.urls)}
    return {
        "path": path,
        "html": len(html),
        "html_gz": len(gzip.compress(html, 6)),
        "assets": {u: (len(b), len(gzip.compress(b, 6))) for u, b in assets.items()},
        "rows": html.count(b"<tr>") - 1,
    }


# --- a throwaway Suivi through the test client -----------------------------------------------

EXTRA_TITLES = [
    "Strengthen the protection of civilians in the regions of Gao and Timbuktu",
    "Support the cantonment and disarmament of armed groups under the peace agreement",
    "Train the National Police in community policing and human rights",
    "Rehabilitate the airstrips of Kidal and Tessalit for rotations in the rainy season",
    "Recruit French-speaking police officers for the formed police units",
    "Publish a quarterly report on the implementation of the mandate in French and English",
    "Coordinate the deployment of EUCAP Sahel Mali advisers with MINUSMA's police component",
    "Set up a joint operations centre with the Malian Defence and Security Forces",
]


def _local_suivi(n_items: int):
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from app import create_app
    from app.extensions import db
    from app.items import services
    from app.items.models import Item
    from app.stakeholders.models import Organisation
    from seed.loader import load_demo_users, load_seed
    from tests.factories import SYSTEM, set_status

    tmp = tempfile.mkdtemp(prefix="suivi-weight-")
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/weight.db",
        UPLOAD_FOLDER=os.path.join(tmp, "evidence"),
    )
    with app.app_context():
        upgrade()
        load_seed(app.config["SEED_DIR"])
        load_demo_users(app.config["SEED_DIR"])
        orgs = db.session.scalars(select(Organisation).order_by(Organisation.id)).all()
        count = db.session.scalar(select(func.count(Item.id)))
        statuses = ["in_progress", "not_started", "blocked", "implemented", "verified"]
        for n in range(count, n_items):
            title = EXTRA_TITLES[n % len(EXTRA_TITLES)]
            item = services.create_item(
                SYSTEM,
                kind=("recommendation", "action", "challenge")[n % 3],
                title=f"{title} ({n + 1})",
                text=title + ". " * 3,
                code=f"X{n + 1}",
                lead=orgs[n % len(orgs)],
                supporting=[orgs[(n + 3) % len(orgs)]],
                priority=("high", "medium", "low")[n % 3],
            )
            set_status(item, statuses[n % len(statuses)], progress=40)
        db.session.commit()
        ids = dict(db.session.execute(select(Item.code, Item.id)).all())
    return app, ids


def _client_fetch(app, email: str, password: str) -> Fetch:
    import contextvars

    client = app.test_client()

    def fetch(path: str) -> bytes:
        response = contextvars.Context().run(client.get, path)
        assert response.status_code == 200, (path, response.status_code)
        return response.get_data()

    token = CSRF.search(fetch("/login").decode()).group(1)
    response = contextvars.Context().run(
        client.post, "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, "login failed"
    return fetch


def _http_fetch(base_url: str, email: str, password: str) -> Fetch:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def fetch(path: str, data: dict | None = None) -> bytes:
        url = urllib.parse.urljoin(base_url, path)
        body = urllib.parse.urlencode(data).encode() if data else None
        request = urllib.request.Request(  # noqa: S310 - a URL the user gave
            url, data=body, headers={"Accept-Encoding": "identity"}
        )
        with opener.open(request, timeout=30) as response:
            return response.read()

    token = CSRF.search(fetch("/login").decode()).group(1)
    page = fetch("/login", {"email": email, "password": password, "csrf_token": token})
    if b'name="password"' in page:
        raise SystemExit("login failed")
    return fetch


def _show(result: dict) -> int:
    total = result["html"] + sum(size for size, _gz in result["assets"].values())
    total_gz = result["html_gz"] + sum(gz for _size, gz in result["assets"].values())
    print(f"{result['path']}")
    print(f"  {'HTML':<48} {result['html']:>9,} B  (gzip {result['html_gz']:>7,} B)")
    for url, (size, gz) in result["assets"].items():
        print(f"  {url[:48]:<48} {size:>9,} B  (gzip {gz:>7,} B)")
    print(f"  {'total':<48} {total:>9,} B  (gzip {total_gz:>7,} B)  = {total / 1024:.1f} KB")
    return total


def wire(app, email: str, password: str, path: str) -> None:
    """The bytes Suivi sends for ``path`` and its CSS and JS: as is, gzipped, in brotli (as
    Suivi compresses them itself), and on a revisit (304 for the page; the versioned static
    files are not asked for again: cached as immutable)."""
    import contextvars

    client = app.test_client()

    def get(url: str, **headers: str):
        return contextvars.Context().run(client.get, url, headers=headers)

    token = CSRF.search(get("/login").get_data(as_text=True)).group(1)
    form = {"email": email, "password": password, "csrf_token": token}
    contextvars.Context().run(client.post, "/login", data=form)
    page = get(path)
    parser = Assets()
    parser.feed(page.get_data(as_text=True))
    print(f"\nOn the wire: {path} and its CSS and JS (bytes of the bodies)")
    total = {"identity": 0, "gzip": 0, "br": 0}
    for url in [path, *dict.fromkeys(parser.urls)]:
        sizes = {enc: len(get(url, **{"Accept-Encoding": enc}).data) for enc in total}
        for enc, size in sizes.items():
            total[enc] += size
        line = "  ".join(f"{enc} {size:>7,}" for enc, size in sizes.items())
        print(f"  {url[:48]:<48} {line}")
    print(f"  {'first visit':<48} " + "  ".join(f"{e} {n:>7,}" for e, n in total.items()))
    again = get(path, **{"If-None-Match": page.headers.get("ETag", ""), "Accept-Encoding": "br"})
    print(f"  {'revisit, unchanged (' + str(again.status_code) + ')':<48} {len(again.data):>7,} B")
    cache = get(parser.urls[0]).headers.get("Cache-Control") if parser.urls else ""
    print(f"  static files: Cache-Control {cache}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="a running Suivi (default: a throwaway one)")
    parser.add_argument("--email", default="manager@suivi.example")
    parser.add_argument("--password", default="demo-manager-2026")
    parser.add_argument("--items", type=int, default=50, help="items on the list page")
    parser.add_argument("--detail", default=None, help="item id for the item page")
    parser.add_argument("--budget-kb", type=float, default=60.0)
    parser.add_argument(
        "--wire", action="store_true", help="also the bytes as sent: compressed, and on a revisit"
    )
    args = parser.parse_args()

    if args.base_url:
        fetch = _http_fetch(args.base_url, args.email, args.password)
        detail_ids = [args.detail or "1"]
    else:
        app, ids = _local_suivi(args.items)
        fetch = _client_fetch(app, args.email, args.password)
        detail_ids = [args.detail] if args.detail else [str(ids["C6"]), str(ids["R1"])]

    if args.wire and not args.base_url:
        wire(app, args.email, args.password, "/items")
    listing = weigh(fetch, f"/items?per_page={args.items}")
    list_total = _show(listing)
    print(f"  ({listing['rows']} rows)")
    for item_id in detail_ids:
        _show(weigh(fetch, f"/items/{item_id}"))
    budget = args.budget_kb * 1024
    verdict = "under" if list_total < budget else "OVER"
    print(
        f"\nList page with its CSS and JS: {list_total / 1024:.1f} KB, {verdict} the "
        f"{args.budget_kb:g} KB budget."
    )
    return 0 if list_total < budget else 1


if __name__ == "__main__":
    sys.exit(main())
