"""Who may change what (issue 13, point 9): a supporting organisation posts progress, notes
and evidence but never changes the status, at every door; implemented needs a note, and
evidence when the setting asks; evidence withdrawn stays in the history, no longer served."""

import io

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth import services as auth_services
from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.extensions import db
from app.items import services
from app.items.models import Evidence
from tests.factories import SYSTEM, make_item, make_org, make_user, set_status
from tests.helpers import csrf_token, login

REASON = "SUPP supports this item"


@pytest.fixture
def world():
    lead, supporter, other = make_org("LEAD"), make_org("SUPP"), make_org("OTHR")
    item = make_item(lead=lead, supporting=[supporter], title="Patrols")
    set_status(item, "in_progress", progress=10)
    return {
        "item": item,
        "lead": make_user("staff", lead),
        "supp": make_user("staff", supporter),
        "other": make_user("staff", other),
        "manager": make_user("manager", other),
    }


def test_supporting_staff_post_progress_and_notes_on_the_same_status(world):
    item = world["item"]
    services.change_status(world["supp"], item, item.version, status="in_progress", progress=30)
    assert (item.status, item.progress) == ("in_progress", 30)


def test_supporting_staff_may_not_change_the_status_and_are_told_why(world):
    item = world["item"]
    with pytest.raises(PermissionDenied) as refused:
        services.change_status(world["supp"], item, item.version, status="blocked", note="x")
    assert REASON in refused.value.message
    assert "only LEAD (the lead organisation)" in refused.value.message
    assert item.status == "in_progress"


def test_supporting_staff_status_change_on_the_web_is_a_403_with_the_reason(client, world):
    item = world["item"]
    login(client, world["supp"])
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert REASON in page  # said next to the form, which offers only the same status
    assert 'value="blocked"' not in page
    response = client.post(
        f"/items/{item.id}/updates",
        data={
            "csrf_token": csrf_token(client, f"/items/{item.id}"),
            "status": "blocked",
            "note": "Road closed.",
            "version": str(item.version),
        },
    )
    assert response.status_code == 403
    assert REASON in response.get_data(as_text=True)


def test_supporting_staff_status_change_in_the_api_is_a_403_with_the_reason(client, world):
    item = world["item"]
    _record, token = auth_services.create_token(SYSTEM, world["supp"], "t")
    db.session.commit()
    response = client.post(
        f"/api/v1/items/{item.id}/updates",
        json={"status": "blocked", "note": "Road closed.", "version": item.version},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403
    assert REASON in response.get_json()["error"]["message"]


def test_staff_of_an_uninvolved_organisation_see_why_they_may_not_post(client, world):
    login(client, world["other"])
    page = client.get(f"/items/{world['item'].id}").get_data(as_text=True)
    assert "OTHR is neither lead nor supporting organisation of this item." in page
    assert 'name="status"' not in page


def test_marking_implemented_requires_a_note(world):
    item = world["item"]
    with pytest.raises(WorkflowError):
        services.change_status(world["lead"], item, item.version, status="implemented")
    services.change_status(
        world["lead"], item, item.version, status="implemented", note="Patrols resumed."
    )
    assert item.status == "implemented"


def test_evidence_is_required_for_implemented_when_the_setting_says_so(app, world):
    item = world["item"]
    app.config["REQUIRE_EVIDENCE_FOR_IMPLEMENTED"] = True
    try:
        with pytest.raises(ValidationError) as refused:
            services.change_status(
                world["lead"], item, item.version, status="implemented", note="Done."
            )
        assert "Attach evidence" in refused.value.message
        evidence = services.attach_evidence(world["lead"], item, url="https://example.org/a")
        services.withdraw_evidence(world["manager"], evidence, reason="Wrong report.")
        with pytest.raises(ValidationError):  # withdrawn evidence supports nothing
            services.change_status(
                world["lead"], item, item.version, status="implemented", note="Done."
            )
        services.attach_evidence(world["lead"], item, url="https://example.org/b")
        services.change_status(world["lead"], item, item.version, status="implemented", note="Ok")
        assert item.status == "implemented"
    finally:
        app.config["REQUIRE_EVIDENCE_FOR_IMPLEMENTED"] = False


def test_evidence_is_asked_for_when_marking_implemented_on_the_web(client, world):
    item = world["item"]
    login(client, world["lead"])
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert 'id="u-evidence-hint"' in page
    response = client.post(
        f"/items/{item.id}/updates",
        data={
            "csrf_token": csrf_token(client, f"/items/{item.id}"),
            "status": "implemented",
            "note": "Patrols resumed.",
            "version": str(item.version),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#evidence")
    assert "Please attach evidence" in client.get(f"/items/{item.id}").get_data(as_text=True)


@pytest.mark.parametrize(("who", "allowed"), [("supp", True), ("manager", True), ("lead", False)])
def test_evidence_is_withdrawn_by_its_author_or_a_manager(world, who, allowed):
    evidence = services.attach_evidence(world["supp"], world["item"], url="https://e.org/x")
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.withdraw_evidence(world[who], evidence, reason="Mistake.")
        assert evidence.withdrawn_at is None
        return
    services.withdraw_evidence(world[who], evidence, reason="Attached to the wrong item.")
    assert evidence.withdrawn_at is not None
    assert evidence.withdrawn_by_id == world[who].id
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.record_type == "evidence",
            AuditEvent.record_id == evidence.id,
            AuditEvent.action == "update",
        )
    ).one()
    assert event.changes["withdrawn_reason"][1] == "Attached to the wrong item."


def test_a_withdrawal_needs_a_reason(world):
    evidence = services.attach_evidence(world["supp"], world["item"], url="https://e.org/x")
    with pytest.raises(ValidationError):
        services.withdraw_evidence(world["supp"], evidence, reason="  ")


def test_withdrawn_file_stays_in_the_history_and_is_no_longer_served(client, world):
    item = world["item"]
    login(client, world["supp"])
    page = f"/items/{item.id}"
    response = client.post(
        f"/items/{item.id}/evidence",
        data={
            "csrf_token": csrf_token(client, page),
            "title": "Minutes",
            "url": "",
            "file": (io.BytesIO(b"Minutes of the meeting.\n"), "minutes.txt"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    evidence = db.session.scalars(select(Evidence).where(Evidence.item_id == item.id)).one()
    assert client.get(f"/evidence/{evidence.id}/download").status_code == 200
    response = client.post(
        f"/evidence/{evidence.id}/withdraw",
        data={"csrf_token": csrf_token(client, page), "reason": "Wrong meeting."},
    )
    assert response.status_code == 302
    refused = client.get(f"/evidence/{evidence.id}/download")
    assert refused.status_code == 404
    assert "withdrawn" in refused.get_data(as_text=True)
    html = client.get(page).get_data(as_text=True)
    assert "Withdrawn on" in html
    assert "Wrong meeting." in html
    assert "Withdrew evidence, saying: Wrong meeting." in html
    assert f"/evidence/{evidence.id}/download" not in html
