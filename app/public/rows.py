"""What the public view says of an item, defined once for its pages, CSV and JSON: the
fields listed here and nothing else (no owner, note, comment, evidence or internal text)."""

import csv
import io
from typing import Any

from flask import current_app, url_for

from app.core.cells import safe_cell
from app.core.time import as_utc, today
from app.items import workflow
from app.items.models import Item
from app.public.models import Publication

CSV_COLUMNS = (
    "id",
    "code",
    "kind",
    "title",
    "status",
    "progress",
    "due_date",
    "overdue",
    "lead",
    "supporting",
    "themes",
    "summary",
    "response",
    "response_text",
    "response_date",
    "published_at",
    "url",
)


def public_url(item_id: int) -> str:
    """The item's public page: absolute from ``BASE_URL`` (never from the request's Host),
    else relative."""
    base = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    return base + url_for("public.detail", item_id=item_id)


def _response(item: Item) -> dict[str, Any] | None:
    """The lead organisation's current formal response, as it stands: what it said and when
    (not who typed it)."""
    response = item.current_response
    if response is None:
        return None
    return {
        "position": response.position,
        "text": response.text,
        "responded_on": response.responded_on.isoformat(),
    }


def public_row(item: Item, publication: Publication) -> dict[str, Any]:
    """The public facts of a published item, JSON-ready."""
    published_at = as_utc(publication.published_at) if publication.published_at else None
    return {
        "id": item.id,
        "code": item.code,
        "kind": item.kind,
        "title": item.title,
        "status": item.status,
        "progress": item.progress,
        "due_date": item.due_date.isoformat() if item.due_date else None,
        "overdue": workflow.is_overdue(item.due_date, item.status, today()),
        "lead": {"acronym": item.lead.acronym, "name": item.lead.name},
        "supporting": [{"acronym": o.acronym, "name": o.name} for o in item.supporting],
        "themes": [{"code": t.code, "title": t.title} for t in item.themes],
        "summary": publication.summary,
        "response": _response(item),
        "published_at": published_at.isoformat() if published_at else None,
        "url": public_url(item.id),
    }


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "1" if value else "0"
    if value is None:
        return ""
    return safe_cell(value)


def csv_text(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV with a header, organisations and themes by acronym and code."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        flat = {
            **row,
            "lead": row["lead"]["acronym"],
            "supporting": "; ".join(o["acronym"] for o in row["supporting"]),
            "themes": "; ".join(t["code"] for t in row["themes"]),
            "response": (row["response"] or {}).get("position"),
            "response_text": (row["response"] or {}).get("text"),
            "response_date": (row["response"] or {}).get("responded_on"),
        }
        writer.writerow([_cell(flat[column]) for column in CSV_COLUMNS])
    return out.getvalue()
