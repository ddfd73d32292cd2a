"""The reports page and the status exports (CSV, XLSX, PDF), by session or API token.

Every route takes the item list's filters plus ``as_of`` (and ``since`` for what changed);
a bad value is a 400 with a clear message. Each export is written to the audit trail, and
committed with the request before the file is sent.
"""

import os
import tempfile

from flask import (
    Blueprint,
    Response,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user

from app import audit
from app.auth.loaders import accepts_api_token
from app.core.display import show_date
from app.core.errors import SuiviError
from app.core.feedback import form_errors
from app.core.time import today
from app.core.validation import given
from app.core.web import clean_query_redirect, error_response, require_login
from app.downloads.models import PREPARING
from app.extensions import db
from app.items.models import ITEM_KINDS
from app.items.queries import filter_choices, stale_days
from app.reports import exports
from app.reports import prepared as prepared_files
from app.reports.arguments import parse_report_args
from app.reports.exports import ExportSpec
from app.reports.pdf import chart_set, pdf_bytes
from app.reports.report import build_report
from app.reports.wording import filter_phrases

bp = Blueprint("reports", __name__)
PREPARED_REFRESH_SECONDS = 5
require_login(bp)


def _parse():
    """Filters, as_of and since from the query string; ``SuiviError`` when one is bad."""
    args = parse_report_args(given(request.args))
    return args.filters, args.as_of, args.since


def _page(**context):
    return render_template(
        "reports/index.html",
        args={k: v for k, v in request.args.items() if v},
        kinds=ITEM_KINDS,
        today_iso=today().isoformat(),
        **filter_choices(),
        **context,
    )


@bp.get("/reports")
def index():
    """Where every organisation stands, now or at the end of a chosen day."""
    clean = clean_query_redirect()
    if clean is not None:
        return clean
    try:
        filters, as_of, since = _parse()
        report = build_report(filters, as_of, since, stale_days())
    except SuiviError as exc:
        return _page(report=None, errors=form_errors(exc)), 400
    return _page(
        report=report,
        summary=report.summary,
        charts=chart_set(report),
        errors={},
        filters=filter_phrases(filters),
        export_args={k: v for k, v in request.args.items() if v},
        day_label=show_date,
    )


def _export(fmt: str) -> ExportSpec:
    """Parse, and record the export in the audit trail; the caller sends the file. Links
    are built from the configured ``BASE_URL``, never from the request's Host."""
    spec = ExportSpec.from_args(
        parse_report_args(given(request.args)),
        stale_days=stale_days(),
        base_url=current_app.config["BASE_URL"],
        locale=str(get_locale() or "en"),
    )
    audit.set_actor(db.session, current_user)
    exports.record_export(fmt, spec)
    return spec


def _bad_request(exc: SuiviError):
    return error_response(400, form_errors(exc)[""], exc.code)


def _attachment(fmt: str, spec: ExportSpec) -> dict[str, str]:
    name = exports.filename(fmt, spec.day)
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@bp.get("/reports/status.csv")
@accepts_api_token
def status_csv():
    """The items as CSV (UTF-8 with BOM), streamed row by row."""
    try:
        spec = _export("csv")
    except SuiviError as exc:
        return _bad_request(exc)
    return Response(
        stream_with_context(exports.csv_lines(spec)),
        mimetype="text/csv",
        content_type=exports.MEDIA_TYPES["csv"],
        headers=_attachment("csv", spec),
    )


def _queued(fmt: str, spec: ExportSpec):
    """A large XLSX or PDF: queued for a job, and the user sent to the page that says so
    (None: small enough to build now)."""
    if not prepared_files.needs_job(fmt, spec):
        return None
    query = {k: v for k, v in request.args.items() if v}
    prepared = prepared_files.prepare(current_user, fmt, spec, query)
    return redirect(url_for("reports.prepared", file_id=prepared.id), 303)


@bp.get("/reports/status.xlsx")
@accepts_api_token
def status_xlsx():
    """The workbook: Summary, Items, Changes (with ``since``) and Updates."""
    try:
        spec = _export("xlsx")
    except SuiviError as exc:
        return _bad_request(exc)
    queued = _queued("xlsx", spec)
    if queued is not None:
        return queued
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        exports.write_xlsx(spec, path)
        handle = open(path, "rb")  # noqa: SIM115  (send_file closes it)
    finally:
        os.unlink(path)  # the open handle keeps the data until it is sent
    return send_file(
        handle,
        mimetype=exports.MEDIA_TYPES["xlsx"],
        as_attachment=True,
        download_name=exports.filename("xlsx", spec.day),
        max_age=0,
    )


@bp.get("/reports/status.pdf")
@accepts_api_token
def status_pdf():
    """The PDF report, in the user's language."""
    try:
        spec = _export("pdf")
        queued = _queued("pdf", spec)
        if queued is not None:
            return queued
        data = pdf_bytes(spec)
    except SuiviError as exc:
        return _bad_request(exc)
    return Response(data, mimetype=exports.MEDIA_TYPES["pdf"], headers=_attachment("pdf", spec))


@bp.get("/reports/files/<id:file_id>")
def prepared(file_id: int):
    """A large report being prepared, ready to download, or failed; only for the user who
    asked for it. While it is prepared the page reloads itself every few seconds (the
    ``Refresh`` header: no JavaScript) unless the reader turned that off (``refresh=off``)."""
    prepared_file = prepared_files.own_file(current_user, file_id)
    failed = prepared_files.failed(prepared_file)
    waiting = prepared_file.state == PREPARING and not failed
    refreshing = waiting and request.args.get("refresh") != "off"
    response = make_response(
        render_template(
            "reports/prepared.html",
            prepared=prepared_file,
            failed=failed,
            refreshing=refreshing,
            refresh_seconds=PREPARED_REFRESH_SECONDS,
        )
    )
    if refreshing:
        response.headers["Refresh"] = str(PREPARED_REFRESH_SECONDS)
    return response


@bp.get("/reports/files/<id:file_id>/download")
def prepared_download(file_id: int):
    """The prepared file, once ready, for the user who asked for it."""
    prepared_file = prepared_files.own_file(current_user, file_id)
    return Response(
        prepared_files.content_of(prepared_file),
        mimetype=exports.MEDIA_TYPES[prepared_file.format],
        headers={"Content-Disposition": f'attachment; filename="{prepared_file.filename}"'},
    )
