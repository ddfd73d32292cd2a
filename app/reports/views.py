"""The reports page and the status exports (CSV, XLSX, PDF), by session or API token.

Every route takes the item list's filters plus ``as_of`` (and ``since`` for what changed);
a bad value is a 400 with a clear message. Each export is written to the audit trail.
"""

import os
import tempfile

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    send_file,
    stream_with_context,
)
from flask_babel import format_date, get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import audit
from app.core.errors import SuiviError
from app.core.time import today
from app.core.web import error_response
from app.extensions import db, login_manager
from app.items import workflow
from app.items.queries import ItemFilters
from app.reports import exports
from app.reports.pdf import chart_set, filter_labels, pdf_bytes, status_label
from app.reports.queries import check_since
from app.reports.report import build_report
from app.reports.state import parse_as_of

bp = Blueprint("reports", __name__)
KIND_LABELS = {
    "challenge": _l("Challenge"),
    "recommendation": _l("Recommendation"),
    "action": _l("Action"),
    "opportunity": _l("Opportunity"),
}


@bp.before_request
def _login_first():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def _stale_days() -> int:
    return int(current_app.config.get("STALE_DAYS", workflow.DEFAULT_STALE_DAYS))


def _parse():
    """Filters, as_of and since from the query string; ``SuiviError`` when one is bad."""
    filters = ItemFilters.from_args(request.args)
    as_of = parse_as_of(request.args.get("as_of"), "as_of")
    since = parse_as_of(request.args.get("since"), "since")
    if since is not None:
        check_since(since, as_of or today())
    return filters, as_of, since


def _message(exc: SuiviError) -> str:
    return gettext(exc.template, **exc.params) if exc.params else gettext(exc.template)


def _errors(exc: SuiviError) -> dict[str, str]:
    errors = {name: gettext(text) for name, text in exc.fields.items()}
    errors[""] = _message(exc)
    return errors


def _choices() -> dict:
    from sqlalchemy import select

    from app.items.models import Theme
    from app.stakeholders.models import Organisation

    return {
        "organisations": db.session.execute(
            select(Organisation.id, Organisation.acronym).order_by(Organisation.acronym)
        ).all(),
        "themes": db.session.execute(select(Theme.code, Theme.title).order_by(Theme.code)).all(),
    }


@bp.get("/reports")
def index():
    """Where every organisation stands, now or at the end of a chosen day."""
    args = {k: v for k, v in request.args.items() if v}
    try:
        filters, as_of, since = _parse()
        report = build_report(filters, as_of, since, _stale_days())
    except SuiviError as exc:
        db.session.rollback()
        return render_template(
            "reports/index.html",
            report=None,
            errors=_errors(exc),
            args=args,
            kinds=KIND_LABELS,
            today_iso=today().isoformat(),
            **_choices(),
        ), 400
    charts = chart_set(report)
    return render_template(
        "reports/index.html",
        report=report,
        summary=report.summary,
        charts=charts,
        errors={},
        args=args,
        filters=filter_labels(filters),
        kinds=KIND_LABELS,
        export_args=args,
        day_label=lambda d: format_date(d, "d MMM yyyy"),
        today_iso=today().isoformat(),
        **_choices(),
    )


def _export(fmt: str):
    """Parse, record the export in the audit trail and commit; the caller sends the file."""
    filters, as_of, since = _parse()
    audit.set_actor(db.session, current_user)
    exports.record_export(fmt, filters, as_of, since if fmt == "pdf" else None)
    db.session.commit()
    return filters, as_of, since


def _bad_request(exc: SuiviError):
    db.session.rollback()
    return error_response(400, _message(exc), exc.code, exc.fields)


def _attachment(fmt: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{exports.filename(fmt)}"'}


@bp.get("/reports/status.csv")
def status_csv():
    """The items as CSV (UTF-8 with BOM), streamed row by row."""
    try:
        filters, as_of, _since = _export("csv")
    except SuiviError as exc:
        return _bad_request(exc)
    lines = exports.csv_lines(filters, as_of, _stale_days(), request.url_root)
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        content_type=exports.MEDIA_TYPES["csv"],
        headers=_attachment("csv"),
    )


@bp.get("/reports/status.xlsx")
def status_xlsx():
    """The workbook: Summary, Items and Updates."""
    try:
        filters, as_of, _since = _export("xlsx")
    except SuiviError as exc:
        return _bad_request(exc)
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        exports.write_xlsx(path, filters, as_of, _stale_days(), request.url_root)
        handle = open(path, "rb")  # noqa: SIM115  (send_file closes it)
    finally:
        os.unlink(path)  # the open handle keeps the data until it is sent
    return send_file(
        handle,
        mimetype=exports.MEDIA_TYPES["xlsx"],
        as_attachment=True,
        download_name=exports.filename("xlsx"),
        max_age=0,
    )


@bp.get("/reports/status.pdf")
def status_pdf():
    """The PDF report, in the user's language."""
    try:
        filters, as_of, since = _export("pdf")
        data = pdf_bytes(filters, as_of, since, _stale_days(), str(get_locale() or "en"))
    except SuiviError as exc:
        return _bad_request(exc)
    return Response(data, mimetype=exports.MEDIA_TYPES["pdf"], headers=_attachment("pdf"))


__all__ = ["bp", "status_label"]
