"""``flask jobs``: start a worker, list failed jobs, try a failed job again."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.core.display import show_datetime
from app.extensions import db
from app.jobs.models import FAILED, Job
from app.jobs.queue import dispatch_ready, redis_connection, requeue, rq_queue

jobs_cli = AppGroup("jobs", help="The job queue: worker, failed jobs.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Run the jobs queued on Redis (REDIS_URL), in this process, until stopped."""
    from rq import SimpleWorker

    connection = redis_connection()
    if connection is None:
        click.echo("Error: REDIS_URL is not set; without Redis, jobs run inline.", err=True)
        sys.exit(1)
    queue = rq_queue(connection)
    click.echo(f"Worker on queue {queue.name!r} at {current_app.config['REDIS_URL']}")
    # SimpleWorker runs each job in this process, in this application's context (a forked
    # child would share the database connections of its parent).
    SimpleWorker([queue], connection=connection).work(burst=burst, with_scheduler=not burst)


@jobs_cli.command("failed")
def failed() -> None:
    """List the jobs that failed after their last attempt, with their error."""
    jobs = db.session.scalars(select(Job).where(Job.state == FAILED).order_by(Job.id)).all()
    if not jobs:
        click.echo("No failed job.")
    for job in jobs:
        when = show_datetime(job.finished_at)
        click.echo(f"{job.id}\t{when}\t{job.name}{tuple(job.args)}\t{job.attempts} attempts")
        click.echo(f"\t{job.last_error}")


@jobs_cli.command("retry")
@click.argument("job_id", type=click.IntRange(1, 2**31 - 1))
def retry(job_id: int) -> None:
    """Queue a failed job again, with its attempts counted afresh."""
    job = db.session.get(Job, job_id)
    if job is None or job.state != FAILED:
        click.echo(f"Error: no failed job {job_id}.", err=True)
        sys.exit(1)
    requeue(job)
    db.session.commit()
    dispatch_ready()
    db.session.expire_all()
    after = db.session.get(Job, job_id)
    click.echo(f"Job {job_id}: {after.state if after else 'gone'}.")
