"""Use Suivi's API with nothing but `requests` and a token: list, read, update, comment, summarise.

    SUIVI_URL=http://127.0.0.1:5000 SUIVI_TOKEN=suivi_... python scripts/api_example.py

The token comes from `flask --app wsgi users token EMAIL`. The user should be a manager or an
admin (or staff of the item's lead organisation) for the update and the comment to be allowed.
"""

import os
import sys

import requests


class Api:
    """Suivi's API at ``base`` with a bearer token; an error answer ends the script."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, **kwargs) -> dict:
        response = self.http.request(method, self.base + path, timeout=30, **kwargs)
        body = response.json()
        if response.status_code >= 400:
            error = body["error"]
            raise SystemExit(
                f"{method} {path}: {response.status_code} {error['code']}: "
                f"{error['message']} {error['fields'] or ''}"
            )
        return body


def list_recommendations(api: Api) -> list[dict]:
    """List: the open recommendations, 5 at a time."""
    page = api.call("GET", "/items", params={"kind": "recommendation", "per_page": 5})
    print(f"{page['total']} recommendations; the first {len(page['items'])}:")
    for entry in page["items"]:
        flags = " ".join(f for f in ("overdue", "stale") if entry[f])
        print(
            f"  #{entry['id']:<4} {entry['status']:<18} {entry['progress']:>3}%  "
            f"{entry['lead']['acronym']:<10} {entry['title'][:60]} {flags}"
        )
    return page["items"]


def next_step(item: dict) -> dict | None:
    """Start the work, or report more progress; nothing for a closed item."""
    if item["status"] in ("not_started", "blocked"):
        return {"status": "in_progress", "progress": 10, "note": "Started (api_example.py)."}
    if item["status"] == "in_progress":
        return {
            "status": "in_progress",
            "progress": min(item["progress"] + 10, 90),
            "note": "More progress (api_example.py).",
        }
    return None


def work_on(api: Api, item_id: int) -> None:
    """Read one item in full, update it with the version just read, comment, read its history."""
    item = api.call("GET", f"/items/{item_id}")
    print(
        f"\n#{item['id']} {item['title']}\n  lead {item['lead']['acronym']}, supporting "
        f"{', '.join(o['acronym'] for o in item['supporting']) or '-'}, version "
        f"{item['version']}, status {item['status']}"
    )
    change = next_step(item)
    if change:
        item = api.call(
            "POST", f"/items/{item['id']}/updates", json={**change, "version": item["version"]}
        )
        print(
            f"  updated: status {item['status']}, progress {item['progress']}%, "
            f"version {item['version']}"
        )
    # Comment in markdown.
    comment = api.call(
        "POST", f"/items/{item['id']}/comments", json={"body": "Checked from a script: *all good*."}
    )
    print(f"  commented (#{comment['id']}) at {comment['created_at']}")
    history = api.call("GET", f"/items/{item['id']}/history")["events"]
    print(
        f"  history: {len(history)} audit events, the last: {history[-1]['action']} "
        f"{history[-1]['record_type']} by {history[-1]['actor']}"
    )


def summarise(api: Api) -> None:
    summary = api.call("GET", "/summary")
    print(
        f"\nSummary as of {summary['as_of']}: {summary['total']} items, "
        f"{summary['overdue']} overdue, {summary['stale']} stale"
    )
    for status, count in summary["by_status"].items():
        if count:
            print(f"  {status:<20} {count}")
    for lead in summary["by_lead"][:5]:
        print(
            f"  {lead['organisation']['acronym']:<12} {lead['count']:>3} items, "
            f"{lead['share_done']:.0%} implemented or verified"
        )


def main() -> int:
    base = os.environ.get("SUIVI_URL", "http://127.0.0.1:5000").rstrip("/") + "/api/v1"
    token = os.environ.get("SUIVI_TOKEN")
    if not token:
        print("Set SUIVI_TOKEN (flask --app wsgi users token EMAIL).", file=sys.stderr)
        return 2
    api = Api(base, token)
    me = api.call("GET", "/me")
    print(f"Signed in as {me['name']} ({me['role']}, {me['organisation']['acronym']})")
    items = list_recommendations(api)
    if not items:
        print("Nothing to update.")
        return 0
    work_on(api, items[0]["id"])
    summarise(api)
    return 0


if __name__ == "__main__":
    sys.exit(main())
