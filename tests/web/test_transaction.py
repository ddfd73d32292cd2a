"""One unit of work per request (app.core.transaction): a handler's changes are committed
once after it succeeds, and undone when it refuses or fails; a failure at the commit is a
409 or a 503 with Suivi's page (or the API's JSON), never a 500, and leaves nothing behind —
no row, no audit event, no stored file, no "saved" message."""

import io
import os

import pytest
from flask import g, has_app_context
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.audit.models import AuditEvent
from app.auth import services as auth_services
from app.core.errors import N_, PermissionDenied, ValidationError
from app.extensions import db
from app.items import services as item_services
from app.items.models import Comment, Evidence
from app.stakeholders import services as org_services
from app.stakeholders.models import Organisation
from tests.factories import SYSTEM, make_item, make_org, make_user
from tests.helpers import csrf_token, form_post, login


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def staff_item(client):
    org = make_org()
    item = make_item(lead=org)
    login(client, make_user("staff", organisation=org))
    return item


def _comment(client, item, body="Written, then refused."):
    path = f"/items/{item.id}"
    return form_post(client, path + "/comments", {"body": body}, form_path=path)


# --- a refusal after a partial flush ------------------------------------------------------------


@pytest.mark.parametrize(
    ("refusal", "status"),
    [
        (ValidationError(N_("Refused after the flush."), fields={"body": N_("Refused.")}), 422),
        (PermissionDenied(N_("Refused after the flush.")), 403),
    ],
)
def test_a_service_error_after_a_partial_flush_leaves_nothing_written(
    client, staff_item, monkeypatch, refusal, status
):
    """The comment and its audit event were flushed; the refusal that follows undoes both,
    whether the page shows it next to the form (422) or as an error page (403)."""
    real = item_services.add_comment

    def flush_then_refuse(actor, item, body):
        real(actor, item, body)
        db.session.flush()
        raise refusal

    comments, events = _count(Comment), _count(AuditEvent)
    monkeypatch.setattr(item_services, "add_comment", flush_then_refuse)
    response = _comment(client, staff_item)
    assert response.status_code == status
    assert "Refused after the flush." in response.get_data(as_text=True)
    assert (_count(Comment), _count(AuditEvent)) == (comments, events)


def test_a_form_error_page_shows_what_is_stored_not_what_was_flushed(
    client, staff_item, monkeypatch
):
    """The refused comment is not on the page that says it was refused."""
    real = item_services.add_comment

    def flush_then_refuse(actor, item, body):
        real(actor, item, body)
        raise ValidationError(N_("Refused after the flush."), fields={"body": N_("Refused.")})

    monkeypatch.setattr(item_services, "add_comment", flush_then_refuse)
    response = _comment(client, staff_item, body="A sentence never stored.")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.count("A sentence never stored.") == 1  # in the form, not in the history


# --- a failure at the commit --------------------------------------------------------------------


def _failing_commit(monkeypatch, exc: Exception, service: str, module=item_services) -> None:
    """Once ``module.service`` has run in a request, committing fails with ``exc``, as a
    database would make it fail."""
    real_service, real_commit = getattr(module, service), Session.commit

    def wrote(*args, **kwargs):
        g.wrote = True
        return real_service(*args, **kwargs)

    def commit(self):
        if has_app_context() and g.get("wrote"):
            raise exc
        return real_commit(self)

    monkeypatch.setattr(module, service, wrote)
    monkeypatch.setattr(Session, "commit", commit)


FAILURES = [
    (IntegrityError("INSERT", {}, Exception("duplicate key")), 409, "at the same time"),
    (StaleDataError("UPDATE matched 0 rows"), 409, "at the same time"),
    (OperationalError("COMMIT", {}, Exception("server closed the connection")), 503, "busy"),
]


@pytest.mark.parametrize(("exc", "status", "words"), FAILURES, ids=["unique", "stale", "down"])
def test_a_failed_commit_is_a_proper_answer_and_writes_nothing(
    client, staff_item, monkeypatch, exc, status, words
):
    comments, events = _count(Comment), _count(AuditEvent)
    token = csrf_token(client, f"/items/{staff_item.id}")
    _failing_commit(monkeypatch, exc, "add_comment")
    response = client.post(
        f"/items/{staff_item.id}/comments",
        data={"body": "Lost at the commit.", "csrf_token": token},
        headers={"Accept-Language": "en"},
    )
    monkeypatch.undo()
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert words in html
    assert "Nothing was saved" in html
    assert "Comment added." not in html
    assert (_count(Comment), _count(AuditEvent)) == (comments, events)
    if status == 503:
        assert response.headers["Retry-After"] == "5"
    # The message flashed for the change that did not happen is not shown later either.
    assert "Comment added." not in client.get(f"/items/{staff_item.id}").get_data(as_text=True)


def test_a_failed_commit_removes_the_file_stored_for_it(client, staff_item, app, monkeypatch):
    folder = app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    before = set(os.listdir(folder))
    token = csrf_token(client, f"/items/{staff_item.id}")
    _failing_commit(
        monkeypatch, OperationalError("COMMIT", {}, Exception("gone")), "attach_evidence"
    )
    response = client.post(
        f"/items/{staff_item.id}/evidence",
        data={
            "csrf_token": token,
            "title": "Minutes",
            "file": (io.BytesIO(b"Minutes of the meeting.\n"), "minutes.txt"),
        },
        content_type="multipart/form-data",
    )
    monkeypatch.undo()
    assert response.status_code == 503
    assert set(os.listdir(folder)) == before
    assert _count(Evidence) == 0


def test_a_refused_evidence_file_is_removed_too(client, staff_item, app, monkeypatch):
    folder = app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    before = set(os.listdir(folder))

    def refuse(*args, **kwargs):
        raise ValidationError(N_("Refused."), fields={"title": N_("Refused.")})

    monkeypatch.setattr(item_services, "attach_evidence", refuse)
    response = form_post(
        client,
        f"/items/{staff_item.id}/evidence",
        {"title": "x", "file": (io.BytesIO(b"Some text.\n"), "a.txt")},
        form_path=f"/items/{staff_item.id}",
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert set(os.listdir(folder)) == before


def test_a_failed_commit_at_login_leaves_no_session(client, monkeypatch):
    """A login is audited in its transaction: if that cannot be committed, nobody is in."""
    user = make_user()
    token = csrf_token(client, "/login")
    gone = OperationalError("COMMIT", {}, Exception("gone"))
    _failing_commit(monkeypatch, gone, "authenticate", auth_services)
    response = client.post(
        "/login",
        data={"email": user.email, "password": "correct-horse-battery", "csrf_token": token},
    )
    monkeypatch.undo()
    assert response.status_code == 503
    assert client.get("/my-work").status_code == 302  # to the login page


def test_a_race_for_a_unique_value_is_a_409_not_a_500(client, monkeypatch):
    """The acronym was free when checked and taken when written (another admin, at the
    same moment): the database's unique constraint answers, and the page says so."""
    login(client, make_user("admin"))
    make_org("RACE")
    monkeypatch.setattr(org_services, "find_organisation", lambda acronym: None)
    response = form_post(
        client,
        "/admin/organisations",
        {"name": "Second", "acronym": "RACE", "kind": "other", "parent_id": "", "description": ""},
    )
    assert response.status_code == 409
    assert "at the same time" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(func.count()).select_from(Organisation).where(Organisation.acronym == "RACE")
        )
        == 1
    )


@pytest.mark.parametrize(("exc", "status", "words"), FAILURES, ids=["unique", "stale", "down"])
def test_the_api_answers_a_failed_commit_in_its_shape(client, monkeypatch, exc, status, words):
    org = make_org()
    item = make_item(lead=org)
    user = make_user("staff", organisation=org)
    _token, plaintext = auth_services.create_token(SYSTEM, user, "commit")
    db.session.commit()
    comments = _count(Comment)
    _failing_commit(monkeypatch, exc, "add_comment")
    response = client.post(
        f"/api/v1/items/{item.id}/comments",
        json={"body": "Lost at the commit."},
        headers={"Authorization": f"Bearer {plaintext}"},
    )
    monkeypatch.undo()
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == ("unavailable" if status == 503 else "conflict")
    assert words in error["message"]
    assert _count(Comment) == comments
