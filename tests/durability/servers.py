"""Real servers for the durability tests: databases prepared through the services, waitress
and gunicorn processes on free 127.0.0.1 ports, and a small JSON client."""

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field

from flask_migrate import upgrade

from app import create_app
from app.auth import services as auth_services
from app.core.roles import SystemActor
from app.extensions import db
from app.items import services as item_services
from app.stakeholders import services as org_services
from tests.conftest import database_url_for_tests, ensure_postgres_database, reset_postgres_schema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
SYSTEM = SystemActor("tests")
APP_MODULE = "tests.durability.served_app:app"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(kind: str, name: str) -> str:
    """A fresh database for one test: a SQLite file, or a PostgreSQL database named after
    the suite's own (``<name of TEST_DATABASE_URL>_<name>``)."""
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix=f"suivi-{name}-")
        return f"sqlite:///{os.path.join(folder, 'suivi.db')}"
    base = database_url_for_tests()
    url = f"{base}_{name}"
    ensure_postgres_database(url)
    reset_postgres_schema(url)
    return url


@dataclass
class Prepared:
    """What a prepared database holds for the clients."""

    url: str
    upload_folder: str
    tokens: list[str] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)


def prepare(url: str, items: int = 1, tokens: int = 1) -> Prepared:
    """Migrate ``url`` to the newest schema and create, through the services, a manager with
    ``tokens`` API tokens and ``items`` items in progress."""
    upload_folder = tempfile.mkdtemp(prefix="suivi-evidence-")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=upload_folder)
    prepared = Prepared(url, upload_folder)
    with app.app_context():
        upgrade()
        org = org_services.create_organisation(SYSTEM, acronym="LEAD", name="Lead", kind="other")
        manager = auth_services.create_user(
            SYSTEM,
            email="manager@example.org",
            name="Manager",
            role="manager",
            organisation=org,
            password="correct-horse-battery",
        )
        for n in range(items):
            item = item_services.create_item(
                SYSTEM, kind="recommendation", title=f"Item {n}", lead=org
            )
            item_services.change_status(SYSTEM, item, item.version, status="in_progress")
            db.session.flush()
            prepared.item_ids.append(item.id)
        for n in range(tokens):
            _token, plaintext = auth_services.create_token(SYSTEM, manager, f"client {n}")
            prepared.tokens.append(plaintext)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return prepared


def server_env(prepared: Prepared) -> dict:
    env = dict(os.environ)
    env.pop("TEST_DATABASE_URL", None)
    env.update(
        DATABASE_URL=prepared.url,
        SECRET_KEY="durability-tests",
        UPLOAD_FOLDER=prepared.upload_folder,
        PYTHONPATH=ROOT,
    )
    return env


class Server:
    """One server process (waitress: threads; gunicorn: a master and worker processes)."""

    def __init__(self, kind: str, prepared: Prepared, workers: int = 2, port: int | None = None):
        self.kind = kind
        self.port = port or free_port()
        self.prepared = prepared
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (kept while the server runs)

    def command(self) -> list[str]:
        address = f"127.0.0.1:{self.port}"
        if self.kind == "waitress":
            return [f"{BIN}/waitress-serve", f"--listen={address}", "--threads=4", APP_MODULE]
        return [
            f"{BIN}/gunicorn",
            f"--bind={address}",
            f"--workers={self.workers}",
            "--graceful-timeout=5",
            APP_MODULE,
        ]

    def start(self) -> "Server":
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=server_env(self.prepared),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.output()}")
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer within 30 s:\n{self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-5000:]

    def worker_pids(self) -> list[int]:
        """The pids of a gunicorn master's workers."""
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return [int(pid) for pid in out.split()]

    def kill_group(self) -> None:
        """SIGKILL the master and every worker at once."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill_group()
        self.log.close()

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def request(
    port: int, method: str, path: str, token: str | None = None, body=None, timeout: float = 30
):
    """One HTTP request on a new connection; returns (status, parsed JSON or text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    try:
        return response.status, json.loads(data)
    except ValueError:
        return response.status, data


def web_login(port: int, email: str, password: str = "correct-horse-battery") -> str:
    """Log in through the login form; returns the session cookie to send."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/login")
        response = connection.getresponse()
        html = response.read().decode()
        cookie = response.getheader("Set-Cookie", "").split(";")[0]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
        connection.request(
            "POST",
            "/login",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        response = connection.getresponse()
        response.read()
        assert response.status == 302, response.status
        cookies = response.msg.get_all("Set-Cookie") or []  # the session and the device's
        return next(c for c in cookies if c.startswith("session=")).split(";")[0]
    finally:
        connection.close()


def web_get(port: int, path: str, cookie: str, timeout: float = 30) -> int:
    """GET a page with a session cookie; returns the status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()
