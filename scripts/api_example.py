"""Use Suivi's API with nothing but `requests` and a token: list, read, update, comment, summarise.

    SUIVI_URL=http://127.0.0.1:5000 SUIVI_TOKEN=suivi_... python scripts/api_example.py

The token comes from `flask --app wsgi users token EMAIL`. The user should be a manager or an
admin (or staff of the item's lead organisation) for the update and the comment to be allowed.
"""

import os
import sys

import requests


def main() -> int:
    base = os.environ.get("SUIVI_URL", "http://127.0.0.1:5000").rstrip("/") + "/api/v1"
    token = os.environ.get("SUIVI_TOKEN")
    if not token:
        print("Set SUIVI_TOKEN (flask --app wsgi users token EMAIL).", file=sys.stderr)
        return 2
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"

    def call(method: str, path: str, **kwargs) -> dict:
        response = http.request(method, base + path, timeout=30, **kwargs)
        body = response.json()
        if response.status_code >= 400:
            error = body["error"]
            raise SystemExit(
                f"{method} {path}: {response.status_code} {error['code']}: "
                f"{error['message']} {error['fields'] or ''}"
            )
        return body

    me = call("GET", "/me")
    print(f"Signed in as {me['name']} ({me['role']}, {me['organisation']['acronym']})")

    # List: the open recommendations, 5 at a time.
    page = call("GET", "/items", params={"kind": "recommendation", "per_page": 5})
    print(f"{page['total']} recommendations; the first {len(page['items'])}:")
    for entry in page["items"]:
        flags = " ".join(f for f in ("overdue", "stale") if entry[f])
        print(
            f"  #{entry['id']:<4} {entry['status']:<18} {entry['progress']:>3}%  "
            f"{entry['lead']['acronym']:<10} {entry['title'][:60]} {flags}"
        )
    if not page["items"]:
        print("Nothing to update.")
        return 0

    # Read one in full.
    item = call("GET", f"/items/{page['items'][0]['id']}")
    print(
        f"\n#{item['id']} {item['title']}\n  lead {item['lead']['acronym']}, supporting "
        f"{', '.join(o['acronym'] for o in item['supporting']) or '-'}, version "
        f"{item['version']}, status {item['status']}"
    )

    # Update: start the work (or report more progress), with the version just read.
    if item["status"] in ("not_started", "blocked"):
        change = {"status": "in_progress", "progress": 10, "note": "Started (api_example.py)."}
    elif item["status"] == "in_progress":
        change = {
            "status": "in_progress",
            "progress": min(item["progress"] + 10, 90),
            "note": "More progress (api_example.py).",
        }
    else:
        change = None
    if change:
        item = call(
            "POST", f"/items/{item['id']}/updates", json={**change, "version": item["version"]}
        )
        print(
            f"  updated: status {item['status']}, progress {item['progress']}%, "
            f"version {item['version']}"
        )

    # Comment in markdown.
    comment = call(
        "POST", f"/items/{item['id']}/comments", json={"body": "Checked from a script: *all good*."}
    )
    print(f"  commented (#{comment['id']}) at {comment['created_at']}")

    history = call("GET", f"/items/{item['id']}/history")["events"]
    print(
        f"  history: {len(history)} audit events, the last: {history[-1]['action']} "
        f"{history[-1]['record_type']} by {history[-1]['actor']}"
    )

    # Summarise.
    summary = call("GET", "/summary")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
