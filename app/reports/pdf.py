"""The PDF status report: a self-contained HTML template rendered by WeasyPrint.

The template carries its own CSS and inline SVG charts and loads nothing: WeasyPrint is given a
URL fetcher that refuses every request. Text is set in DejaVu Sans, which WeasyPrint embeds.
"""

from datetime import date
from itertools import groupby
from typing import Any

from flask import current_app
from flask_babel import (
    force_locale,
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    gettext,
)

from app.core.time import utcnow
from app.items import workflow
from app.items.labels import status_label
from app.items.queries import ItemFilters
from app.reports import charts
from app.reports.exports import item_rows, stream
from app.reports.report import Report, build_report

TEMPLATE = "reports/pdf.html"
# WeasyPrint lays out about four pages a second: past these numbers the PDF stays a readable
# briefing and says where the rest is (the XLSX and CSV exports list everything).
PDF_LIMITS = {"overdue": 60, "stale": 30, "changes": 120, "per_lead": 15}


def chart_set(report: Report, prefix: str = "chart") -> dict[str, Any]:
    """The three summary charts of a report, in the current language."""

    def day_label(d: date) -> str:
        return format_date(d, "d MMM")

    return {
        "status": charts.status_bars(
            report.summary["by_status"],
            status_label,
            gettext("Items by status"),
            f"{prefix}-status",
        ),
        "leads": charts.lead_shares(
            report.lead_rows(),
            status_label,
            gettext("Status of the items of each lead organisation"),
            f"{prefix}-leads",
        ),
        "trend": charts.trend_lines(
            report.trend.days,
            report.trend.counts,
            status_label,
            day_label,
            gettext("Items by status, week by week"),
            chart_id=f"{prefix}-trend",
        ),
    }


def filter_labels(filters: ItemFilters) -> list[tuple[str, str]]:
    """The filters in force, as (label, value) pairs for people."""
    names = {
        "kind": gettext("Kind"),
        "status": gettext("Status"),
        "lead": gettext("Lead organisation"),
        "theme": gettext("Theme"),
        "overdue": gettext("Overdue"),
        "stale": gettext("Stale"),
        "q": gettext("Search"),
    }
    out = []
    for key, value in filters.as_args().items():
        if key == "status":
            value = status_label(value)
        elif key in ("overdue", "stale"):
            value = gettext("yes") if value == "1" else gettext("no")
        out.append((names.get(key, key), value))
    return out


def render_html(
    filters: ItemFilters,
    as_of: date | None,
    since: date | None,
    stale_days: int,
    locale: str = "en",
) -> str:
    """The report as one self-contained HTML document, in ``locale``."""
    with force_locale(locale):
        report = build_report(filters, as_of, since, stale_days, list_limit=PDF_LIMITS["overdue"])
        report.stale = report.stale[: PDF_LIMITS["stale"]]
        changes_total = len(report.changes) if report.changes is not None else 0
        if report.changes is not None:
            report.changes = report.changes[: PDF_LIMITS["changes"]]
        rows = list(
            stream(item_rows(filters, report.moment, stale_days, per_lead=PDF_LIMITS["per_lead"]))
        )
        by_lead = [(acronym, list(group)) for acronym, group in groupby(rows, key=lambda r: r.lead)]
        leads = {e["organisation"]["acronym"]: e for e in report.summary["by_lead"]}
        template = current_app.jinja_env.get_template(TEMPLATE)
        return template.render(
            report=report,
            summary=report.summary,
            charts=chart_set(report, "pdf"),
            by_lead=by_lead,
            leads=leads,
            filters=filter_labels(filters),
            generated_at=utcnow(),
            status_label=status_label,
            locale=locale,
            statuses=workflow.STATUSES,
            fmt_date=lambda d, f="long": format_date(d, f) if d else "",
            fmt_datetime=format_datetime,
            percent=format_percent,
            number=lambda n: format_decimal(n) if n is not None else "—",
            colours=charts.COLOURS,
            limits=PDF_LIMITS,
            changes_total=changes_total,
        )


def _refuse(url: str, *args, **kwargs):
    raise ValueError(f"the PDF loads no external resource ({url[:60]})")


def pdf_bytes(
    filters: ItemFilters,
    as_of: date | None,
    since: date | None = None,
    stale_days: int = workflow.DEFAULT_STALE_DAYS,
    locale: str = "en",
) -> bytes:
    """The PDF status report."""
    from weasyprint import HTML

    html = render_html(filters, as_of, since, stale_days, locale)
    return HTML(string=html, url_fetcher=_refuse).write_pdf()
