"""The PDF status report: a self-contained HTML template rendered by WeasyPrint.

The template carries its own CSS and inline SVG charts and loads nothing: WeasyPrint is given a
URL fetcher that refuses every request. Text is set in DejaVu Sans, which WeasyPrint embeds.
Besides the figures it tells what was done: the blocked items and why, the verified items and
their evidence, each item's latest note and, with ``since``, every update of the period.
"""

from datetime import date
from itertools import groupby
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import (
    force_locale,
    format_percent,
    gettext,
)

from app.core.display import show_date, show_datetime, show_day
from app.core.numbers import format_number
from app.core.time import utcnow
from app.items import workflow
from app.items.labels import kind_label, response_label, status_label
from app.reports import charts, narrative
from app.reports.report import Report, build_report
from app.reports.rows import item_rows, split_list, stream
from app.reports.wording import filter_phrases, phrase

if TYPE_CHECKING:
    from app.reports.exports import ExportSpec

TEMPLATE = "reports/pdf.html"
# WeasyPrint lays out about four pages a second: past these numbers the PDF stays a readable
# briefing and says where the rest is (the XLSX and CSV exports list everything).
PDF_LIMITS = {
    "overdue": 60,
    "stale": 30,
    "changes": 120,
    "per_lead": 15,
    "blocked": 40,
    "verified": 40,
    "updates": 150,
}
NOTE_LENGTH = 600  # characters of a note shown in the PDF; the exports carry it whole


def chart_set(report: Report, prefix: str = "chart") -> dict[str, Any]:
    """The three summary charts of a report, in the current language."""

    def day_label(d: date) -> str:
        return show_day(d)

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
            number=format_number,
        ),
    }


def clip(text: str | None, length: int = NOTE_LENGTH) -> str:
    """A note cut at ``length`` characters, at a word when it can be."""
    text = (text or "").strip()
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0] if " " in text[length // 2 : length] else text[:length]
    return cut.rstrip() + " …"


def _narrative(report: Report) -> dict[str, Any]:
    """The blocked and verified items and, with ``since``, the updates of the period."""
    args = (report.filters, report.moment, report.stale_days)
    updates: list[dict[str, Any]] = []
    updates_total = 0
    if report.since is not None:
        updates, updates_total = narrative.period_updates(
            *args, report.since, PDF_LIMITS["updates"]
        )
    return {
        "blocked": narrative.blocked_items(*args, PDF_LIMITS["blocked"]),
        "verified": narrative.verified_items(*args, PDF_LIMITS["verified"]),
        "updates": updates,
        "updates_total": updates_total,
    }


def _formatters() -> dict[str, Any]:
    """What the template formats with, in the current language."""
    return {
        "status_label": status_label,
        "response_label": response_label,
        "kind_label": kind_label,
        # One way per language (app.core.display); the format argument is ignored.
        "fmt_date": lambda d, f=None: show_date(d),
        "fmt_datetime": lambda d, f=None: show_datetime(d),
        "percent": format_percent,
        "progress": lambda p: format_percent((p or 0) / 100),
        "number": lambda n: format_number(n, empty="—"),
        "phrase": phrase,
        "split_list": split_list,
        "clip": clip,
    }


def render_html(spec: "ExportSpec") -> str:
    """The report as one self-contained HTML document, in ``spec.locale``."""
    with force_locale(spec.locale):
        report = build_report(
            spec.filters,
            spec.as_of,
            spec.since,
            spec.stale_days,
            list_limit=PDF_LIMITS["overdue"],
        )
        report.stale = report.stale[: PDF_LIMITS["stale"]]
        changes_total = len(report.changes) if report.changes is not None else 0
        if report.changes is not None:
            report.changes = report.changes[: PDF_LIMITS["changes"]]
        rows = list(
            stream(
                item_rows(
                    spec.filters, report.moment, spec.stale_days, per_lead=PDF_LIMITS["per_lead"]
                )
            )
        )
        template = current_app.jinja_env.get_template(TEMPLATE)
        return template.render(
            report=report,
            summary=report.summary,
            charts=chart_set(report, "pdf"),
            by_lead=[(acronym, list(group)) for acronym, group in groupby(rows, lambda r: r.lead)],
            leads={e["organisation"]["acronym"]: e for e in report.summary["by_lead"]},
            filters=filter_phrases(spec.filters),
            generated_at=utcnow(),
            locale=spec.locale,
            statuses=workflow.STATUSES,
            colours=charts.COLOURS,
            limits=PDF_LIMITS,
            changes_total=changes_total,
            **_narrative(report),
            **_formatters(),
        )


def _refuse(url: str, *args, **kwargs):
    raise ValueError(f"the PDF loads no external resource ({url[:60]})")


def pdf_document(spec: "ExportSpec"):
    """The laid-out document (WeasyPrint), for ``write_pdf`` or to inspect its boxes."""
    from weasyprint import HTML

    return HTML(string=render_html(spec), url_fetcher=_refuse).render()


def pdf_bytes(spec: "ExportSpec") -> bytes:
    """The PDF status report."""
    return pdf_document(spec).write_pdf()
