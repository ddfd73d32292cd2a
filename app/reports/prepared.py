"""Large reports off the request: an XLSX or PDF of more than ``REPORT_JOB_THRESHOLD``
items is built by a job (``app.jobs``: RQ on Redis, inline without it) into a
``PreparedFile`` that only the user who asked for it may fetch; the request answers at once
with the page that says it is being prepared."""

from dataclasses import replace
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from app.auth.models import User
from app.core.errors import N_, NotFound
from app.core.records import is_id
from app.core.time import utcnow
from app.core.validation import given
from app.downloads.models import FAILED, PREPARING, READY, PreparedFile
from app.extensions import db
from app.items.models import Item
from app.items.queries import apply_filters, stale_days
from app.jobs import enqueue
from app.jobs.models import FAILED as JOB_FAILED
from app.jobs.models import Job
from app.reports import exports
from app.reports.arguments import parse_report_args
from app.reports.exports import ExportSpec
from app.reports.state import end_of_day

KIND = "report"
QUEUED_FORMATS = ("xlsx", "pdf")


def item_count(spec: ExportSpec) -> int:
    """How many items the export can hold at most: the filters that do not depend on time
    on the items that existed then (exact when live), a count served by the indexes."""
    filters = spec.filters
    if spec.as_of is not None:
        filters = replace(filters, status=None, lead=None, overdue=None, stale=None)
    stmt = apply_filters(select(func.count(Item.id)), filters, stale_days=spec.stale_days)
    if spec.as_of is not None:
        stmt = stmt.where(Item.created_at < end_of_day(spec.as_of))
    return db.session.scalar(stmt) or 0


def needs_job(fmt: str, spec: ExportSpec) -> bool:
    """Whether this export is built off the request (a large XLSX or PDF)."""
    threshold = int(current_app.config["REPORT_JOB_THRESHOLD"])
    return fmt in QUEUED_FORMATS and item_count(spec) > threshold


def prepare(user: User, fmt: str, spec: ExportSpec, query: dict[str, str]) -> PreparedFile:
    """The file ``user`` asked for, queued (or the same one already being prepared: a second
    click queues nothing more); the caller commits, which hands the job to the queue."""
    preparing = db.session.scalars(
        select(PreparedFile).where(
            PreparedFile.user_id == user.id,
            PreparedFile.format == fmt,
            PreparedFile.locale == spec.locale,
            PreparedFile.state == PREPARING,
        )
    )
    same = next((f for f in preparing if f.query == query and not failed(f)), None)
    if same is not None:
        return same
    prepared = PreparedFile(
        user_id=user.id,
        kind=KIND,
        format=fmt,
        query=query,
        locale=spec.locale,
        filename=exports.filename(fmt, spec.day),
        state=PREPARING,
    )
    db.session.add(prepared)
    db.session.flush()
    prepared.job_id = enqueue(build_prepared_file, prepared.id).id
    db.session.flush()
    return prepared


def build_prepared_file(file_id: int) -> None:
    """The job: build the file the row describes, as its user asked for it, and keep it."""
    prepared = db.session.get(PreparedFile, file_id)
    if prepared is None or prepared.state != PREPARING:
        return
    args = parse_report_args(given(prepared.query))
    spec = ExportSpec.from_args(
        args,
        stale_days=stale_days(),
        base_url=current_app.config["BASE_URL"],
        locale=prepared.locale,
    )
    content = exports.export_bytes(prepared.format, spec)
    prepared.content, prepared.size_bytes = content, len(content)
    prepared.state, prepared.finished_at = READY, utcnow()
    db.session.flush()


def failed(prepared: PreparedFile) -> bool:
    """Whether the file will never come: marked failed, or its job gave up."""
    if prepared.state == FAILED:
        return True
    if prepared.state != PREPARING or prepared.job_id is None:
        return False
    job = db.session.get(Job, prepared.job_id)
    return job is None or job.state == JOB_FAILED


def own_file(user: User, file_id: Any) -> PreparedFile:
    """The prepared file ``file_id`` if ``user`` asked for it; ``NotFound`` otherwise (for
    anyone else it does not exist)."""
    prepared = db.session.get(PreparedFile, file_id) if is_id(file_id) else None
    if prepared is None or prepared.user_id != user.id:
        raise NotFound(N_("No prepared file with id %(id)s."), id=str(file_id)[:20])
    return prepared


def content_of(prepared: PreparedFile) -> bytes:
    """The file's bytes (``NotFound`` until it is ready)."""
    if prepared.state != READY or prepared.content is None:
        raise NotFound(N_("This file is not ready yet."))
    return prepared.content
