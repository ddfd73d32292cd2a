"""The job queue: jobs run only after their transaction commits, are retried, and are kept
with their error when they keep failing; inline without Redis, by a worker with it."""

import pytest
from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.jobs.models import Job
from tests.jobs import helpers


def _job(job_id: int) -> Job:
    db.session.expire_all()
    return db.session.get(Job, job_id)


def test_a_job_runs_only_after_the_commit():
    job = jobs.enqueue(helpers.remember, "after", 1)
    jobs.dispatch_ready()
    assert helpers.CALLS == []
    db.session.commit()
    assert helpers.CALLS == []  # committed: handed on when the context ends, or now
    jobs.dispatch_ready()
    assert helpers.CALLS == [("after", 1)]
    done = _job(job.id)
    assert (done.state, done.attempts, done.last_error) == ("done", 1, "")
    assert done.finished_at is not None


def test_a_rolled_back_job_never_runs():
    job_id = jobs.enqueue(helpers.remember, "never").id
    db.session.rollback()
    db.session.commit()
    jobs.dispatch_ready()
    assert helpers.CALLS == []
    assert db.session.get(Job, job_id) is None


def test_a_failing_job_is_retried_then_kept_as_failed_with_its_error():
    job = jobs.enqueue(helpers.explode, "the mail server said no", max_attempts=3)
    db.session.commit()
    jobs.dispatch_ready()
    failed = _job(job.id)
    assert (failed.state, failed.attempts) == ("failed", 3)
    assert failed.last_error == "RuntimeError: the mail server said no"


def test_a_job_that_fails_once_succeeds_on_its_retry():
    job = jobs.enqueue(helpers.flaky, "once", 1)
    db.session.commit()
    jobs.dispatch_ready()
    assert helpers.CALLS == [("once",)]
    assert (_job(job.id).state, _job(job.id).attempts) == ("done", 2)


def test_only_module_level_functions_can_be_jobs():
    with pytest.raises(ValueError, match="module-level"):
        jobs.enqueue(lambda: None)


def test_a_request_hands_its_jobs_on_when_it_ends(app):
    """The teardown of a context dispatches what it committed."""
    with app.app_context():
        jobs.enqueue(helpers.remember, "teardown")
        db.session.commit()
        assert helpers.CALLS == []
    assert helpers.CALLS == [("teardown",)]


def test_without_an_answering_redis_jobs_run_inline(app):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        job = jobs.enqueue(helpers.remember, "fallback")
        db.session.commit()
        jobs.dispatch_ready()
    finally:
        app.config["REDIS_URL"] = None
    assert helpers.CALLS == [("fallback",)]
    assert _job(job.id).state == "done"


def test_flask_jobs_failed_lists_them_and_retry_runs_one_again(cli):
    job = jobs.enqueue(helpers.flaky, "later", 2, max_attempts=2)
    db.session.commit()
    jobs.dispatch_ready()
    assert _job(job.id).state == "failed"
    listing = cli.invoke(args=["jobs", "failed"])
    assert listing.exit_code == 0
    assert f"{job.id}\t" in listing.output
    assert "ConnectionError: attempt 2 of later failed" in listing.output
    again = cli.invoke(args=["jobs", "retry", str(job.id)])
    assert again.exit_code == 0, again.output
    assert again.output.strip() == f"Job {job.id}: done."
    assert helpers.CALLS == [("later",)]
    assert cli.invoke(args=["jobs", "retry", str(job.id)]).exit_code == 1


def test_the_worker_command_needs_redis(cli):
    result = cli.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 1
    assert "REDIS_URL is not set" in result.output


# --- with Redis --------------------------------------------------------------------------------


def _work(connection, token: str) -> None:
    from rq import SimpleWorker

    from app.jobs.queue import rq_queue

    worker = SimpleWorker([rq_queue(connection)], connection=connection, name=f"{token}-worker")
    worker.work(burst=True)


def test_on_redis_a_worker_runs_the_job(redis_queue):
    connection, token = redis_queue
    job = jobs.enqueue(helpers.remember, "on redis", 7)
    db.session.commit()
    jobs.dispatch_ready()
    assert helpers.CALLS == []  # queued on Redis, not run here
    assert connection.llen(f"rq:queue:{token}") == 1
    _work(connection, token)
    assert helpers.CALLS == [("on redis", 7)]
    assert _job(job.id).state == "done"


def test_on_redis_a_failing_job_is_retried_and_recorded_as_failed(redis_queue):
    from rq import Queue

    connection, token = redis_queue
    job = jobs.enqueue(helpers.explode, "down", max_attempts=3)
    db.session.commit()
    jobs.dispatch_ready()
    _work(connection, token)
    failed = _job(job.id)
    assert (failed.state, failed.attempts) == ("failed", 3)
    assert failed.last_error == "RuntimeError: down"
    registry = Queue(token, connection=connection).failed_job_registry
    assert registry.get_job_ids() == [f"{token}-job-{job.id}-0"]
    assert db.session.scalars(select(Job.state).where(Job.id == job.id)).one() == "failed"
