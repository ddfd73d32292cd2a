"""The import pages, without JavaScript: upload, preview (each row new, changed, unchanged
or in error), confirm (CSRF), result with counts and links; and the template to fill in."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.core import transaction
from app.core.errors import ValidationError
from app.core.feedback import form_errors
from app.core.web import require_login
from app.imports import policies, services, template, uploads
from app.imports.columns import COLUMNS
from app.imports.errors import ImportRefused
from app.imports.plan import Plan
from app.imports.reading import MAX_ROWS

bp = Blueprint("imports", __name__)
require_login(bp)
bp.add_app_template_global(policies.may_import, "may_import")
SHOWN_ROWS = 300  # rows listed on the preview
SHOWN_ERRORS = 500  # problems listed on the preview (a light page on a slow link)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
def _managers_only():
    if not policies.may_import(current_user):
        abort(403)


def _index(errors: dict | None = None, status: int = 200):
    return render_template(
        "imports/index.html", errors=errors or {}, columns=COLUMNS, max_rows=MAX_ROWS
    ), status


@bp.get("/imports")
def index():
    """The upload form, the columns and the template."""
    return _index()


@bp.post("/imports")
def upload():
    """Keep the uploaded file and show its preview."""
    try:
        digest = uploads.store(request.files.get("file"))
    except ValidationError as exc:
        return _index(form_errors(exc), 422)
    return redirect(url_for("imports.preview", digest=digest), 303)


@bp.get("/imports/template.xlsx")
def download_template():
    """An empty spreadsheet with the columns, a hints row and the valid values."""
    response = Response(template.build(), content_type=XLSX)
    response.headers["Content-Disposition"] = 'attachment; filename="suivi-import.xlsx"'
    return response


def _stored(digest: str) -> str:
    path = uploads.stored(digest)
    if path is None:
        abort(404)
    return path


def _plan(path: str) -> tuple[Plan | None, list]:
    with uploads.open_stored(path) as stream:
        try:
            return services.plan_file(current_user, stream), []
        except ImportRefused as exc:
            return None, exc.errors


def _preview(digest: str, path: str, status: int = 200, message: str | None = None):
    plan, file_errors = _plan(path)
    rows = [r for r in plan.rows if r.action != "unchanged"] if plan else []
    errors = plan.errors if plan else file_errors
    return render_template(
        "imports/preview.html",
        digest=digest,
        filename=path.rsplit("/", 1)[-1],
        plan=plan,
        errors=errors[:SHOWN_ERRORS],
        more_errors=max(0, len(errors) - SHOWN_ERRORS),
        counts=plan.counts() if plan else None,
        rows=rows[:SHOWN_ROWS],
        more=max(0, len(rows) - SHOWN_ROWS),
        message=message,
    ), status


@bp.get("/imports/<digest>")
def preview(digest: str):
    """What the file would do, row by row; the confirm button when nothing is in error."""
    return _preview(digest, _stored(digest))


@bp.post("/imports/<digest>")
def confirm(digest: str):
    """Apply the plan the preview showed, in one transaction, and show the result."""
    path = _stored(digest)
    plan, _errors = _plan(path)
    if plan is None or not plan.ok:
        return _preview(digest, path, 422)
    if request.form.get("fingerprint") != plan.fingerprint():
        message = _("Suivi changed since your preview: check the rows again, then confirm.")
        return _preview(digest, path, 409, message)
    counts = plan.counts()
    filename = path.rsplit("/", 1)[-1]
    services.apply_plan(current_user, plan, filename)
    touched = [r.code for r in plan.rows if r.action in ("new", "changed") and r.code]
    saved = uploads.save_result(
        digest, {"filename": filename, "counts": counts, "codes": touched[:SHOWN_ROWS]}
    )
    transaction.on_undo(lambda: uploads.discard_result(saved))
    flash(_("The file was imported."), "success")
    return redirect(url_for("imports.result", digest=digest), 303)


@bp.get("/imports/<digest>/result")
def result(digest: str):
    """The counts of an applied import and links to the items it created or changed."""
    done = uploads.load_result(digest)
    if done is None:
        abort(404)
    items = services.items_by_codes(done["codes"])
    return render_template("imports/result.html", digest=digest, done=done, items=items)
