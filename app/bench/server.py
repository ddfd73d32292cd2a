"""A real Suivi server for the benchmark: gunicorn with two workers on 127.0.0.1, started
and stopped by the benchmark, with the workers' resident memory read from /proc."""

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


@contextmanager
def running_server(database_url: str, port: int, log_path: str):
    """Start gunicorn on ``database_url``; yield (base URL, master process); stop it."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "SUIVI_CONFIG": "default",
    }
    env.pop("FLASK_DEBUG", None)
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
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=log)  # noqa: S603
    base = f"http://{HOST}:{port}"
    try:
        _wait_until_up(base, process)
        yield base, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
