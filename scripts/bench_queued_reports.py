"""Large reports off the request, measured: how long the request for a large XLSX (the
benchmark's lead with nearest 10,000 items) takes to answer when the file goes to the queue,
and how long the job then takes to build it, on a generated benchmark database.

    .venv/bin/python scripts/bench_queued_reports.py --database URL [--redis redis://...]

With ``--redis`` the request only queues the job (what a deployment with a worker does); the
job is then run here, timed apart. Without it the job runs inline when the request ends.
"""

import argparse
import contextvars
import os
import statistics
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _forget_queue(url: str, queue: str) -> None:
    """Remove the keys of the benchmark's own queue (the jobs were run here)."""
    from redis import Redis

    connection = Redis.from_url(url)
    keys = list(connection.scan_iter(match=f"*{queue}*"))
    if keys:
        connection.delete(*keys)
    connection.srem("rq:queues", f"rq:queue:{queue}")


def _largest_lead() -> tuple[str, int]:
    """The acronym of the lead organisation whose item count is nearest 10,000, and it."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.items.models import Item
    from app.stakeholders.models import Organisation

    counts = select(Item.lead_id, func.count().label("n")).group_by(Item.lead_id).subquery()
    row = db.session.execute(
        select(Organisation.acronym, counts.c.n)
        .join(counts, counts.c.lead_id == Organisation.id)
        .order_by(func.abs(counts.c.n - 10_000))
        .limit(1)
    ).one()
    return row[0], row[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--redis", default=None, help="a Redis URL (default: jobs run inline)")
    parser.add_argument("--format", default="xlsx", choices=("xlsx", "pdf"))
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()

    from app.bench.runner import bench_app, in_process_login
    from app.downloads.models import PreparedFile
    from app.extensions import db
    from app.jobs.runner import execute

    app = bench_app(args.database)
    queue = f"suivi-bench-{uuid.uuid4().hex[:8]}"
    app.config.update(REDIS_URL=args.redis, JOB_QUEUE=queue)
    with app.app_context():
        acronym, n = _largest_lead()
        client = app.test_client()
        contextvars.Context().run(in_process_login, client)
        answers, builds = [], []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = contextvars.Context().run(
                client.get, f"/reports/status.{args.format}?lead={acronym}"
            )
            answers.append(time.perf_counter() - started)
            if response.status_code != 303:
                raise SystemExit(f"expected 303 (queued), got {response.status_code}")
            file_id = int(response.headers["Location"].rsplit("/", 1)[1])
            prepared = db.session.get(PreparedFile, file_id, populate_existing=True)
            if args.redis:  # the worker's part, timed apart
                started = time.perf_counter()
                execute(prepared.job_id)
                builds.append(time.perf_counter() - started)
            db.session.refresh(prepared)
            if prepared.state != "ready":
                raise SystemExit(f"the file is {prepared.state}")
            db.session.delete(prepared)
            db.session.commit()
        if args.redis:
            _forget_queue(args.redis, queue)

    def ms(values):
        return (
            f"median {statistics.median(values) * 1000:,.0f} ms, max {max(values) * 1000:,.0f} ms"
        )

    print(f"{args.format.upper()} of {n:,} items (lead {acronym}), {args.requests} requests")
    print(f"  the request answers (303 to the page): {ms(answers)}")
    if builds:
        print(f"  the job builds the file: {ms(builds)}")
    print(f"  load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
