"""GET /api/v1/rounds and /api/v1/rounds/<id>: reporting rounds and who has reported."""

from flask import url_for

from app.api.base import ApiBlueprint, documents_errors
from app.api.schemas.rounds import RoundListSchema, RoundSchema
from app.core.errors import N_, NotFound
from app.core.records import find
from app.core.time import today
from app.rounds import queries
from app.rounds.models import Round

bp = ApiBlueprint("rounds", __name__, description="Reporting rounds.")


def _summary(rnd: Round, expected: int, reported: int) -> dict:
    return {
        "id": rnd.id,
        "title": rnd.title,
        "opens_on": rnd.opens_on,
        "due_on": rnd.due_on,
        "state": rnd.state(today()),
        "filters": rnd.filters,
        "expected": expected,
        "reported": reported,
        "closed_at": rnd.closed_at,
    }


@bp.route("/rounds", methods=["GET"])
@bp.response(200, RoundListSchema)
@documents_errors(bp)
def list_rounds():
    """Every round, latest due first, with how many items were expected and reported."""
    return {"rounds": [_summary(*row) for row in queries.list_rounds()]}


@bp.route("/rounds/<id:round_id>", methods=["GET"])
@bp.response(200, RoundSchema)
@documents_errors(bp, 404)
def get_round(round_id):
    """A round: each item with whether, and by which status update, its lead reported it;
    each lead organisation with its expected and reported counts; the frozen report's files
    once it is closed."""
    rnd = find(Round, round_id)
    if rnd is None:
        raise NotFound(N_("No round with id %(id)s."), id=round_id)
    leads = queries.round_progress(rnd)
    body = _summary(rnd, sum(lead.expected for lead in leads), sum(lead.reported for lead in leads))
    body["items"] = [
        {
            "id": item.item_id,
            "code": item.code,
            "title": item.title,
            "status": item.status,
            "lead": {"id": lead.organisation_id, "acronym": lead.acronym, "name": lead.name},
            "reported": item.reported,
            "update_id": item.update_id,
            "reported_at": item.reported_at,
        }
        for lead in leads
        for item in lead.items
    ]
    body["by_lead"] = [
        {
            "organisation": {
                "id": lead.organisation_id,
                "acronym": lead.acronym,
                "name": lead.name,
            },
            "expected": lead.expected,
            "reported": lead.reported,
        }
        for lead in leads
    ]
    body["reports"] = [
        {
            "format": report.format,
            "as_of": report.as_of,
            "size_bytes": report.size_bytes,
            "sha256": report.sha256,
            "url": url_for("rounds.report", round_id=rnd.id, fmt=report.format),
        }
        for report in rnd.reports
    ]
    return body
