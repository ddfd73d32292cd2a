"""The benchmark from start to end: a generated database (built or reused), the SQL floor of
each request, the same requests through gunicorn, the mixed load, the workers' memory."""

import os
import platform
import secrets
import statistics
import time
import urllib.parse
from datetime import UTC, datetime
from typing import Any

from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.audit.models import AuditEvent
from app.bench import load, rawsql, server
from app.bench.client import Client, summary_ms
from app.bench.generate import BENCH_PASSWORD, MANAGER_EMAIL, analyze, generate, vacuum
from app.bench.scenarios import Fixture, Scenario, prepare, scenarios
from app.extensions import db
from app.items.models import Item
from config import database_url

WARMUP = 3


def bench_app(url: str):
    """An application on ``url`` configured as the server is."""
    return create_app(
        "default",
        SQLALCHEMY_DATABASE_URI=database_url(url),
        SECRET_KEY=secrets.token_hex(32),
        API_RATELIMIT="1000000 per minute",
        API_RATELIMIT_PER_ADDRESS="1000000 per minute",
    )


def ensure_database(app, items: int, say) -> dict:
    """Bring the schema up to date and generate items until there are ``items``."""
    with app.app_context():
        upgrade()
        have = db.session.scalar(select(func.count(Item.id))) or 0
        if have < items:
            say(f"generating {items - have:,} items (have {have:,})...")
            started = time.perf_counter()
            generate(items - have, seed=have + 1)
            db.session.commit()
            analyze()
            say(f"generated in {time.perf_counter() - started:.0f} s")
        vacuum()
        return {
            "dialect": db.engine.dialect.name,
            "server_version": ".".join(map(str, db.engine.dialect.server_version_info or ())),
            "items": db.session.scalar(select(func.count(Item.id))),
            "audit_events": db.session.scalar(select(func.count(AuditEvent.id))),
            "id_range": tuple(
                db.session.execute(select(func.min(Item.id), func.max(Item.id))).one()
            ),
        }


def in_process_login(client) -> None:
    from app.bench.client import CSRF

    page = client.get("/login").get_data(as_text=True)
    found = CSRF.search(page)
    if found is None:
        raise RuntimeError("the login page has no csrf_token")
    token = found.group(1)
    data = {"email": MANAGER_EMAIL, "password": BENCH_PASSWORD, "csrf_token": token}
    response = client.post("/login", data=data)
    if response.status_code != 302:
        raise RuntimeError(f"in-process login failed: {response.status_code}")


def _capture(app, recorder, fixture: Fixture, scenario: Scenario):
    client = app.test_client()
    with rawsql.rolled_back(app):
        in_process_login(client)
        method, path, body = scenario.make(fixture)
        headers = {"Authorization": f"Bearer {fixture.token}"} if scenario.auth == "api" else {}
        with recorder.recording() as recorded:
            response = client.open(path, method=method, json=body, headers=headers, buffered=True)
            response.get_data()
        if response.status_code >= 400:
            raise RuntimeError(f"{scenario.key}: in-process {response.status_code}")
    return recorded


def timed_runs(once, count: int, budget: float, minimum: int = 5) -> list[float]:
    """``once()`` (which returns seconds) up to ``count`` times; past ``budget`` seconds (0: no
    limit) it stops, once it has ``minimum`` figures."""
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < count:
        times.append(once())
        if budget and len(times) >= minimum and time.perf_counter() - started > budget:
            break
    return times


def measure_floors(app, fixture: Fixture, todo: list[Scenario], options, say) -> dict:
    """For each scenario: its statements, and the time to execute them directly."""
    floors: dict[str, Any] = {}
    with app.app_context():
        recorder = rawsql.Recorder(db.engine)
        dialect = db.engine.dialect.name
        raw = db.engine.raw_connection()
        commit = statistics.median(
            rawsql.commit_seconds(raw, dialect, fixture.token_id) for _ in range(20)
        )
        for scenario in todo:
            say(f"  SQL of {scenario.label}...")
            recorded = _capture(app, recorder, fixture, scenario)

            def once(statements=recorded.statements, commits=recorded.commits):
                return rawsql.replay_seconds(raw, dialect, statements) + commit * commits

            count = options.heavy_requests if scenario.heavy else options.requests
            floors[scenario.key] = {
                **summary_ms(timed_runs(once, count, options.budget, minimum=3)),
                "statements": len(recorded.statements),
                "commits": recorded.commits,
            }
        raw.close()
    floors["_commit_ms"] = round(commit * 1000, 2)
    return floors


def measure_http(client: Client, fixture: Fixture, scenario: Scenario, options) -> dict:
    """Warm up, then time the requests; any answer other than 2xx is an error."""
    errors, size = 0, 0

    def once() -> float:
        nonlocal errors, size
        method, path, body = scenario.make(fixture)
        answer = client.request(method, path, body=body, auth=scenario.auth)
        seconds = answer.seconds
        location = urllib.parse.urlsplit(answer.headers.get("Location", "")).path
        if answer.status == 303 and location.startswith("/reports/files/"):
            # A large report goes to a job: the time is the user's, from the request to
            # the file downloaded, the page that says it is being prepared polled meanwhile.
            started = time.perf_counter()
            answer = client.wait_for_file(location)
            seconds += time.perf_counter() - started
            prepared.append(answer.seconds)
        errors += answer.status >= 300
        size = len(answer.body)
        return seconds

    prepared: list[float] = []

    for _ in range(1 if scenario.heavy else WARMUP):
        once()
    errors = 0
    count = options.heavy_requests if scenario.heavy else options.requests
    prepared.clear()
    times = timed_runs(once, count, options.budget)
    result = {**summary_ms(times), "errors": errors, "bytes": size}
    if prepared:
        result["prepared_by_job"] = len(prepared)
    return result


def machine() -> dict:
    """What the figures were measured on."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in open("/proc/cpuinfo")  # noqa: SIM115
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(open("/proc/meminfo").readline().split()[1])  # noqa: SIM115
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def profile(options) -> str:
    """The profile of one measured request (``--profile KEY``)."""
    from app.bench.profile import profile_text

    app = bench_app(options.database)
    ensure_database(app, options.items, lambda _text: None)
    with app.app_context():
        fixture = prepare()
    wanted = {s.key: s for s in scenarios(fixture)}
    if options.profile not in wanted:
        raise SystemExit(f"unknown request {options.profile!r}; one of: {', '.join(wanted)}")
    return profile_text(app, fixture, wanted[options.profile], options.profile_repeat)


def sql_report(options) -> str:
    """Each statement of one request with its own time, slowest first (``--sql KEY``)."""
    app = bench_app(options.database)
    with app.app_context():
        fixture = prepare()
        wanted = {s.key: s for s in scenarios(fixture)}
        recorder = rawsql.Recorder(db.engine)
        recorded = _capture(app, recorder, fixture, wanted[options.sql])
        raw = db.engine.raw_connection()
        rawsql.statement_seconds(raw, db.engine.dialect.name, recorded.statements)  # warm
        timed = rawsql.statement_seconds(raw, db.engine.dialect.name, recorded.statements)
        raw.close()
    return "\n\n".join(f"-- {seconds * 1000:.1f} ms\n{sql}" for seconds, sql in timed)


def _workers(process) -> list[dict]:
    return [server.memory_mb(pid) for pid in server.worker_pids(process.pid)]


def _through_server(options, say, fixture: Fixture, todo, results: dict) -> None:
    """Start gunicorn, time each request, run the mix, read the workers' memory."""
    log = os.path.join(os.path.dirname(options.json), "bench-gunicorn.log")
    redis_url = options.redis if options.redis and server.redis_answers(options.redis) else None
    if options.redis and redis_url is None:
        say(f"Redis does not answer at {options.redis}: large reports are built inline")
    results["job_worker"] = bool(redis_url)
    running = server.running_server(options.database, options.port, log, redis_url)
    with running as (base, process, jobs):
        client = Client(base)
        client.login(MANAGER_EMAIL, BENCH_PASSWORD)
        client.token = fixture.token
        results["workers_at_start"] = _workers(process)
        results["requests"] = {}
        for scenario in todo:
            say(f"{scenario.label}...")
            results["requests"][scenario.key] = {
                "label": scenario.label,
                "target_p95_ms": scenario.target_ms,
                **measure_http(client, fixture, scenario, options),
            }
        if options.mix_seconds:
            say(f"mixed load for {options.mix_seconds} s (load {load_average()})...")
            id_range = results["database"]["id_range"]
            lua = load.script(client.cookie, fixture.token, fixture.writable, id_range, 2)
            results["mix"] = load.run_mix(base, lua, options.mix_seconds)
        results["workers"] = _workers(process)
        if jobs is not None:
            results["job_worker_memory"] = server.memory_mb(jobs.pid)


def run(options, say) -> dict:
    """Everything, in order; returns the results for the table and the JSON file."""
    app = bench_app(options.database)
    database = ensure_database(app, options.items, say)
    with app.app_context():
        fixture = prepare()
    todo = [s for s in scenarios(fixture) if not options.only or s.key in options.only]
    say(f"timing the SQL of {len(todo)} requests directly (load {load_average()})...")
    floors = measure_floors(app, fixture, todo, options, say)
    results: dict[str, Any] = {"machine": machine(), "database": database, "floors": floors}
    results["load_before"] = load_average()
    _through_server(options, say, fixture, todo, results)
    results["load_after"] = load_average()
    return results
