"""What the hostile tests share: the walk's world, one logged-in client per role, a request
helper that counts every answer by attack class, and the tally printed at the end of the run
(the figures of docs/security.md)."""

from collections import Counter, defaultdict

import pytest

from app.extensions import db
from tests.conftest import IsolatedClient
from tests.web.walk import ROLES, audit_changes, build_world, log_in

# attack class -> Counter of answers ("2xx", "4xx", "5xx", "4xx that wrote")
TALLY: dict[str, Counter] = defaultdict(Counter)


def pytest_terminal_summary(terminalreporter):
    if not TALLY:
        return
    total = Counter()
    terminalreporter.section("hostile input: answers by attack class")
    for name in sorted(TALLY):
        counts = TALLY[name]
        total.update(counts)
        terminalreporter.write_line(f"{name:48} {dict(sorted(counts.items()))}")
    terminalreporter.write_line(f"{'all':48} {dict(sorted(total.items()))}")
    terminalreporter.write_line(
        f"requests {total['requests']}, 5xx {total['5xx']}, "
        f"refusals that wrote {total['4xx that wrote']}, writes lost {total['writes lost']}"
    )


def tally(attack: str, status: int, wrote: bool = False) -> None:
    group = f"{status // 100}xx"
    TALLY[attack]["requests"] += 1
    TALLY[attack][group] += 1
    if wrote and status >= 400:
        TALLY[attack]["4xx that wrote"] += 1


class Door:
    """Requests as one role: a logged-in client (web) or the role's token (API), CSRF off
    (the walk checks CSRF; here the body is what is attacked). A client whose session ended
    (a hostile value that happened to be accepted) logs in again."""

    def __init__(self, app, world, role: str) -> None:
        self.app, self.world, self.role = app, world, role
        self.client = IsolatedClient(app, app.response_class, use_cookies=True)
        self._log_in()

    def _log_in(self) -> None:
        if self.role != "anonymous":
            user = self.world["users"][self.role]
            db.session.expire_all()
            log_in(self.client, db.session.get(type(user), user.id))

    def open(self, url: str, method: str, attack: str, check_writes: bool = True, **kwargs):
        headers = {"Accept-Language": "en", **kwargs.pop("headers", {})}
        if url.startswith("/api/") and self.role != "anonymous":
            headers["Authorization"] = f"Bearer {self.world['tokens'][self.role][1]}"
        before = audit_changes() if check_writes else None
        response = self.client.open(url, method=method, headers=headers, **kwargs)
        wrote = check_writes and audit_changes() != before
        tally(attack, response.status_code, wrote)
        if self.role != "anonymous" and "/login" in response.headers.get("Location", ""):
            self._log_in()
        return response, wrote


@pytest.fixture
def world(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    return build_world(app)


@pytest.fixture
def doors(app, world):
    return {role: Door(app, world, role) for role in ROLES}
