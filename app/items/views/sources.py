"""The sources pages: every user reads the list and a source with its themes; managers and
admins add and edit sources (key, title, citation, link, themes)."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.core.errors import ValidationError
from app.core.feedback import form_errors
from app.core.records import get_or_404
from app.core.web import require_login
from app.extensions import db
from app.items import policies, services
from app.items.models import Item, Source, Theme

bp = Blueprint("sources", __name__)
require_login(bp)
FIELDS = ("key", "title", "citation", "url", "themes")


def _theme_lines(source: Source) -> str:
    return "\n".join(f"{t.code}: {t.title}" for t in services.source_themes(source))


def _per_source(column: Any, counted: Any) -> dict[int, int]:
    """How many records come from each source, in one statement."""
    rows = db.session.execute(select(column, func.count(counted)).group_by(column))
    return {source_id: count for source_id, count in rows if source_id is not None}


def _list_page(values: dict | None = None, errors: dict | None = None, status: int = 200):
    counts = _per_source(Item.source_id, Item.id)
    themes = _per_source(Theme.source_id, Theme.id)
    sources = db.session.scalars(select(Source).order_by(Source.key)).all()
    return render_template(
        "items/sources.html",
        sources=sources,
        counts=counts,
        themes=themes,
        values=values or {},
        errors=errors or {},
        may_manage=policies.may_manage_items(current_user),
    ), status


@bp.get("/sources")
def index():
    """Every source with its citation, how many items and themes come from it."""
    return _list_page()


@bp.post("/sources")
def create():
    """Add a source (manager, admin)."""
    if not policies.may_manage_items(current_user):
        abort(403)
    values = {name: request.form.get(name, "") for name in FIELDS}
    try:
        source = services.create_source(current_user, **values)
    except ValidationError as exc:
        return _list_page(values, form_errors(exc), 422)
    flash(_("The source was added."), "success")
    return redirect(url_for("sources.detail", source_id=source.id))


def _detail(source: Source, values: dict | None = None, errors: dict | None = None, status=200):
    if values is None:
        values = {
            "title": source.title,
            "citation": source.citation,
            "url": source.url or "",
            "themes": _theme_lines(source),
        }
    count = db.session.scalar(select(func.count(Item.id)).where(Item.source_id == source.id))
    return render_template(
        "items/source.html",
        source=source,
        themes=services.source_themes(source),
        count=count,
        values=values,
        errors=errors or {},
        may_manage=policies.may_manage_items(current_user),
    ), status


@bp.get("/sources/<id:source_id>")
def detail(source_id: int):
    """A source: its citation, link and themes; the edit form for managers."""
    return _detail(get_or_404(Source, source_id))


@bp.post("/sources/<id:source_id>")
def edit(source_id: int):
    """Change a source's title, citation, link and themes (manager, admin)."""
    source = get_or_404(Source, source_id)
    if not policies.may_manage_items(current_user):
        abort(403)
    values = {name: request.form.get(name, "") for name in FIELDS if name != "key"}
    try:
        services.edit_source(current_user, source, **values)
    except ValidationError as exc:
        return _detail(source, values, form_errors(exc), 422)
    flash(_("The source was saved."), "success")
    return redirect(url_for("sources.detail", source_id=source.id))
