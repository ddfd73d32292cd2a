"""Item services: permissions from SPEC's table, optimistic concurrency, validation."""

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.core.errors import ConflictError, PermissionDenied, ValidationError, WorkflowError
from app.extensions import db
from app.items import services
from app.items.models import Item, StatusUpdate
from tests.factories import make_item, make_org, make_user, set_status


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.fixture
def world():
    lead, supporter, other = make_org("LEAD"), make_org("SUPP"), make_org("OTHER")
    item = make_item(lead=lead, supporting=[supporter])
    return {
        "item": item,
        "viewer": make_user("viewer", lead),
        "staff_lead": make_user("staff", lead),
        "staff_supp": make_user("staff", supporter),
        "staff_other": make_user("staff", other),
        "manager": make_user("manager", other),
        "admin": make_user("admin", other),
        "other": other,
    }


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("viewer", False),
        ("staff_lead", True),
        ("staff_supp", False),  # a supporting organisation never changes the status
        ("staff_other", False),
        ("manager", True),
        ("admin", True),
    ],
)
def test_who_may_change_the_status(world, who, allowed):
    item = world["item"]
    before = audit_count()
    if allowed:
        services.change_status(world[who], item, item.version, status="in_progress", progress=20)
        assert item.status == "in_progress"
        assert item.progress == 20
        assert audit_count() > before
    else:
        with pytest.raises(PermissionDenied):
            services.change_status(world[who], item, item.version, status="in_progress")
        assert item.status == "not_started"
        assert audit_count() == before


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("viewer", False),
        ("staff_lead", True),
        ("staff_other", True),
        ("manager", True),
        ("admin", True),
    ],
)
def test_who_may_comment(world, who, allowed):
    if allowed:
        assert services.add_comment(world[who], world["item"], "A *note*").id
    else:
        with pytest.raises(PermissionDenied):
            services.add_comment(world[who], world["item"], "A note")


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("viewer", False),
        ("staff_lead", False),
        ("manager", True),
        ("admin", True),
    ],
)
def test_who_may_create_and_edit_items(world, who, allowed):
    item = world["item"]
    if allowed:
        created = services.create_item(world[who], kind="action", title="Step", lead=world["other"])
        assert created.id
        assert created.status == "not_started"
        assert created.version == 1
        assert services.edit_item(world[who], item, item.version, title="New title")
        assert item.title == "New title"
        assert item.version == 2
    else:
        with pytest.raises(PermissionDenied):
            services.create_item(world[who], kind="action", title="Step", lead=world["other"])
        with pytest.raises(PermissionDenied):
            services.edit_item(world[who], item, item.version, title="New title")


def test_staff_cannot_verify(world):
    item = set_status(world["item"], "implemented")
    with pytest.raises(PermissionDenied):
        services.change_status(world["staff_lead"], item, item.version, status="verified")
    services.change_status(world["manager"], item, item.version, status="verified")
    assert item.status == "verified"
    assert item.progress == 100


def test_stale_version_conflicts_and_changes_nothing(world):
    item = world["item"]
    seen = item.version
    services.edit_item(world["manager"], item, seen, title="First")
    db.session.flush()
    before = audit_count()
    with pytest.raises(ConflictError) as caught:
        services.edit_item(world["manager"], item, seen, title="Second")
    assert caught.value.current_version == seen + 1
    with pytest.raises(ConflictError):
        services.change_status(world["staff_lead"], item, seen, status="in_progress")
    assert item.title == "First"
    assert item.status == "not_started"
    assert audit_count() == before


def test_concurrent_write_to_the_same_row_is_a_conflict(world, app):
    """Two sessions read version 1; the second UPDATE matches no row and raises."""
    from sqlalchemy import update

    item = world["item"]
    db.session.flush()
    # Someone else bumps the version behind this session's back.
    db.session.execute(
        update(Item)
        .where(Item.id == item.id)
        .values(version=Item.version + 1)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(ConflictError):
        services.edit_item(world["manager"], item, item.version, title="Mine")


def test_a_note_is_required_where_the_spec_says(world):
    item = world["item"]
    with pytest.raises(WorkflowError):
        services.change_status(world["staff_lead"], item, item.version, status="blocked")
    update = services.change_status(
        world["staff_lead"], item, item.version, status="blocked", note="Waiting for the ministry"
    )
    assert update.from_status == "not_started"
    assert update.to_status == "blocked"


def test_progress_out_of_range_is_refused(world):
    item = world["item"]
    for bad in (-5, 101, "lots"):
        with pytest.raises(ValidationError):
            services.change_status(
                world["staff_lead"], item, item.version, status="in_progress", progress=bad
            )
    assert db.session.scalar(select(func.count()).select_from(StatusUpdate)) == 0


def test_same_status_update_needs_a_note_or_new_progress(world):
    item = set_status(world["item"], "in_progress", progress=10)
    with pytest.raises(ValidationError):
        services.change_status(
            world["staff_lead"], item, item.version, status="in_progress", progress=10
        )
    services.change_status(
        world["staff_lead"], item, item.version, status="in_progress", progress=35
    )
    assert item.progress == 35


def test_bad_item_fields_are_refused(world):
    manager, lead = world["manager"], world["other"]
    cases = [
        {"kind": "wish", "title": "x", "lead": lead},
        {"kind": "action", "title": "", "lead": lead},
        {"kind": "action", "title": "x" * 301, "lead": lead},
        {"kind": "action", "title": "x", "lead": None},
        {"kind": "action", "title": "x", "lead": lead, "due_date": "31/12/2026"},
        {"kind": "action", "title": "x", "lead": lead, "priority": "urgent"},
        {"kind": "action", "title": "x", "lead": lead, "supporting": [lead]},
        {"kind": "action", "title": "x", "lead": lead, "colour": "red"},
    ]
    for data in cases:
        with pytest.raises(ValidationError):
            services.create_item(manager, **data)


def test_links_join_challenges_and_recommendations(world):
    challenge = make_item(kind="challenge", title="Gap")
    item = world["item"]
    services.edit_item(world["manager"], item, item.version, links=[challenge])
    assert challenge in item.addresses
    assert item in challenge.addressed_by
    assert item.links == [challenge]
    assert challenge.links == [item]
    with pytest.raises(ValidationError):
        services.edit_item(world["manager"], item, item.version, links=[item])


def test_a_measurement_per_day_is_kept_and_replaced(world):
    item = world["item"]
    indicator = services.create_indicator(
        world["manager"], item, name="Troops", unit="people", baseline_value=10, target_value=20
    )
    first = services.record_measurement(
        world["staff_lead"], indicator, value="12", measured_on="2026-01-01"
    )
    again = services.record_measurement(
        world["staff_lead"], indicator, value=13, measured_on="2026-01-01"
    )
    assert first is again
    assert again.value == 13
    with pytest.raises(PermissionDenied):
        services.record_measurement(
            world["staff_other"], indicator, value=1, measured_on="2026-01-02"
        )
    with pytest.raises(ValidationError):
        services.record_measurement(
            world["staff_lead"], indicator, value="nan", measured_on="2026-01-02"
        )


def test_evidence_link_must_be_a_web_address(world):
    item = world["item"]
    with pytest.raises(ValidationError):
        services.attach_evidence(world["staff_lead"], item, url="javascript:alert(1)")
    evidence = services.attach_evidence(world["staff_lead"], item, url="https://example.org/r")
    assert evidence.kind == "link"
    with pytest.raises(PermissionDenied):
        services.attach_evidence(world["viewer"], item, url="https://example.org/r")


def test_get_item_with_bad_ids_is_not_found():
    from app.core.errors import NotFound

    for bad in ("abc", "-1", "0", "99999999999", None):
        with pytest.raises(NotFound):
            services.get_item(bad)


@pytest.mark.parametrize("bad", ["³", "1e3", "12abc", "9" * 40, "--1"])
def test_progress_that_is_not_a_plain_number_is_a_validation_error(world, bad):
    item = world["item"]
    with pytest.raises(ValidationError):
        services.change_status(
            world["staff_lead"], item, item.version, status="in_progress", progress=bad
        )


@pytest.mark.parametrize("bad", ["nul\x00byte", "broken \ud800 surrogate"])
def test_text_no_database_can_store_is_refused(world, bad):
    with pytest.raises(ValidationError):
        services.add_comment(world["staff_lead"], world["item"], bad)
    from app.items.arguments import parse_filters

    with pytest.raises(ValidationError):
        parse_filters({"q": bad})


def test_sources_and_themes_are_edited_by_managers_audited_and_never_looped():
    from tests.factories import SYSTEM

    manager, staff = make_user("manager"), make_user("staff")
    source = services.create_source(SYSTEM, key="brief", title="Brief", citation="Old.")
    parent = services.create_theme(SYSTEM, code="t", title="Task")
    child = services.create_theme(SYSTEM, code="t-i", title="Sub-task", parent=parent)
    with pytest.raises(PermissionDenied):
        services.edit_source(staff, source, citation="Mine.")
    before = audit_count()
    services.edit_source(manager, source, citation=" New, p. 3. ", url="")
    assert (source.citation, source.url) == ("New, p. 3.", None)
    assert audit_count() == before + 1
    services.edit_theme(manager, child, title="Sub-task (i)", source=source)
    assert (child.title, child.source.key) == ("Sub-task (i)", "brief")
    with pytest.raises(ValidationError, match="A theme cannot sit under itself"):
        services.edit_theme(manager, parent, parent=child)
    assert parent.parent is None
    before = audit_count()
    services.edit_theme(manager, child, title="Sub-task (i)")  # unchanged: nothing written
    assert audit_count() == before
