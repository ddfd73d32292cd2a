"""Routes every deployment needs whatever the domain: the home page and the health check."""

from flask import Blueprint, jsonify, redirect, url_for
from flask_login import login_required
from sqlalchemy import text

from app.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")


@bp.get("/")
@login_required
def home():
    """The start page is the user's own work."""
    return redirect(url_for("items.my_work"))
