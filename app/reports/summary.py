"""The progress summary: counts by status, lead organisation and theme, overdue and stale,
now or as the data stood at the end of a day — two aggregate statements (one pass by
lead, status and formal response, one by theme)."""

from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.items import workflow
from app.items.models import RESPONSE_POSITIONS, Theme, item_themes
from app.items.queries import RESPONSE_NONE, ItemFilters
from app.reports.state import Moment, item_state
from app.stakeholders.models import Organisation


def _share(done: int, count: int) -> float:
    return round(done / count, 4) if count else 0.0


def _cells(state: Any) -> list[tuple]:
    """One pass over the items: per lead organisation, status and formal response, how many
    items, how many done, overdue and stale, with the organisation's acronym and name (the
    aggregate runs first, the names join its few rows)."""
    cells = (
        select(
            state.c.lead_id,
            state.c.status,
            state.c.response,
            func.count().label("n"),
            func.sum(state.c.done).label("done"),
            func.sum(state.c.overdue).label("overdue"),
            func.sum(state.c.stale).label("stale"),
        )
        .group_by(state.c.lead_id, state.c.status, state.c.response)
        .subquery("cells")
    )
    stmt = select(
        cells.c.lead_id,
        Organisation.acronym,
        Organisation.name,
        cells.c.status,
        cells.c.response,
        cells.c.n,
        cells.c.done,
        cells.c.overdue,
        cells.c.stale,
    ).join(Organisation, Organisation.id == cells.c.lead_id)
    return [tuple(row) for row in db.session.execute(stmt)]


def _by_status(cells: list[tuple]) -> tuple[dict[str, int], dict[str, int], int, int]:
    """The number of items in each status and with each response (``"none"``: without
    one), and how many are overdue and stale in all."""
    by_status = dict.fromkeys(workflow.STATUSES, 0)
    by_response = dict.fromkeys((*RESPONSE_POSITIONS, RESPONSE_NONE), 0)
    overdue = stale = 0
    for _lead, _acronym, _name, status, response, count, _done, n_overdue, n_stale in cells:
        by_status[status] += count
        by_response[response or RESPONSE_NONE] += count
        overdue += int(n_overdue or 0)
        stale += int(n_stale or 0)
    return by_status, by_response, overdue, stale


def _by_lead(cells: list[tuple]) -> list[dict[str, Any]]:
    """Each lead organisation's items: how many, the share done, how many overdue; the
    largest first."""
    leads: dict[int, dict[str, Any]] = {}
    for org_id, acronym, name, _status, _response, count, done, n_overdue, _stale in cells:
        entry = leads.setdefault(
            org_id,
            {"organisation": {"id": org_id, "acronym": acronym, "name": name}, "count": 0},
        )
        entry["count"] += count
        entry["done"] = entry.get("done", 0) + int(done or 0)
        entry["overdue"] = entry.get("overdue", 0) + int(n_overdue or 0)
    ordered = sorted(leads.values(), key=lambda e: (-e["count"], e["organisation"]["acronym"]))
    return [
        {
            "organisation": e["organisation"],
            "count": e["count"],
            "share_done": _share(e["done"], e["count"]),
            "overdue": e["overdue"],
        }
        for e in ordered
    ]


def _status_by_lead(cells: list[tuple]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for org_id, _acronym, _name, status, _response, count, *_rest in cells:
        out.setdefault(org_id, dict.fromkeys(workflow.STATUSES, 0))[status] += count
    return out


def _by_theme(state: Any) -> list[dict[str, Any]]:
    """Each theme's items: how many and the share done."""
    rows = db.session.execute(
        select(Theme.id, Theme.code, Theme.title, func.count(), func.sum(state.c.done))
        .join(item_themes, item_themes.c.theme_id == Theme.id)
        .join(state, state.c.id == item_themes.c.item_id)
        .group_by(Theme.id, Theme.code, Theme.title)
        .order_by(Theme.code)
    )
    return [
        {
            "theme": {"id": theme_id, "code": code, "title": title},
            "count": count,
            "share_done": _share(int(done or 0), count),
        }
        for theme_id, code, title, count, done in rows
    ]


def summarise(
    filters: ItemFilters | None = None,
    as_of: date | None = None,
    stale_days: int = workflow.DEFAULT_STALE_DAYS,
) -> tuple[dict[str, Any], dict[int, dict[str, int]]]:
    """The summary (as ``build_summary``) and, for each lead organisation (by id), its
    number of items in each status: two aggregate statements over the items' state."""
    moment = Moment.at(as_of)
    state = item_state(filters or ItemFilters(), moment, stale_days)
    cells = _cells(state)
    by_status, by_response, overdue, stale = _by_status(cells)
    summary = {
        "as_of": moment.day.isoformat(),
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_response": by_response,
        "by_lead": _by_lead(cells),
        "by_theme": _by_theme(state),
        "overdue": overdue,
        "stale": stale,
    }
    return summary, _status_by_lead(cells)


def build_summary(
    filters: ItemFilters | None = None,
    as_of: date | None = None,
    stale_days: int = workflow.DEFAULT_STALE_DAYS,
) -> dict[str, Any]:
    """The summary of the items matching ``filters`` at the end of ``as_of`` (today: live).

    Shape: ``{"as_of", "total", "by_status": {status: count}, "by_lead": [{"organisation":
    {id, acronym, name}, "count", "share_done", "overdue"}], "by_theme": [{"theme": {id, code,
    title}, "count", "share_done"}], "overdue", "stale"}``.
    """
    return summarise(filters, as_of, stale_days)[0]
