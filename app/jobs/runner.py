"""Running a job: in a worker (RQ's entry point) or inline, counting attempts and recording
the error of each failure; the last failure leaves the job ``failed``."""

import logging
import traceback

from flask import has_app_context

from app.core.time import utcnow
from app.extensions import db
from app.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job
from app.jobs.queue import resolve

log = logging.getLogger(__name__)
_worker_app = None


class JobFailed(Exception):
    """A job raised; its error is recorded on the job."""


def execute(job_id: int) -> bool:
    """One attempt at the job: True when done (or already done), False when the job is
    missing; ``JobFailed`` when it raised (the job is ``queued`` again, or ``failed`` after
    its last attempt)."""
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is None:
        return False
    if job.state in (DONE, FAILED):
        return True
    job.state, job.attempts, job.started_at = RUNNING, job.attempts + 1, utcnow()
    db.session.commit()
    try:
        resolve(job.name)(*job.args)
        db.session.flush()
    except Exception as exc:
        db.session.rollback()
        error = "".join(traceback.format_exception_only(exc)).strip()
        job = db.session.get(Job, job_id, populate_existing=True)
        if job is None:  # deleted meanwhile: nothing to record it on
            raise JobFailed(error) from exc
        job.last_error = error[:4000]
        job.state = FAILED if job.attempts >= job.max_attempts else QUEUED
        job.finished_at = utcnow() if job.state == FAILED else None
        db.session.commit()
        log.warning("Job %s (%s) attempt %s failed: %s", job_id, job.name, job.attempts, error)
        raise JobFailed(error) from exc
    done = db.session.get(Job, job_id)
    if done is None:
        return False
    done.state, done.finished_at, done.last_error = DONE, utcnow(), ""
    db.session.commit()
    return True


def run_inline(job_id: int) -> None:
    """Run a job here and now, retrying at once up to its attempts; failures are recorded,
    never raised."""
    while True:
        try:
            execute(job_id)
            return
        except JobFailed:
            job = db.session.get(Job, job_id)
            if job is None or job.state == FAILED:
                return


def run_job(job_id: int) -> bool:
    """RQ's entry point: run the job in the application (the worker's, or one built here).
    Raising lets RQ retry it and, after the last attempt, keep it in its failed registry."""
    if has_app_context():
        return execute(job_id)
    global _worker_app
    if _worker_app is None:
        from app import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        try:
            return execute(job_id)
        finally:
            db.session.remove()
