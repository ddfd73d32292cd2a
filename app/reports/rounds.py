"""The report frozen when a reporting round closes: its summary (JSON), CSV, XLSX and PDF,
built with the status exports on the round's filters as of its due date (or today, when it
closes earlier). The app factory registers ``build_round_report`` with the rounds."""

import json
from datetime import date
from typing import Any

from flask import current_app

from app.core.time import today
from app.items.arguments import parse_filters
from app.items.queries import stale_days
from app.reports.exports import ExportSpec, export_bytes
from app.reports.summary import build_summary
from app.rounds.models import Round
from app.rounds.queries import round_progress


def round_summary(rnd: Round, as_of: date, days: int) -> dict[str, Any]:
    """The round's figures: who was expected to report, who did, and the status summary of
    its filters as of ``as_of``."""
    leads = round_progress(rnd)
    return {
        "round": {
            "id": rnd.id,
            "title": rnd.title,
            "opens_on": rnd.opens_on.isoformat(),
            "due_on": rnd.due_on.isoformat(),
            "filters": rnd.filters,
        },
        "as_of": as_of.isoformat(),
        "expected": sum(lead.expected for lead in leads),
        "reported": sum(lead.reported for lead in leads),
        "by_lead": [
            {
                "organisation": {"id": lead.organisation_id, "acronym": lead.acronym},
                "expected": lead.expected,
                "reported": lead.reported,
                "missing": [item.item_id for item in lead.missing],
            }
            for lead in leads
        ],
        "summary": build_summary(parse_filters(rnd.filters), as_of, days),
    }


def build_round_report(rnd: Round, language: str) -> list[tuple[str, bytes, date]]:
    """``[(format, bytes, as_of)]`` for json, csv, xlsx and pdf, the exports in
    ``language`` with links from ``BASE_URL``, as every export makes them."""
    as_of = min(rnd.due_on, today())
    spec = ExportSpec(
        parse_filters(rnd.filters),
        as_of,
        None,
        stale_days(),
        base_url=current_app.config["BASE_URL"],
        locale=language,
    )
    summary = json.dumps(
        round_summary(rnd, as_of, spec.stale_days), ensure_ascii=False, indent=1, sort_keys=True
    ).encode("utf-8")
    files = [("json", summary, as_of)]
    files += [(fmt, export_bytes(fmt, spec), as_of) for fmt in ("csv", "xlsx", "pdf")]
    return files
