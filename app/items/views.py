"""Item pages: the list, my work, an item with its history, and the forms that change items
(status updates, comments, evidence, measurements, create and edit, indicators).

Each view parses the form, calls a service with ``current_user`` and commits once. A form
error re-renders the form with the messages next to the fields and what was typed (422); a
stale version answers 409 with what changed since and the form pre-filled on the current
version, so that nothing is lost and nothing is overwritten silently.
"""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from app.audit.models import AuditEvent
from app.core.errors import N_, ConflictError, ValidationError, WorkflowError
from app.core.time import today, utcnow
from app.core.web import error_response
from app.extensions import db, login_manager
from app.items import evidence as evidence_files
from app.items import forms, policies, queries, services, workflow
from app.items.charts import indicator_svg
from app.items.history import build_history
from app.items.models import (
    ITEM_KINDS,
    Comment,
    Evidence,
    Indicator,
    Item,
    Theme,
)
from app.stakeholders.models import Organisation

bp = Blueprint("items", __name__)


@bp.before_request
def _login_first_and_refuse_nul():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    # A NUL character cannot be stored (PostgreSQL refuses it in text): refuse it up front.
    for values in (request.args, request.form):
        if any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
            return error_response(
                400,
                _("The request contained a character Suivi cannot store (NUL). Nothing was saved."),
            )
    return None


@bp.app_template_filter("kind_label")
def _kind_label(kind: str) -> str:
    return str(forms.KIND_LABELS.get(kind, kind))


@bp.app_template_filter("priority_label")
def _priority_label(priority: str) -> str:
    return str(forms.PRIORITY_LABELS.get(priority, priority))


def _stale_days() -> int:
    return int(current_app.config.get("STALE_DAYS", workflow.DEFAULT_STALE_DAYS))


def _load_item(item_id: int, *options) -> Item:
    item = db.session.get(Item, item_id, options=list(options)) if 0 < item_id < 2**31 else None
    if item is None:
        abort(404)
    return item


# --- lists ------------------------------------------------------------------------------------

LIST_OPTIONS = (selectinload(Item.lead),)


def _list_choices() -> dict:
    organisations = db.session.execute(
        select(Organisation.id, Organisation.acronym).order_by(Organisation.acronym)
    ).all()
    themes = db.session.execute(select(Theme.code, Theme.title).order_by(Theme.code)).all()
    return {"organisations": organisations, "themes": themes}


def _flags(items: list[Item]) -> dict[int, dict[str, bool]]:
    now = utcnow()
    return {item.id: queries.item_flags(item, _stale_days(), now) for item in items}


@bp.get("/items")
def index():
    """Every item, filtered, sorted and paginated; the filters live in the URL."""
    errors: dict[str, str] = {}
    result = None
    sort = request.args.get("sort") or "id"
    order = request.args.get("order") or "asc"
    try:
        filters = queries.ItemFilters.from_args(request.args)
        page, per_page = queries.page_numbers(
            request.args.get("page"), request.args.get("per_page")
        )
        if order not in ("asc", "desc"):
            raise ValidationError(
                N_("Unknown order: %(value)s."), fields={"order": N_("Unknown.")}, value=order[:20]
            )
        if sort not in queries.SORTS or sort == "updated":
            raise ValidationError(
                N_("Unknown sort: %(value)s."), fields={"sort": N_("Unknown.")}, value=sort[:40]
            )
        result = queries.list_items(
            filters,
            page=page,
            per_page=per_page,
            sort=sort,
            descending=order == "desc",
            stale_days=_stale_days(),
        )
    except ValidationError as exc:
        db.session.rollback()
        errors = forms.field_errors(exc)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    filter_args = filters.as_args() if result else {}
    items = result.items if result else []
    status = 400 if errors else 200
    return render_template(
        "items/index.html",
        result=result,
        items=items,
        flags=_flags(items),
        errors=errors,
        args=args,
        filter_args=filter_args,
        sort=sort,
        order=order,
        sorts=forms.SORT_LABELS,
        kinds=ITEM_KINDS,
        **_list_choices(),
    ), status


@bp.get("/my-work")
def my_work():
    """The items the user's organisation leads or supports, overdue and stale first."""
    errors: dict[str, str] = {}
    try:
        page, per_page = queries.page_numbers(request.args.get("page"), None)
    except ValidationError as exc:
        errors, page, per_page = forms.field_errors(exc), 1, queries.DEFAULT_PER_PAGE
    overdue = queries.overdue_clause(today())
    stale = queries.stale_clause(utcnow(), _stale_days())
    base = select(Item).where(queries.involving(current_user.organisation_id))
    counts = db.session.execute(
        select(
            func.count(Item.id),
            func.sum(case((overdue, 1), else_=0)),
            func.sum(case((stale, 1), else_=0)),
        ).where(queries.involving(current_user.organisation_id))
    ).one()
    total = counts[0] or 0
    stmt = (
        base.order_by(
            case((overdue, 0), else_=1),
            case((stale, 0), else_=1),
            Item.due_date.is_(None),
            Item.due_date,
            Item.id,
        )
        .options(*LIST_OPTIONS)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = list(db.session.scalars(stmt))
    result = queries.Page(items, page, per_page, total)
    return render_template(
        "items/my_work.html",
        result=result,
        items=items,
        flags=_flags(items),
        errors=errors,
        args={},
        overdue_count=counts[1] or 0,
        stale_count=counts[2] or 0,
    ), 400 if errors else 200


DETAIL_OPTIONS = (
    selectinload(Item.source),
    selectinload(Item.lead),
    selectinload(Item.supporting),
    selectinload(Item.owner),
    selectinload(Item.themes),
    selectinload(Item.addresses),
    selectinload(Item.addressed_by),
    selectinload(Item.indicators).selectinload(Indicator.measurements),
)


def _charts(item: Item) -> dict[int, str]:
    labels = {"baseline": _("Baseline"), "target": _("Target")}
    charts = {}
    for indicator in item.indicators:
        unit = f" ({indicator.unit})" if indicator.unit else ""
        charts[indicator.id] = indicator_svg(
            chart_id=f"chart-{indicator.id}",
            title=_(
                "%(name)s%(unit)s: measurements against baseline and target",
                name=indicator.name,
                unit=unit,
            ),
            points=[(m.measured_on, m.value) for m in indicator.measurements],
            baseline=(indicator.baseline_date, indicator.baseline_value),
            target=(indicator.target_date, indicator.target_value),
            labels=labels,
            number=lambda value: format_decimal(round(value, 2)),
        )
    return charts


def transitions_for(item: Item) -> list:
    """The status changes the current user may make on ``item``."""
    return workflow.allowed_transitions(
        item.status, current_user.role, policies.may_post_update(current_user, item)
    )


def render_detail(
    item_id: int,
    *,
    form: str | None = None,
    values=None,
    errors=None,
    status: int = 200,
    target_id: int | None = None,
):
    """The item page; ``form`` names the form to show with ``values`` and ``errors``."""
    item = _load_item(item_id, *DETAIL_OPTIONS)
    evidence = db.session.scalars(
        select(Evidence)
        .where(Evidence.item_id == item.id)
        .options(selectinload(Evidence.uploaded_by))
        .order_by(Evidence.created_at.desc(), Evidence.id.desc())
    ).all()
    history = build_history(item)
    state = {"form": form, "values": values or {}, "errors": errors or {}, "target_id": target_id}
    return render_template(
        "items/detail.html",
        item=item,
        flags=queries.item_flags(item, _stale_days()),
        evidence=evidence,
        history=history,
        charts=_charts(item),
        transitions=transitions_for(item),
        today=today(),
        max_mb=current_app.config["EVIDENCE_MAX_BYTES"] / 1024 / 1024,
        **state,
    ), status


@bp.get("/items/<int:item_id>")
def detail(item_id: int):
    """An item: what it says, who acts, its state, indicators, evidence and history."""
    return render_detail(item_id)


def _conflict(item_id: int, exc: ConflictError, form: str, values: dict):
    """409: what changed since the version the user saw, and their form on the current one."""
    db.session.rollback()
    item = _load_item(item_id, *DETAIL_OPTIONS)
    try:
        seen = int(values.get("version") or 0)
    except ValueError:
        seen = 0
    changes = build_history(item, since_version=seen) if seen else []
    errors: dict[str, str] = {}
    updates = (
        [
            e.changes or {}
            for e in db.session.scalars(
                select(AuditEvent)
                .where(
                    AuditEvent.record_type == "items",
                    AuditEvent.record_id == item.id,
                    AuditEvent.action == "update",
                )
                .order_by(AuditEvent.id)
            )
            if isinstance((e.changes or {}).get("version"), list)
            and e.changes["version"][0] >= seen
        ]
        if seen
        else []
    )
    if form == "update":
        # A progress left as it was shown takes the current progress, not the old one.
        before = next(
            (c["progress"][0] for c in updates if isinstance(c.get("progress"), list)),
            item.progress,
        )
        if str(values.get("progress", "")).strip() == str(before):
            values = {**values, "progress": str(item.progress)}
    if form == "edit" and seen:
        current = forms.item_values(item)
        values, errors = forms.merge_on_conflict(values, forms.values_at(current, updates), current)
        if errors:
            errors[""] = _("You and someone else changed the fields marked below.")
    values = {**values, "version": str(item.version)}
    return render_template(
        "items/conflict.html",
        item=item,
        seen=seen,
        changes=changes,
        form=form,
        values=values,
        errors=errors,
        transitions=transitions_for(item),
        flags=queries.item_flags(item, _stale_days()),
        message=forms.message(exc),
        **(forms.item_form_choices(item) if form == "edit" else {}),
    ), 409


@bp.post("/items/<int:item_id>/updates")
def post_update(item_id: int):
    """Post a status update (status, progress, note) on the version the user saw."""
    item = _load_item(item_id, selectinload(Item.supporting))
    if not policies.may_post_update(current_user, item):
        abort(403)
    values = {k: request.form.get(k, "") for k in ("status", "progress", "note", "version")}
    try:
        services.change_status(
            current_user,
            item,
            values["version"],
            status=values["status"],
            progress=values["progress"],
            note=values["note"],
        )
        db.session.commit()
    except ConflictError as exc:
        return _conflict(item_id, exc, "update", values)
    except (ValidationError, WorkflowError) as exc:
        db.session.rollback()
        return render_detail(
            item_id, form="update", values=values, errors=forms.field_errors(exc), status=422
        )
    flash(_("Status update saved."), "success")
    return redirect(url_for("items.detail", item_id=item_id) + "#history")


@bp.post("/items/<int:item_id>/comments")
def post_comment(item_id: int):
    """Comment on an item in markdown."""
    item = _load_item(item_id)
    if not policies.may_comment(current_user, item):
        abort(403)
    values = {"body": request.form.get("body", "")}
    try:
        services.add_comment(current_user, item, values["body"])
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        return render_detail(
            item_id, form="comment", values=values, errors=forms.field_errors(exc), status=422
        )
    flash(_("Comment added."), "success")
    return redirect(url_for("items.detail", item_id=item_id) + "#history")


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def edit_comment(comment_id: int):
    """Edit one's own comment; the previous text stays in the history."""
    comment = db.session.get(Comment, comment_id) if 0 < comment_id < 2**31 else None
    if comment is None:
        abort(404)
    if not policies.may_edit_comment(current_user, comment):
        abort(403)
    values, errors, status = {"body": comment.body}, {}, 200
    if request.method == "POST":
        values = {"body": request.form.get("body", "")}
        try:
            services.edit_comment(current_user, comment, values["body"])
            db.session.commit()
            flash(_("Comment saved."), "success")
            return redirect(url_for("items.detail", item_id=comment.item_id) + "#history")
        except ValidationError as exc:
            db.session.rollback()
            errors, status = forms.field_errors(exc), 422
            comment = db.session.get(Comment, comment_id)
    return render_template(
        "items/comment_edit.html", comment=comment, item=comment.item, values=values, errors=errors
    ), status


@bp.post("/items/<int:item_id>/evidence")
def post_evidence(item_id: int):
    """Attach a file (checked by its content, stored under a random name) or a link."""
    item = _load_item(item_id, selectinload(Item.supporting))
    if not policies.may_attach_evidence(current_user, item):
        abort(403)
    upload = request.files.get("file")
    has_file = upload is not None and bool(upload.filename)
    values = {"title": request.form.get("title", ""), "url": request.form.get("url", "")}
    folder = current_app.config["UPLOAD_FOLDER"]
    stored = None
    try:
        if has_file == bool(values["url"].strip()):
            raise ValidationError(
                N_("Give either a link or a file."),
                fields={
                    "file": N_("Choose a file, or give a link instead."),
                    "url": N_("Give a link, or choose a file instead."),
                },
            )
        if has_file:
            stored = evidence_files.store(upload, folder, current_app.config["EVIDENCE_MAX_BYTES"])
            services.attach_evidence(current_user, item, title=values["title"], stored_file=stored)
        else:
            services.attach_evidence(current_user, item, title=values["title"], url=values["url"])
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        evidence_files.discard(folder, stored)
        return render_detail(
            item_id, form="evidence", values=values, errors=forms.field_errors(exc), status=422
        )
    except BaseException:
        db.session.rollback()
        evidence_files.discard(folder, stored)
        raise
    flash(_("Evidence attached."), "success")
    return redirect(url_for("items.detail", item_id=item_id) + "#evidence")


@bp.get("/evidence/<int:evidence_id>/download")
def download_evidence(evidence_id: int):
    """A stored file, as an attachment under its original name made safe."""
    evidence = db.session.get(Evidence, evidence_id) if 0 < evidence_id < 2**31 else None
    if evidence is None or evidence.kind != "file" or not policies.may_read(current_user):
        abort(404)
    path = evidence_files.stored_path(current_app.config["UPLOAD_FOLDER"], evidence.stored_name)
    if path is None:
        abort(404)
    response = send_file(
        path,
        mimetype=evidence.content_type or "application/octet-stream",
        as_attachment=True,
        download_name=evidence_files.download_name(evidence.filename),
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/indicators/<int:indicator_id>/measurements")
def post_measurement(indicator_id: int):
    """Record an indicator's value on a date."""
    indicator = db.session.get(Indicator, indicator_id) if 0 < indicator_id < 2**31 else None
    if indicator is None:
        abort(404)
    item_id = indicator.item_id
    if not policies.may_record_measurement(current_user, indicator.item):
        abort(403)
    values = {k: request.form.get(k, "") for k in ("value", "measured_on", "note")}
    try:
        services.record_measurement(
            current_user,
            indicator,
            value=values["value"].strip(),
            measured_on=values["measured_on"],
            note=values["note"],
        )
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        return render_detail(
            item_id,
            form="measurement",
            values=values,
            errors=forms.field_errors(exc),
            status=422,
            target_id=indicator_id,
        )
    flash(_("Measurement recorded."), "success")
    return redirect(url_for("items.detail", item_id=item_id) + f"#indicator-{indicator_id}")


# --- managers: create and edit items, indicators ------------------------------------------------


def _require_manager() -> None:
    if not policies.may_manage_items(current_user):
        abort(403)


@bp.route("/items/new", methods=["GET", "POST"])
def new_item():
    """Create an item (managers and admins)."""
    _require_manager()
    values, errors, status = forms.item_values(None), {}, 200
    if request.method == "POST":
        values = forms.item_form_values()
        try:
            item = services.create_item(current_user, **forms.item_data(values))
            db.session.commit()
            flash(_("Item created."), "success")
            return redirect(url_for("items.detail", item_id=item.id))
        except ValidationError as exc:
            db.session.rollback()
            errors, status = forms.field_errors(exc), 422
    return render_template(
        "items/edit.html", item=None, values=values, errors=errors, **forms.item_form_choices(None)
    ), status


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
def edit_item(item_id: int):
    """Edit an item and assign lead, supporting organisations, owner and due date."""
    _require_manager()
    item = _load_item(item_id, *DETAIL_OPTIONS)
    values, errors, status = forms.item_values(item), {}, 200
    if request.method == "POST":
        values = forms.item_form_values()
        try:
            changed = services.edit_item(
                current_user, item, values["version"], **forms.item_data(values)
            )
            db.session.commit()
            flash(_("Item saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("items.detail", item_id=item_id))
        except ConflictError as exc:
            return _conflict(item_id, exc, "edit", values)
        except ValidationError as exc:
            db.session.rollback()
            errors, status = forms.field_errors(exc), 422
            item = _load_item(item_id, *DETAIL_OPTIONS)
    return render_template(
        "items/edit.html", item=item, values=values, errors=errors, **forms.item_form_choices(item)
    ), status


def _save_indicator(item: Item, indicator: Indicator | None, values: dict) -> Indicator:
    fields = {k: values[k] for k in forms.INDICATOR_FORM_FIELDS if k != "code"}
    if indicator is None:
        return services.create_indicator(current_user, item, code=values["code"], **fields)
    return services.edit_indicator(current_user, indicator, **fields)


def _indicator_page(item: Item, indicator: Indicator | None):
    _require_manager()
    values, errors, status = forms.indicator_values(indicator), {}, 200
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in forms.INDICATOR_FORM_FIELDS}
        if indicator is not None:
            values["code"] = indicator.code or ""
        try:
            saved = _save_indicator(item, indicator, values)
            db.session.commit()
            flash(_("Indicator saved."), "success")
            return redirect(url_for("items.detail", item_id=item.id) + f"#indicator-{saved.id}")
        except ValidationError as exc:
            db.session.rollback()
            errors, status = forms.field_errors(exc), 422
            item = _load_item(item.id)
            if indicator is not None:
                indicator = db.session.get(Indicator, indicator.id)
    return render_template(
        "items/indicator.html", item=item, indicator=indicator, values=values, errors=errors
    ), status


@bp.route("/items/<int:item_id>/indicators/new", methods=["GET", "POST"])
def new_indicator(item_id: int):
    """Add an indicator to an item (managers and admins)."""
    _require_manager()
    return _indicator_page(_load_item(item_id), None)


@bp.route("/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
def edit_indicator(indicator_id: int):
    """Change an indicator's name, unit, baseline and target (managers and admins)."""
    _require_manager()
    indicator = db.session.get(Indicator, indicator_id) if 0 < indicator_id < 2**31 else None
    if indicator is None:
        abort(404)
    return _indicator_page(indicator.item, indicator)
