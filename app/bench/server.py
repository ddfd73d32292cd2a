"""A real Suivi server for the benchmark: gunicorn with two workers on 127.0.0.1, started
and stopped by the benchmark, with the workers' resident memory read from /proc; with a
Redis URL, a job worker (``flask jobs worker``) beside it builds the large reports, as in a
deployment, on a queue of the benchmark's own."""

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

HOST = "127.0.0.1"
WORKERS = 2
# The API's rate limits are raised, not switched off: the limiter's cost stays measured.
FACTORY = (
    'app:create_app(API_RATELIMIT="1000000 per minute", '
    'API_RATELIMIT_PER_ADDRESS="1000000 per minute")'
)


def _gunicorn() -> str:
    path = Path(sys.executable).with_name("gunicorn")
    return str(path) if path.exists() else "gunicorn"


def _wait_until_up(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start (exit {process.returncode})")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def running_server(database_url: str, port: int, log_path: str, redis_url: str | None = None):
    """Start gunicorn on ``database_url`` (and a job worker when ``redis_url`` is given);
    yield (base URL, master process, job worker process or None); stop them."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "SUIVI_CONFIG": "default",
    }
    env.pop("FLASK_DEBUG", None)
    env.pop("REDIS_URL", None)
    if redis_url:
        env.update(REDIS_URL=redis_url, JOB_QUEUE=f"suivi-bench-{secrets.token_hex(4)}")
    root = Path(__file__).resolve().parents[2]
    command = [
        _gunicorn(),
        "--workers",
        str(WORKERS),
        "--bind",
        f"{HOST}:{port}",
        "--timeout",
        "600",
        "--log-level",
        "warning",
        FACTORY,
    ]
    flask = [str(Path(sys.executable).with_name("flask")), "--app", "app", "jobs", "worker"]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=log)  # noqa: S603
        jobs = (
            subprocess.Popen(flask, cwd=root, env=env, stdout=log, stderr=log)  # noqa: S603
            if redis_url
            else None
        )
    base = f"http://{HOST}:{port}"
    try:
        _wait_until_up(base, process)
        yield base, process, jobs
    finally:
        _stop(process)
        if jobs is not None:
            _stop(jobs)


def worker_pids(master_pid: int) -> list[int]:
    """The gunicorn workers: the master's children."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory now (VmRSS) and at its peak (VmHWM) of process ``pid``, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return {"rss_mb": round(fields["VmRSS"], 1), "peak_mb": round(fields["VmHWM"], 1)}


def redis_answers(url: str) -> bool:
    """Whether Redis answers at ``url`` (the job worker needs it)."""
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        return bool(Redis.from_url(url, socket_connect_timeout=2).ping())
    except RedisError:
        return False
