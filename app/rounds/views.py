"""The rounds pages: the list with the form that opens a round, a round's page (per
organisation expected, reported and missing), closing it, and its frozen report."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.errors import ValidationError
from app.core.feedback import form_errors, register_labels
from app.core.records import get_or_404
from app.core.time import today
from app.core.web import require_login
from app.items import policies as item_policies
from app.items.arguments import FILTERS
from app.items.models import ITEM_KINDS
from app.items.queries import filter_choices
from app.rounds import queries, services
from app.rounds.models import REPORT_FORMATS, Round, RoundReport

bp = Blueprint("rounds", __name__)
require_login(bp)
FIELD_LABELS = {"opens_on": _l("Opening date"), "due_on": _l("Due date")}


@bp.record_once
def _message_labels(state: BlueprintSetupState) -> None:
    register_labels(state.app, "field", FIELD_LABELS)


MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _list_page(values: dict | None = None, errors: dict | None = None, status: int = 200):
    return render_template(
        "rounds/index.html",
        rounds=queries.list_rounds(),
        today=today(),
        values=values or {},
        errors=errors or {},
        may_manage=item_policies.may_manage_items(current_user),
        kinds=ITEM_KINDS,
        **filter_choices(),
    ), status


@bp.get("/rounds")
def index():
    """Every round with how many items were expected and reported; managers open one here."""
    return _list_page()


@bp.post("/rounds")
def open_round():
    """Open a round: a title, two dates and the item-list filters that give its scope."""
    item_policies.may_manage_items(current_user).check()
    values = {k: request.form.get(k, "") for k in ("title", "opens_on", "due_on", *FILTERS)}
    try:
        rnd = services.open_round(
            current_user,
            title=values["title"],
            opens_on=values["opens_on"],
            due_on=values["due_on"],
            filters={name: values[name] for name in FILTERS},
        )
    except ValidationError as exc:
        return _list_page(values, form_errors(exc), 422)
    flash(_("The round is open."), "success")
    return redirect(url_for("rounds.detail", round_id=rnd.id))


@bp.get("/rounds/<id:round_id>")
def detail(round_id: int):
    """A round: per lead organisation, the items expected, reported and missing."""
    rnd = get_or_404(Round, round_id)
    leads = queries.round_progress(rnd)
    return render_template(
        "rounds/detail.html",
        round=rnd,
        leads=leads,
        state=rnd.state(today()),
        expected=sum(lead.expected for lead in leads),
        reported=sum(lead.reported for lead in leads),
        reports={report.format: report for report in rnd.reports},
        formats=REPORT_FORMATS,
        may_manage=item_policies.may_manage_items(current_user),
    )


@bp.post("/rounds/<id:round_id>/close")
def close(round_id: int):
    """Close the round and freeze its report."""
    rnd = get_or_404(Round, round_id)
    item_policies.may_manage_items(current_user).check()
    try:
        services.close_round(current_user, rnd)
    except ValidationError as exc:  # already closed: nothing to do, say so on its page
        flash(form_errors(exc)[""], "error")
        return redirect(url_for("rounds.detail", round_id=round_id))
    flash(_("The round is closed; its report is kept as it stands now."), "success")
    return redirect(url_for("rounds.detail", round_id=round_id))


@bp.get("/rounds/<id:round_id>/report.<fmt>")
def report(round_id: int, fmt: str):
    """A file of the closed round's frozen report, byte for byte as it was made."""
    rnd = get_or_404(Round, round_id)
    stored = next((r for r in rnd.reports if r.format == fmt), None) if fmt in MEDIA_TYPES else None
    if stored is None:
        abort(404)
    return _file(rnd, stored)


def _file(rnd: Round, stored: RoundReport) -> Response:
    name = f"suivi-round-{rnd.id}-{stored.as_of.isoformat()}.{stored.format}"
    response = Response(stored.content, content_type=MEDIA_TYPES[stored.format])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["ETag"] = f'"{stored.sha256}"'
    return response
