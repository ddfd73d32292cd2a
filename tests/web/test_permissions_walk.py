"""The permissions walk: every rule of the URL map, for every role, against SPEC's table.

Each (endpoint, method) is classified below by endpoint name; a class says what each role must
get. A rule no pattern classifies fails its case, so a new route cannot go unreviewed. Requests
carry a valid CSRF token (web) or the role's bearer token (API), real ids from the factories
and an empty body: a role that may act gets past the permission check (a 2xx, a redirect, or
a 400/409/422 about the missing data); one that may not gets 403; nobody ever gets a 500.

Roles: anonymous; a viewer of the lead organisation; staff of the lead organisation, of a
supporting one and of another one; a manager; an admin. The item is led by LEAD, supported by
SUPP.
"""

import io
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.routing import IntegerConverter

from app import create_app
from app.audit.models import AuditEvent
from app.auth import services as auth_services
from app.extensions import db
from app.items import evidence as evidence_files
from app.items import services as item_services
from tests.conftest import IsolatedClient
from tests.factories import PASSWORD, SYSTEM, make_item, make_org, make_user, set_status
from tests.helpers import csrf_token

ROLES = ("anonymous", "viewer", "staff_lead", "staff_support", "staff_other", "manager", "admin")
LOGGED_IN = ROLES[1:]
IGNORED_METHODS = {"HEAD", "OPTIONS"}

# --- what each class of route answers to each role ------------------------------------------

PUBLIC = "public"  # everyone, logged in or not
LOGIN_FORM = "login_form"  # the login page: anonymous 200, logged in redirected onwards
LOGIN_POST = "login_post"  # anonymous: 401 (no credentials given), logged in: redirected
LOGOUT = "logout"  # everyone ends on the login page
HOME = "home"  # logged in: redirected to their start page
READ = "read"  # every logged-in role (SPEC: read items, summaries, history; export)
OWN = "own"  # every logged-in role, on their own things (profile, tokens)
COMMENT = "comment"  # staff, managers, admins
UPDATE = "update"  # staff of the lead or a supporting organisation, managers, admins
AUTHOR = "author"  # the comment's author (staff of the lead) and admins
MANAGE = "manage"  # managers and admins (create/edit items, indicators)
ADMIN = "admin"  # admins only (users, organisations)
ADMIN_HOME = "admin_home"  # admins redirected to the users, others refused

MAY = {
    READ: set(LOGGED_IN),
    OWN: set(LOGGED_IN),
    COMMENT: {"staff_lead", "staff_support", "staff_other", "manager", "admin"},
    UPDATE: {"staff_lead", "staff_support", "manager", "admin"},
    AUTHOR: {"staff_lead", "admin"},
    MANAGE: {"manager", "admin"},
    ADMIN: {"admin"},
}

GET = frozenset({"GET"})
WRITE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ANY = GET | WRITE

# (endpoint pattern, methods, class): the first match wins. Keep it explicit: a new route
# must be added here, in the class SPEC's permissions table gives it.
RULES = [
    (r"static", GET, PUBLIC),
    (r"core\.healthz", GET, PUBLIC),
    (r"core\.home", GET, HOME),
    (r"auth\.login", GET, LOGIN_FORM),
    (r"auth\.login", WRITE, LOGIN_POST),
    (r"auth\.logout", WRITE, LOGOUT),
    (r"auth\.(profile|profile_language|profile_password|create_token|revoke_token)", ANY, OWN),
    (r"admin\.index", GET, ADMIN_HOME),
    (
        r"admin\.(users|user|user_active|user_password|revoke_user_token|organisations"
        r"|organisation)",
        ANY,
        ADMIN,
    ),
    # Web pages of items.
    (r"items\.(index|my_work|detail|download_evidence)", GET, READ),
    (r"items\.post_comment", WRITE, COMMENT),
    (r"items\.edit_comment", ANY, AUTHOR),
    (r"items\.(post_update|post_evidence|post_measurement)", WRITE, UPDATE),
    (r"items\.(new_item|edit_item|new_indicator|edit_indicator)", ANY, MANAGE),
    # Reports are read-only by construction: every GET is a read.
    (r"reports\.\w+", GET, READ),
    # The JSON API.
    (r"api-docs\.openapi_json", GET, READ),
    (r"api-me\.me", GET, READ),
    (r"api-organisations\.list_organisations", GET, READ),
    (r"api-themes\.list_themes", GET, READ),
    (r"api-summary\.summary", GET, READ),
    (r"api-items\.(list_items_view|get_item)", GET, READ),
    (r"api-items\.(create_item|edit_item)", WRITE, MANAGE),
    (r"api-updates\.list_updates", GET, READ),
    (r"api-updates\.post_update", WRITE, UPDATE),
    (r"api-comments\.list_comments", GET, READ),
    (r"api-comments\.post_comment", WRITE, COMMENT),
    (r"api-history\.item_history", GET, READ),
    (r"api-evidence\.list_evidence", GET, READ),
    (r"api-evidence\.\w+", WRITE, UPDATE),
    (r"api-indicators\.list_indicators", GET, READ),
    (r"api-indicators\.record_measurement", WRITE, UPDATE),
]

# Answers that are known to be wrong in someone else's route: (endpoint, method, role) ->
# the defect. The case is marked xfail while the defect lasts, and fails once it is fixed so
# that the entry gets removed.
KNOWN_DEFECTS: dict[tuple[str, str, str], str] = {}

ACCEPTED = {200, 201, 204, 302, 303, 400, 409, 422}  # past the permission check


def classify(endpoint: str, method: str) -> str | None:
    for pattern, methods, klass in RULES:
        if method in methods and re.fullmatch(pattern, endpoint):
            return klass
    return None


@dataclass(frozen=True)
class Expectation:
    """What a role must get: a status (or any of ``ACCEPTED``) and where a redirect leads."""

    kind: str  # "status", "accepted", "to_login", "redirect"
    status: int | None = None

    def __str__(self) -> str:
        return {
            "status": f"{self.status}",
            "accepted": "accepted (2xx/3xx/400/409/422)",
            "to_login": "302 to /login",
            "redirect": "302 (not to /login)",
        }[self.kind]


def expected(klass: str, role: str, method: str, api: bool) -> Expectation:
    if klass == PUBLIC:
        return Expectation("status", 200)
    if role == "anonymous":
        if klass == LOGIN_FORM:
            return Expectation("status", 200)
        if klass == LOGIN_POST:
            return Expectation("status", 401)
        return Expectation("status", 401) if api else Expectation("to_login")
    if klass in (LOGIN_FORM, LOGIN_POST, HOME) or (klass == ADMIN_HOME and role == "admin"):
        return Expectation("redirect")
    if klass == ADMIN_HOME:
        return Expectation("status", 403)
    if klass == LOGOUT:
        return Expectation("to_login")
    if role in MAY[klass]:
        return Expectation("status", 200) if method == "GET" else Expectation("accepted")
    return Expectation("status", 403)


_APP = create_app("testing")  # only to read the URL map at collection time


def _rules():
    cases = []
    for rule in sorted(_APP.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        for method in sorted(rule.methods - IGNORED_METHODS):
            cases.append((rule.endpoint, rule.rule, method))
    return cases


CASES = _rules()


# --- the world the walk runs in ----------------------------------------------------------------


@pytest.fixture
def world(app):
    lead, support, other = make_org("LEAD"), make_org("SUPP"), make_org("OTHER")
    users = {
        "viewer": make_user("viewer", organisation=lead),  # even of the lead: reads only
        "staff_lead": make_user("staff", organisation=lead),
        "staff_support": make_user("staff", organisation=support),
        "staff_other": make_user("staff", organisation=other),
        "manager": make_user("manager", organisation=other),
        "admin": make_user("admin", organisation=other),
    }
    item = make_item(lead=lead, supporting=[support], title="Walked item")
    set_status(item, "in_progress")
    comment = item_services.add_comment(users["staff_lead"], item, "A comment by the lead.")
    ids = {
        "item_id": item.id,
        "comment_id": comment.id,
        "user_id": users["viewer"].id,
        "org_id": other.id,
        "filename": "css/suivi.css",
    }
    stored = evidence_files.store(
        FileStorage(io.BytesIO(b"Minutes of the meeting.\n"), filename="minutes.txt"),
        app.config["UPLOAD_FOLDER"],
        app.config["EVIDENCE_MAX_BYTES"],
    )
    ids["evidence_id"] = item_services.attach_evidence(
        SYSTEM, item, title="Minutes", stored_file=stored
    ).id
    indicator = item_services.create_indicator(
        SYSTEM, item, name="Police deployed", unit="officers"
    )
    ids["indicator_id"] = indicator.id
    # Each user has a token for the API and another one that the walk may revoke.
    tokens = {
        role: auth_services.create_token(SYSTEM, user, "walk") for role, user in users.items()
    }
    spare = {
        role: auth_services.create_token(SYSTEM, user, "spare")[0] for role, user in users.items()
    }
    db.session.commit()
    return {
        "users": users,
        "ids": ids,
        "tokens": tokens,
        "spare": spare,
        "item": item,
        "lead": lead,
        "other": other,
    }


def _version(world) -> int:
    db.session.expire_all()
    return db.session.get(type(world["item"]), world["item"].id).version


# What a write sends: a valid request, so that only the permission can stop it.
PAYLOADS = {
    "auth.profile_language": lambda w: {"language": "en"},
    "auth.profile_password": lambda w: {
        "current_password": PASSWORD,
        "password": "walk the walk twice",
        "password_confirm": "walk the walk twice",
    },
    "auth.create_token": lambda w: {"name": "made by the walk"},
    "admin.users": lambda w: {
        "name": "Walker",
        "email": "walker@example.org",
        "role": "viewer",
        "organisation_id": str(w["other"].id),
        "language": "",
        "password": "walk the walk twice",
        "password_confirm": "walk the walk twice",
    },
    "admin.user": lambda w: {
        "name": "Viewer renamed",
        "role": "viewer",
        "organisation_id": str(w["lead"].id),
        "language": "fr",
    },
    "admin.user_active": lambda w: {"is_active": "1"},
    "admin.user_password": lambda w: {
        "password": "walk the walk twice",
        "password_confirm": "walk the walk twice",
    },
    "admin.organisations": lambda w: {
        "name": "Walk",
        "acronym": "WALK",
        "kind": "other",
        "parent_id": "",
        "description": "",
    },
    "admin.organisation": lambda w: {
        "name": "Other",
        "acronym": "OTHER",
        "kind": "ministry",
        "parent_id": "",
        "description": "Edited by the walk.",
    },
    "items.post_update": lambda w: {
        "status": "in_progress",
        "progress": "40",
        "note": "Walk.",
        "version": str(_version(w)),
    },
    "items.post_comment": lambda w: {"body": "A comment from the walk."},
    "items.edit_comment": lambda w: {"body": "Edited by the walk."},
    "items.post_evidence": lambda w: {"title": "Minutes", "url": "https://example.org/minutes"},
    "items.post_measurement": lambda w: {
        "value": "900",
        "measured_on": "2025-01-15",
        "note": "Walk.",
    },
    "items.new_item": lambda w: {
        "kind": "recommendation",
        "title": "Walked new item",
        "lead_id": str(w["lead"].id),
        "priority": "medium",
    },
    "items.edit_item": lambda w: {
        "kind": "recommendation",
        "title": "Walked item, edited",
        "lead_id": str(w["lead"].id),
        "priority": "high",
        "supporting_ids": [],
        "version": str(_version(w)),
    },
    "items.new_indicator": lambda w: {"name": "Patrols", "unit": "patrols"},
    "items.edit_indicator": lambda w: {"name": "Police deployed", "unit": "officers"},
    "api-items.create_item": lambda w: {
        "kind": "recommendation",
        "title": "Walked new item",
        "lead_id": w["lead"].id,
    },
    "api-items.edit_item": lambda w: {"title": "Walked item, edited", "version": _version(w)},
    "api-updates.post_update": lambda w: {
        "status": "in_progress",
        "progress": 40,
        "note": "Walk.",
        "version": _version(w),
    },
    "api-comments.post_comment": lambda w: {"body": "A comment from the walk."},
    "api-indicators.record_measurement": lambda w: {"value": 900, "measured_on": "2025-01-15"},
}


def _url(app, endpoint: str, method: str, world, role: str) -> str:
    rule = next(r for r in app.url_map.iter_rules(endpoint) if method in r.methods)
    values = {}
    for name in rule.arguments:
        if name == "token_id" and "user_id" in rule.arguments:  # the user's (the viewer's)
            values[name] = world["spare"]["viewer"].id
        elif name == "token_id":  # one's own spare token; anonymous tries the viewer's
            values[name] = world["spare"]["viewer" if role == "anonymous" else role].id
        elif name in world["ids"]:
            values[name] = world["ids"][name]
        else:
            pytest.fail(f"the walk has no id for <{name}> in {rule.rule}: add it to world()")
    return app.url_map.bind("localhost").build(endpoint, values, method=method)


def _log_in(client, user) -> None:
    """What the login form leaves in the session (the form itself is tested in test_login)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def _check(response, expectation: Expectation) -> str | None:
    """None when ``response`` is what ``expectation`` says, else a description."""
    status = response.status_code
    location = response.headers.get("Location", "")
    ok = {
        "status": status == expectation.status,
        "accepted": status in ACCEPTED and not (status in (302, 303) and "/login" in location),
        "to_login": status == 302 and "/login" in location,
        "redirect": status in (302, 303) and "/login" not in location,
    }[expectation.kind]
    if ok:
        return None
    return f"got {status}{' to ' + location if location else ''}, expected {expectation}"


def _check_error_shape(response, api: bool) -> str | None:
    """Refusals come in Suivi's shape: JSON errors under /api/, Suivi's error page elsewhere."""
    if api:
        body = response.get_json(silent=True) or {}
        error = body.get("error") or {}
        if not (error.get("code") and error.get("message")):
            return f"{response.status_code} without the API's error shape: {body!r:.200}"
        return None
    html = response.get_data(as_text=True)
    if "<h1>" not in html or "Suivi" not in html:
        return f"{response.status_code} without Suivi's error page"
    return None


def _request(app, world, endpoint: str, rule: str, method: str, role: str):
    client = IsolatedClient(app, app.response_class, use_cookies=True)
    api = rule.startswith("/api/")
    url = _url(app, endpoint, method, world, role)
    headers = {"Accept-Language": "en"}
    kwargs = {}
    payload = PAYLOADS.get(endpoint, lambda w: {})(world) if method != "GET" else None
    if api:
        if role != "anonymous":
            headers["Authorization"] = f"Bearer {world['tokens'][role][1]}"
        if payload is not None:
            kwargs["json"] = payload
    else:
        if role != "anonymous":
            _log_in(client, world["users"][role])
        if payload is not None:
            page = "/login" if role == "anonymous" else "/no-such-page"
            kwargs["data"] = {"csrf_token": csrf_token(client, page), **payload}
    return url, client.open(url, method=method, headers=headers, **kwargs)


@pytest.mark.parametrize(
    ("endpoint", "rule", "method"), CASES, ids=[f"{e}:{m}" for e, _, m in CASES]
)
def test_walk(app, world, endpoint, rule, method):
    """Every role on one (endpoint, method); all mismatches are reported together."""
    klass = classify(endpoint, method)
    if klass is None:
        pytest.fail(
            f"no expectation for {method} {rule} ({endpoint}): classify it in RULES of {__name__}",
            pytrace=False,
        )
    api = rule.startswith("/api/")
    problems, known, fixed = [], [], []
    for role in ROLES:
        expectation = expected(klass, role, method, api)
        before = _audit_count()
        url, response = _request(app, world, endpoint, rule, method, role)
        problem = _check(response, expectation)
        if response.status_code >= 500:
            problem = f"server error {response.status_code}"
        elif problem is None and response.status_code in (401, 403):
            problem = _check_error_shape(response, api)
        refused = expectation.kind in ("status", "to_login") and expectation.status != 200
        if problem is None and (refused or method == "GET") and _audit_count() != before:
            problem = f"{method} answered {response.status_code} but changed something (audit)"
        defect = KNOWN_DEFECTS.get((endpoint, method, role))
        if problem and defect:
            known.append(f"{role}: {defect} ({problem})")
        elif problem:
            problems.append(f"{method} {url} as {role} ({klass}): {problem}")
        elif defect:
            fixed.append(f"{role}: {defect}")
    assert not problems, "\n".join(problems)
    assert not fixed, "fixed, remove from KNOWN_DEFECTS: " + "; ".join(fixed)
    if known:
        pytest.xfail("; ".join(known))


NOT_CHANGES = ("export", "login")  # audited events that change no record


def _audit_count() -> int:
    """How many records were ever changed (audit events that are changes)."""
    db.session.expire_all()
    return db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action.not_in(NOT_CHANGES))
    )


WEB_WRITES = [case for case in CASES if case[2] != "GET" and not case[1].startswith("/api/")]


@pytest.mark.parametrize(
    ("endpoint", "rule", "method"), WEB_WRITES, ids=[f"{e}:{m}" for e, _, m in WEB_WRITES]
)
def test_web_write_without_csrf_token_is_refused_and_changes_nothing(
    app, world, endpoint, rule, method
):
    """SPEC: a state-changing request without a valid token gets 400 and changes nothing."""
    problems = []
    for role in ("anonymous", "staff_lead", "admin"):  # the check comes before any role's
        client = IsolatedClient(app, app.response_class, use_cookies=True)
        if role != "anonymous":
            _log_in(client, world["users"][role])
        url = _url(app, endpoint, method, world, role)
        before = _audit_count()
        payload = PAYLOADS.get(endpoint, lambda w: {})(world)
        for token in (None, "forged-token"):
            data = payload if token is None else {**payload, "csrf_token": token}
            response = client.open(url, method=method, data=data)
            if response.status_code != 400 or _audit_count() != before:
                problems.append(
                    f"{method} {url} as {role} with csrf_token={token!r}: {response.status_code}"
                )
    assert not problems, "\n".join(problems)


API_CASES = [case for case in CASES if case[1].startswith("/api/")]


@pytest.mark.parametrize(
    ("endpoint", "rule", "method"), API_CASES, ids=[f"{e}:{m}" for e, _, m in API_CASES]
)
def test_api_ignores_the_session_cookie(app, world, endpoint, rule, method):
    """The API is exempt from CSRF because it takes no cookies: a logged-in browser's
    session must not work there (or another site could make it post)."""
    client = IsolatedClient(app, app.response_class, use_cookies=True)
    _log_in(client, world["users"]["admin"])
    url = _url(app, endpoint, method, world, "admin")
    before = _audit_count()
    kwargs = {}
    if method != "GET":
        kwargs["json"] = PAYLOADS.get(endpoint, lambda w: {})(world)
    response = client.open(url, method=method, **kwargs)
    assert response.status_code == 401, f"{method} {url} with a session: {response.status_code}"
    assert _audit_count() == before


def _int_arguments(endpoint: str, rule: str) -> list[str]:
    url_rule = next(r for r in _APP.url_map.iter_rules(endpoint) if r.rule == rule)
    return [
        name
        for name, converter in url_rule._converters.items()
        if isinstance(converter, IntegerConverter)
    ]


WITH_IDS = [case for case in CASES if _int_arguments(case[0], case[1])]


@pytest.mark.parametrize(
    ("endpoint", "rule", "method"), WITH_IDS, ids=[f"{e}:{m}" for e, _, m in WITH_IDS]
)
def test_unknown_ids_are_404_never_500(app, world, endpoint, rule, method):
    """An id that does not exist, even one too large for the database, is a 404 for the one
    role that may do everything."""
    api = rule.startswith("/api/")
    problems = []
    for missing in (999_999, 2**31, 10**20):
        client = IsolatedClient(app, app.response_class, use_cookies=True)
        values = dict.fromkeys(_int_arguments(endpoint, rule), missing)
        url = app.url_map.bind("localhost").build(endpoint, values, method=method)
        headers, kwargs = {}, {}
        payload = PAYLOADS.get(endpoint, lambda w: {})(world) if method != "GET" else None
        if api:
            headers["Authorization"] = f"Bearer {world['tokens']['admin'][1]}"
            if payload is not None:
                kwargs["json"] = payload
        else:
            _log_in(client, world["users"]["admin"])
            if payload is not None:
                kwargs["data"] = {"csrf_token": csrf_token(client, "/no-such-page"), **payload}
        response = client.open(url, method=method, headers=headers, **kwargs)
        if response.status_code != 404:
            problems.append(f"{method} {url} as admin: {response.status_code}, expected 404")
    defect = KNOWN_DEFECTS.get((endpoint, method, "unknown id"))
    if problems and defect:
        pytest.xfail(defect)
    assert not defect, f"{endpoint} {method}: fixed, remove it from KNOWN_DEFECTS"
    assert not problems, "\n".join(problems)


def test_every_route_is_classified():
    """All at once, so that a new route's author sees the whole list to classify."""
    missing = [
        f"{method} {rule} ({endpoint})"
        for endpoint, rule, method in CASES
        if classify(endpoint, method) is None
    ]
    assert not missing, "classify in RULES: " + "; ".join(missing)


def test_the_table_says_what_spec_says():
    """A few rows of SPEC's permissions table, read back from the walk's expectations."""

    def outcome(klass, role, method="POST"):
        return str(expected(klass, role, method, api=False))

    assert outcome(READ, "viewer", "GET") == "200"
    assert outcome(UPDATE, "viewer") == outcome(UPDATE, "staff_other") == "403"
    assert outcome(COMMENT, "staff_other").startswith("accepted")
    assert outcome(MANAGE, "staff_lead") == "403"
    assert outcome(ADMIN, "manager", "GET") == "403"
    assert outcome(READ, "anonymous", "GET") == "302 to /login"
    assert str(expected(READ, "anonymous", "GET", api=True)) == "401"
