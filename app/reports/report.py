"""Everything the reports page and the PDF show, gathered in a bounded number of statements."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.items import workflow
from app.items.queries import ItemFilters
from app.reports import queries
from app.reports.state import Moment
from app.reports.summary import summarise
from app.reports.trend import Trend, weekly_trend


@dataclass
class Report:
    """A report's figures: the summary and the lists, as they stood at ``moment``."""

    filters: ItemFilters
    moment: Moment
    live: bool
    since: date | None
    stale_days: int
    summary: dict[str, Any]
    status_by_lead: dict[int, dict[str, int]]
    overdue: list[dict[str, Any]]
    stale: list[dict[str, Any]]
    activity: list[dict[str, Any]]
    trend: Trend
    indicators: list[dict[str, Any]]
    changes: list[dict[str, Any]] | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def as_of(self) -> date:
        return self.moment.day

    def lead_rows(self) -> list[tuple[str, dict[str, int]]]:
        """(acronym, status counts) per lead organisation, as the summary orders them."""
        return [
            (
                entry["organisation"]["acronym"],
                self.status_by_lead.get(
                    entry["organisation"]["id"], dict.fromkeys(workflow.STATUSES, 0)
                ),
            )
            for entry in self.summary["by_lead"]
        ]


def build_report(
    filters: ItemFilters,
    as_of: date | None = None,
    since: date | None = None,
    stale_days: int = workflow.DEFAULT_STALE_DAYS,
    list_limit: int | None = queries.LIST_LIMIT,
) -> Report:
    """Gather the summary, lists, trend, indicators and (with ``since``) the changes."""
    moment = Moment.at(as_of)
    summary, status_by_lead = summarise(filters, as_of, stale_days)
    return Report(
        filters=filters,
        moment=moment,
        live=as_of is None,
        since=since,
        stale_days=stale_days,
        summary=summary,
        status_by_lead=status_by_lead,
        overdue=queries.overdue_items(filters, moment, stale_days, list_limit),
        stale=queries.stale_items(filters, moment, stale_days, list_limit),
        activity=queries.recent_activity(filters, moment, stale_days),
        trend=weekly_trend(filters, moment, stale_days),
        indicators=queries.indicators(filters, moment, stale_days),
        changes=(
            queries.changes_between(filters, since, moment, stale_days)
            if since is not None
            else None
        ),
    )
