"""Routes every deployment needs whatever the domain: the home page, the health check and the
service worker."""

from flask import Blueprint, current_app, jsonify, redirect, send_from_directory, url_for
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


@bp.get("/sw.js")
def service_worker():
    """The service worker (static/js/sw.js), served from the root so that it may keep the
    pages under it for reading offline; never cached long, so that a new one is found."""
    folder = f"{current_app.static_folder}/js"
    response = send_from_directory(folder, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/")
@login_required
def home():
    """The start page is the user's own work."""
    return redirect(url_for("items.my_work"))
