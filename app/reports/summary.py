"""The progress summary: counts by status, lead organisation and theme, overdue and stale,
now or as the data stood at the end of a day — three aggregate statements."""

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


def _by_status(state: Any) -> tuple[dict[str, int], dict[str, int], int, int]:
    """The number of items in each status and with each response (``"none"``: without
    one), and how many are overdue and stale in all."""
    by_status = dict.fromkeys(workflow.STATUSES, 0)
    by_response = dict.fromkeys((*RESPONSE_POSITIONS, RESPONSE_NONE), 0)
    overdue = stale = 0
    rows = db.session.execute(
        select(
            state.c.status,
            state.c.response,
            func.count(),
            func.sum(state.c.overdue),
            func.sum(state.c.stale),
        ).group_by(state.c.status, state.c.response)
    )
    for status, response, count, n_overdue, n_stale in rows:
        by_status[status] += count
        by_response[response or RESPONSE_NONE] += count
        overdue += int(n_overdue or 0)
        stale += int(n_stale or 0)
    return by_status, by_response, overdue, stale


def _by_lead(state: Any) -> list[dict[str, Any]]:
    """Each lead organisation's items: how many, the share done, how many overdue."""
    rows = db.session.execute(
        select(
            Organisation.id,
            Organisation.acronym,
            Organisation.name,
            func.count(),
            func.sum(state.c.done),
            func.sum(state.c.overdue),
        )
        .join(state, state.c.lead_id == Organisation.id)
        .group_by(Organisation.id, Organisation.acronym, Organisation.name)
        .order_by(func.count().desc(), Organisation.acronym)
    )
    return [
        {
            "organisation": {"id": org_id, "acronym": acronym, "name": name},
            "count": count,
            "share_done": _share(int(done or 0), count),
            "overdue": int(n_overdue or 0),
        }
        for org_id, acronym, name, count, done, n_overdue in rows
    ]


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


def build_summary(
    filters: ItemFilters | None = None,
    as_of: date | None = None,
    stale_days: int = workflow.DEFAULT_STALE_DAYS,
) -> dict[str, Any]:
    """The summary of the items matching ``filters`` at the end of ``as_of`` (today: live).

    Shape: ``{"as_of", "total", "by_status": {status: count}, "by_response": {position or
    "none": count}, "by_lead": [{"organisation":
    {id, acronym, name}, "count", "share_done", "overdue"}], "by_theme": [{"theme": {id, code,
    title}, "count", "share_done"}], "overdue", "stale"}``.
    """
    moment = Moment.at(as_of)
    state = item_state(filters or ItemFilters(), moment, stale_days)
    by_status, by_response, overdue, stale = _by_status(state)
    return {
        "as_of": moment.day.isoformat(),
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_response": by_response,
        "by_lead": _by_lead(state),
        "by_theme": _by_theme(state),
        "overdue": overdue,
        "stale": stale,
    }
