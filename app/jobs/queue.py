"""Enqueueing and dispatching jobs.

``enqueue(func, *args)`` writes a ``Job`` row in the caller's transaction. Only once that
transaction commits is the job handed on: to RQ on Redis when ``REDIS_URL`` is set (a worker
runs it: ``flask jobs worker``), else run inline right after the request or command — so a
rolled-back change never sends its mail, and the SQLite demo needs no Redis.

Handing on happens when the app context ends (after the response is sent) or when a command
calls ``dispatch_ready()`` after its commit. A Redis that does not answer is logged and the
job runs inline: nothing is lost.
"""

import importlib
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.jobs.models import QUEUED, Job

log = logging.getLogger(__name__)
PENDING = "suivi_jobs_pending"  # enqueued in the session's open transaction
READY = "suivi_jobs_ready"  # committed, not yet handed on
RQ_ENTRY = "app.jobs.runner.run_job"


def job_name(func: Callable[..., Any]) -> str:
    """``module:function`` of a module-level function, checked to resolve back to it."""
    name = f"{func.__module__}:{func.__qualname__}"
    try:
        found = resolve(name)
    except (ImportError, AttributeError):
        found = None
    if found is not func:
        raise ValueError(f"{name} is not a module-level function a worker can import")
    return name


def resolve(name: str) -> Callable[..., Any]:
    """The function a job names."""
    module, _, attr = name.partition(":")
    return getattr(importlib.import_module(module), attr)


def enqueue(func: Callable[..., Any], *args: Any, max_attempts: int | None = None) -> Job:
    """Record a call of ``func(*args)`` (JSON arguments) to run once this transaction commits;
    it is tried up to ``max_attempts`` times (``JOB_MAX_ATTEMPTS``) and then kept as failed."""
    job = Job(
        name=job_name(func),
        args=list(args),
        max_attempts=max_attempts or int(current_app.config["JOB_MAX_ATTEMPTS"]),
    )
    db.session.add(job)
    db.session.flush()
    db.session.info.setdefault(PENDING, []).append(job.id)
    return job


def requeue(job: Job) -> None:
    """Queue a failed job again, with its attempts counted afresh, once this commits."""
    job.state, job.attempts, job.finished_at = QUEUED, 0, None
    db.session.flush()
    db.session.info.setdefault(PENDING, []).append(job.id)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if pending:
        session.info.setdefault(READY, []).extend(pending)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(PENDING, None)


def redis_connection():
    """A Redis client for ``REDIS_URL``, or None when the queue runs inline."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    from redis import Redis

    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def rq_queue(connection):
    """The RQ queue jobs go to (``JOB_QUEUE``)."""
    from rq import Queue

    return Queue(current_app.config["JOB_QUEUE"], connection=connection)


def _to_rq(connection, job: Job) -> None:
    from rq import Retry

    delays = list(current_app.config["JOB_RETRY_DELAYS"]) or [0]
    retries = job.max_attempts - job.attempts - 1
    queue = rq_queue(connection)
    queue.enqueue(
        RQ_ENTRY,
        job.id,
        job_id=f"{queue.name}-job-{job.id}-{job.attempts}",
        retry=Retry(max=retries, interval=delays) if retries > 0 else None,
        failure_ttl=30 * 24 * 3600,
    )


def dispatch(job_ids: list[int]) -> None:
    """Hand committed jobs to RQ, or run them inline (also when Redis does not answer)."""
    from app.jobs.runner import run_inline

    connection = redis_connection()
    for job_id in job_ids:
        job = db.session.get(Job, job_id)
        if job is None:
            continue
        if connection is not None:
            try:
                _to_rq(connection, job)
                continue
            except Exception as exc:  # noqa: BLE001 - any Redis failure: run it here instead
                log.warning("Redis did not take job %s (%s): running it inline", job_id, exc)
        run_inline(job_id)


def dispatch_ready() -> None:
    """Hand on the jobs of the transactions committed so far in this context."""
    ready = db.session.info.pop(READY, None)
    if ready:
        dispatch(ready)


def _dispatch_at_teardown(exc: BaseException | None) -> None:
    try:
        dispatch_ready()
    except Exception:  # a job's own failure is recorded on it; this is the machinery's
        log.exception("Dispatching jobs failed")
        db.session.rollback()


def init_app(app: Flask) -> None:
    """Dispatch each context's committed jobs when it ends (registered after Flask-SQLAlchemy,
    so this runs before the session is removed)."""
    app.teardown_appcontext(_dispatch_at_teardown)
