"""The permissions walk's table and world: what each class of route answers to each role
(SPEC's permissions table), the roles' users and tokens, and a valid request per route.

Used by test_permissions_walk (every role on every route) and test_walk_refusals (CSRF, the
session cookie on the API, unknown ids).
"""

import io
import re
from dataclasses import dataclass

import pytest
from werkzeug.datastructures import FileStorage

from app import create_app
from app.auth import services as auth_services
from app.extensions import db
from app.items import evidence as evidence_files
from app.items import services as item_services
from app.notifications.services import unsubscribe_token
from tests.factories import PASSWORD, SYSTEM, make_item, make_org, make_user, set_status
from tests.web import walk_responses
from tests.web.walk_imports import IMPORT_PAYLOADS, IMPORT_RULES, IMPORT_WRITTEN, walked_imports
from tests.web.walk_pages import PAGES_PAYLOADS, PAGES_RULES
from tests.web.walk_public import HIDDEN, PUBLIC_VIEW, public_view_class, publication_payload
from tests.web.walk_rounds import walked_prepared_files, walked_rounds
from tests.web.walk_session import audit_changes, log_in  # noqa: F401  (the walk's helpers)

ROLES = ("anonymous", "viewer", "staff_lead", "staff_support", "staff_other", "manager", "admin")
LOGGED_IN = ROLES[1:]
IGNORED_METHODS = {"HEAD", "OPTIONS"}

# --- what each class of route answers to each role ------------------------------------------

PUBLIC = "public"  # everyone, logged in or not
LOGIN_FORM = "login_form"  # the login page: anonymous 200, logged in redirected onwards
LOGIN_POST = "login_post"  # anonymous: 401 (no credentials given), logged in: redirected
LOGOUT = "logout"  # everyone ends on the login page
SIGNED_LINK = "signed_link"  # anyone holding the signed link of a mail (one-click opt-out): 200
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
    walk_responses.RESPOND: walk_responses.RESPONDERS,
    ADMIN: {"admin"},
}

GET = frozenset({"GET"})
WRITE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ANY = GET | WRITE

# (endpoint pattern, methods, class): the first match wins. Keep it explicit: a new route
# must be added here, in the class SPEC's permissions table gives it.
RULES = [  # noqa: RUF005 (joined with PAGES_RULES below: this file is at its size limit)
    (r"static", GET, PUBLIC),
    (r"core\.(healthz|service_worker)", GET, PUBLIC),
    (r"core\.home", GET, HOME),
    (r"auth\.login", GET, LOGIN_FORM),
    (r"auth\.login", WRITE, LOGIN_POST),
    (r"auth\.logout", WRITE, LOGOUT),
    (r"auth\.(profile|profile_language|profile_password|create_token|revoke_token)", ANY, OWN),
    (r"notifications\.(index|delivery)", ANY, OWN),
    (r"notifications\.watch", WRITE, READ),
    (r"notifications\.(unsubscribe_form|unsubscribe)", ANY, SIGNED_LINK),
    (r"admin\.index", GET, ADMIN_HOME),
    (
        r"admin\.(users|user|user_active|user_password|end_sessions|revoke_user_token"
        r"|organisations|organisation)",
        ANY,
        ADMIN,
    ),
    # Web pages of items.
    (r"items\.(index|my_work|detail|download_evidence)", GET, READ),
    (r"items\.post_comment", WRITE, COMMENT),
    (r"items\.edit_comment", ANY, AUTHOR),
    (r"items\.(post_update|post_evidence|post_measurement)", WRITE, UPDATE),
    (r"items\.(new_item|edit_item|new_indicator|edit_indicator)", ANY, MANAGE),
    # Reporting rounds: everyone reads them, managers and admins open and close them.
    (r"rounds\.(index|detail|report)", GET, READ),
    (r"rounds\.(open_round|close)", WRITE, MANAGE),
    (r"api-rounds\.(list_rounds|get_round)", GET, READ),
    # A large report prepared by a job: each role its own file (another's is not found).
    (r"reports\.(prepared|prepared_download)", GET, OWN),
    (r"public\.(index|detail|items_csv|items_json)", GET, PUBLIC_VIEW),  # see walk_public
    (r"publication\.edit", ANY, MANAGE),
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
    *walk_responses.RULES,
    # Import and sources (tests/web/walk_imports.py).
    *IMPORT_RULES,
] + PAGES_RULES

# Answers that are known to be wrong in someone else's route: (endpoint, method, role) ->
# the defect. The case is marked xfail while the defect lasts, and fails once it is fixed so
# that the entry gets removed.
KNOWN_DEFECTS: dict[tuple[str, str, str], str] = {}

# The one answer a role that may write gets to the walk's valid request (PAYLOADS): a web form
# redirects (302) to what it changed, except where named here; the API's writes are all named.
WRITTEN = {
    "auth.create_token": 201,  # the page shows the new token, once
    "api-items.create_item": 201,
    "api-items.edit_item": 200,
    "api-updates.post_update": 201,
    "api-comments.post_comment": 201,
    "api-indicators.record_measurement": 201,
    **walk_responses.WRITTEN,
    **IMPORT_WRITTEN,
}


def written(endpoint: str, api: bool) -> int:
    """What a permitted write of ``endpoint`` answers; an API write must be in ``WRITTEN``."""
    return WRITTEN[endpoint] if api or endpoint in WRITTEN else 302


def classify(endpoint: str, method: str) -> str | None:
    return next((k for p, m, k in RULES if method in m and re.fullmatch(p, endpoint)), None)


@dataclass(frozen=True)
class Expectation:
    """What a role must get: a status, and for a redirect whether it leads to the login."""

    status: int
    to_login: bool | None = None  # None: no redirect expected

    def __str__(self) -> str:
        if self.to_login is None:
            return str(self.status)
        return f"{self.status} to /login" if self.to_login else f"{self.status} (not to /login)"

    def met_by(self, status: int, location: str) -> bool:
        if self.to_login is None:
            return status == self.status
        return status == self.status and ("/login" in location) == self.to_login


OK = Expectation(200)
REFUSED = Expectation(403)
UNAUTHENTICATED = Expectation(401)
TO_LOGIN = Expectation(302, to_login=True)
ONWARDS = Expectation(302, to_login=False)
NOT_FOUND = Expectation(404)

# What the anonymous get, by class (any other class: 401 on the API, the login page elsewhere).
ANONYMOUS = {PUBLIC: OK, LOGIN_FORM: OK, LOGIN_POST: UNAUTHENTICATED, SIGNED_LINK: OK}
# What every logged-in role gets, by class, whatever the role.
ANY_LOGGED_IN = {
    PUBLIC: OK,
    SIGNED_LINK: OK,
    LOGIN_FORM: ONWARDS,
    LOGIN_POST: ONWARDS,
    HOME: ONWARDS,
    LOGOUT: TO_LOGIN,
}
ANONYMOUS[HIDDEN] = ANY_LOGGED_IN[HIDDEN] = NOT_FOUND


def expected(endpoint: str, klass: str, role: str, method: str, api: bool) -> Expectation:
    """The one answer ``role`` must get to the walk's request of (``endpoint``, ``method``)."""
    klass = public_view_class(klass, PUBLIC)
    if role == "anonymous":
        return ANONYMOUS.get(klass, UNAUTHENTICATED if api else TO_LOGIN)
    if klass in ANY_LOGGED_IN:
        return ANY_LOGGED_IN[klass]
    if klass == ADMIN_HOME:
        return ONWARDS if role == "admin" else REFUSED
    if role not in MAY[klass]:
        return REFUSED
    if method == "GET":
        return OK
    status = written(endpoint, api)
    return Expectation(status, to_login=False) if status == 302 else Expectation(status)


APP = create_app("testing")  # only to read the URL map at collection time


CASES = [
    (rule.endpoint, rule.rule, method)
    for rule in sorted(APP.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
    for method in sorted(rule.methods - IGNORED_METHODS)
]


def build_world(app):
    """The organisations, users (one per role), item, comment, evidence, indicator and tokens
    the walk runs on, committed."""
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
        "fmt": "csv",
    }
    ids["round_id"], ids["closed_round_id"] = walked_rounds()
    ids.update(walked_imports())
    files = walked_prepared_files(users)
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
        "files": files,
        "item": item,
        "lead": lead,
        "other": other,
    }


def item_version(world) -> int:
    db.session.expire_all()
    return db.session.get(type(world["item"]), world["item"].id).version


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
        "version": str(item_version(w)),
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
        "version": str(item_version(w)),
    },
    "items.new_indicator": lambda w: {"name": "Patrols", "unit": "patrols"},
    "publication.edit": publication_payload,
    "notifications.watch": lambda w: {"watching": "1"},
    "notifications.delivery": lambda w: {"delivery": "weekly"},
    "rounds.open_round": lambda w: {
        "title": "Walked round",
        "opens_on": "2026-01-01",
        "due_on": "2026-12-31",
        "lead": "LEAD",
    },
    "items.edit_indicator": lambda w: {"name": "Police deployed", "unit": "officers"},
    "api-items.create_item": lambda w: {
        "kind": "recommendation",
        "title": "Walked new item",
        "lead_id": w["lead"].id,
    },
    "api-items.edit_item": lambda w: {"title": "Walked item, edited", "version": item_version(w)},
    "api-updates.post_update": lambda w: {
        "status": "in_progress",
        "progress": 40,
        "note": "Walk.",
        "version": item_version(w),
    },
    "api-comments.post_comment": lambda w: {"body": "A comment from the walk."},
    "api-indicators.record_measurement": lambda w: {"value": 900, "measured_on": "2025-01-15"},
    **walk_responses.PAYLOADS,
    **IMPORT_PAYLOADS,
} | PAGES_PAYLOADS


def url_for(app, endpoint: str, method: str, world, role: str) -> str:
    rule = next(r for r in app.url_map.iter_rules(endpoint) if method in r.methods)
    values = {}
    for name in rule.arguments:
        if name == "token_id" and "user_id" in rule.arguments:  # the user's (the viewer's)
            values[name] = world["spare"]["viewer"].id
        elif name == "token_id":  # one's own spare token; anonymous tries the viewer's
            values[name] = world["spare"]["viewer" if role == "anonymous" else role].id
        elif name == "round_id" and endpoint == "rounds.report":  # a closed round's file
            values[name] = world["ids"]["closed_round_id"]
        elif name == "file_id":  # one's own prepared report; anonymous tries the viewer's
            values[name] = world["files"]["viewer" if role == "anonymous" else role]
        elif name == "token":  # the role's own opt-out link (the viewer's for anonymous)
            values[name] = unsubscribe_token(world["users"].get(role, world["users"]["viewer"]))
        elif name in world["ids"]:
            values[name] = world["ids"][name]
        else:
            pytest.fail(f"the walk has no id for <{name}> in {rule.rule}: add it to world()")
    return app.url_map.bind("localhost").build(endpoint, values, method=method)
