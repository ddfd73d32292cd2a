"""An HTTP client for the benchmark (the standard library's, so that its own cost stays small):
a session cookie from the real login form for pages, a bearer token for the API, and timed
requests summarised as median and 95th percentile."""

import http.client
import json
import math
import re
import statistics
import time
import urllib.parse
from dataclasses import dataclass, field

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Answer:
    """A response read to its last byte, with the time it took."""

    status: int
    body: bytes
    seconds: float
    headers: dict = field(default_factory=dict)

    def json(self):
        return json.loads(self.body)


class Client:
    """Requests to one server; pages carry the session cookie, the API the token."""

    def __init__(self, base: str):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port
        self.cookie = ""
        self.token = ""

    def request(self, method: str, path: str, body=None, auth: str = "page", headers=None):
        """One request on a fresh connection (gunicorn's sync workers close each one)."""
        headers = dict(headers or {})
        if auth == "page" and self.cookie:
            headers["Cookie"] = self.cookie
        if auth == "api":
            headers["Authorization"] = f"Bearer {self.token}"
        if isinstance(body, dict):
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=600)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        headers = dict(response.getheaders())
        sessions = [c for c in response.msg.get_all("Set-Cookie") or [] if c.startswith("session=")]
        if sessions:  # the login also sets the known-device cookie: keep the session's
            headers["Set-Cookie"] = sessions[0]
        return Answer(response.status, data, elapsed, headers)

    def wait_for_file(self, page: str, pause: float = 0.1) -> Answer:
        """Poll the page of a report being prepared until it stops refreshing, then
        download the file (an error answer if the job failed)."""
        while True:
            answer = self.request("GET", page)
            if answer.status != 200 or "Refresh" not in answer.headers:
                break
            time.sleep(pause)
        return self.request("GET", f"{page}/download")

    def login(self, email: str, password: str) -> None:
        """Log in through the form (CSRF token and all) and keep the session cookie."""
        page = self.request("GET", "/login", auth="none")
        self.cookie = _cookie(page.headers)
        found = CSRF.search(page.body.decode())
        if found is None:
            raise RuntimeError("the login page has no csrf_token")
        token = found.group(1)
        form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
        answer = self.request(
            "POST",
            "/login",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if answer.status != 302:
            raise RuntimeError(f"login failed: {answer.status}")
        self.cookie = _cookie(answer.headers) or self.cookie


def _cookie(headers: dict) -> str:
    value = headers.get("Set-Cookie", "")
    return value.split(";", 1)[0]


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (0.95 for p95), nearest-rank."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))
    return ordered[rank]


def summary_ms(seconds: list[float]) -> dict:
    """Median and p95 in milliseconds."""
    return {
        "n": len(seconds),
        "median_ms": round(statistics.median(seconds) * 1000, 2),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 2),
    }
