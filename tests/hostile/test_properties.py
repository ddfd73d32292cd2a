"""Property tests (hypothesis): any sequence of status updates by any role keeps the
workflow's invariants, and any body sent to a write answers 2xx or 4xx — never 5xx — with
nothing written on a 4xx. Examples are few (50) so the directory runs in bounded time."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.items import workflow
from app.items.models import Item, StatusUpdate
from tests.factories import make_item
from tests.hostile.conftest import TALLY, tally
from tests.web.walk import LOGGED_IN, audit_changes

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STEP = st.fixed_dictionaries(
    {
        "role": st.sampled_from(LOGGED_IN),
        "status": st.sampled_from(workflow.STATUSES),
        "progress": st.one_of(st.none(), st.integers(-5, 105)),
        "note": st.sampled_from(["", "A note."]),
        "stale": st.sampled_from([False, False, False, True]),
    }
)
JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=30),
        st.sampled_from(["2025-01-01", "9999-12-31", "0001-01-01", "recommendation", "high"]),
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
ITEM_FIELDS = [
    "kind",
    "title",
    "text",
    "lead_id",
    "supporting_ids",
    "theme_ids",
    "link_ids",
    "owner_id",
    "due_date",
    "priority",
    "version",
]


def _item_state(item_id: int) -> tuple:
    db.session.expire_all()
    item = db.session.get(Item, item_id)
    updates = db.session.scalar(
        select(func.count(StatusUpdate.id)).where(StatusUpdate.item_id == item_id)
    )
    events = db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.record_type == "items", AuditEvent.record_id == item_id
        )
    )
    return item.status, item.progress, item.version, updates, events


@SETTINGS
@given(steps=st.lists(STEP, min_size=1, max_size=8))
def test_any_sequence_of_updates_by_any_role_keeps_the_invariants(app, world, doors, steps):
    item = make_item(lead=world["lead"], supporting=[world["users"]["staff_support"].organisation])
    db.session.commit()
    for step in steps:
        status, progress, version, updates, events = _item_state(item.id)
        body = {
            "status": step["status"],
            "progress": step["progress"],
            "note": step["note"],
            "version": version - 1 if step["stale"] else version,
        }
        response, _ = doors[step["role"]].open(
            f"/api/v1/items/{item.id}/updates", "POST", "property: workflow", json=body
        )
        after = _item_state(item.id)
        assert response.status_code < 500, response.get_json()
        assert 0 <= after[1] <= 100
        if after[0] in ("implemented", "verified"):
            assert after[1] == 100
        if after[0] == "not_started":
            assert after[1] == 0
        if response.status_code == 201:
            lost = after[2] != version + 1 or after[3] != updates + 1 or after[4] <= events
            TALLY["property: workflow"]["writes lost"] += lost
            assert not lost, (step, after)
        else:
            assert after == (status, progress, version, updates, events), (
                step,
                response.status_code,
            )


@SETTINGS
@given(body=st.dictionaries(st.sampled_from([*ITEM_FIELDS, "zzz"]), JSON, max_size=8))
def test_any_body_to_the_item_api_is_answered_without_a_server_error(app, world, doors, body):
    door = doors["manager"]
    for method, url in (("POST", "/api/v1/items"), ("PATCH", f"/api/v1/items/{world['item'].id}")):
        before = audit_changes()
        response, wrote = door.open(url, method, "property: any API body", json=body)
        assert response.status_code < 500, (body, response.get_json())
        assert response.status_code in (200, 201) or not wrote
        if response.status_code in (200, 201):
            assert audit_changes() > before or method == "PATCH"


@SETTINGS
@given(
    form=st.dictionaries(
        st.sampled_from(
            ["kind", "title", "text", "lead_id", "due_date", "priority", "owner_id", "zzz"]
        ),
        st.text(max_size=40),
        max_size=7,
    )
)
def test_any_form_to_the_new_item_page_is_answered_without_a_server_error(app, world, doors, form):
    response, wrote = doors["manager"].open(
        "/items/new", "POST", "property: any web form", data=form
    )
    assert response.status_code < 500
    assert response.status_code == 302 or not wrote


def test_the_tally_counts(app):
    """Keeps the tally's figures honest: a request counted is a request made."""
    before = sum(c["requests"] for c in TALLY.values())
    tally("self-check", 200)
    assert sum(c["requests"] for c in TALLY.values()) == before + 1
    del TALLY["self-check"]
