"""What a row does: new, changed (which columns), unchanged; references found by the words a
person uses, with the nearest known one suggested; statuses through the workflow."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.imports import services
from app.items.models import StatusUpdate
from tests.factories import make_user
from tests.imports.files import HEADER, csv_bytes, stream, xlsx
from tests.imports.helpers import imported, item, refused

FULL = (
    "code",
    "kind",
    "title",
    "text",
    "source",
    "section",
    "themes",
    "lead",
    "supporting",
    "owner",
    "due_date",
    "priority",
    "status",
    "progress",
    "addresses",
)


def full_row(code="R1", **changes):
    row = {
        "code": code,
        "kind": "recommendation",
        "title": "Protect civilians",
        "text": "The mission should protect civilians.",
        "source": "second-report",
        "section": "p. 3",
        "themes": "gov; sec",
        "lead": "LEADORG",
        "supporting": "SUPPORG",
        "owner": "manager@example.org",
        "due_date": "2026-12-31",
        "priority": "high",
        "status": "in_progress",
        "progress": "40",
        "addresses": "",
    }
    row.update(changes)
    return [row[c] for c in FULL]


def plan(actor, data):
    return services.plan_file(actor, stream(data))


def test_a_full_row_creates_the_item_with_every_field(world):
    rows = [full_row("C1", kind="challenge", status="", progress=""), full_row(addresses="C1")]
    assert imported(world["manager"], xlsx(rows, FULL))["new"] == 2
    created = item("R1")
    assert (created.kind, created.title, created.source.key, created.source_section) == (
        "recommendation",
        "Protect civilians",
        "second-report",
        "p. 3",
    )
    assert [t.code for t in created.themes] == ["gov", "sec"]
    assert (created.lead.acronym, [o.acronym for o in created.supporting]) == (
        "LEADORG",
        ["SUPPORG"],
    )
    assert created.owner.email == "manager@example.org"
    assert (created.due_date, created.priority) == (date(2026, 12, 31), "high")
    assert (created.status, created.progress) == ("in_progress", 40)
    assert [a.code for a in created.addresses] == ["C1"]


def test_a_second_import_of_the_same_file_changes_nothing(world):
    data = xlsx(
        [
            full_row("C1", kind="challenge", status="verified", progress=""),
            full_row(addresses="C1"),
        ],
        FULL,
    )
    imported(world["manager"], data)
    events = db.session.scalar(select(func.count(AuditEvent.id)))
    assert imported(world["manager"], data) == {
        "rows": 2,
        "new": 0,
        "changed": 0,
        "unchanged": 2,
        "error": 0,
    }
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events


def test_the_preview_names_the_changed_columns(world):
    imported(world["manager"], xlsx([full_row()], FULL))
    changed = full_row(title="Protect all civilians", themes="gov", progress="60", owner="")
    [row] = plan(world["manager"], xlsx([changed], FULL)).rows
    assert row.action == "changed"
    assert row.changed == ["title", "themes", "owner", "progress"]
    assert item("R1").title == "Protect civilians"  # a preview writes nothing


def test_a_column_left_out_changes_nothing(world):
    imported(world["manager"], xlsx([full_row()], FULL))
    [row] = plan(world["manager"], xlsx([("R1", "recommendation")], ("code", "kind"))).rows
    assert row.action == "unchanged"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("lead", "LEADORGG", "Unknown organisation LEADORGG: did you mean LEADORG?"),
        ("supporting", "SUP", "Unknown organisation SUP: did you mean SUPPORG?"),
        ("themes", "gov; secu", "Unknown theme secu: did you mean sec?"),
        ("source", "second-reprt", "Unknown source second-reprt: did you mean second-report?"),
        ("addresses", "R2", "No item with the code R2: did you mean R1?"),
        ("owner", "nobody@example.org", "No user with the email or name nobody@example.org."),
        (
            "kind",
            "reco",
            "Unknown kind reco; use one of: challenge, recommendation, action, opportunity.",
        ),
        (
            "status",
            "done",
            "Unknown status done; use one of: not_started, in_progress, blocked, "
            "implemented, verified, not_accepted, no_longer_relevant.",
        ),
    ],
)
def test_errors_name_the_row_and_column_and_suggest_the_nearest(world, column, value, message):
    imported(world["manager"], xlsx([full_row()], FULL))
    assert refused(world["manager"], xlsx([full_row("R9", **{column: value})], FULL)) == [
        (2, column, message)
    ]


def test_words_in_english_or_french_are_read(world):
    rows = [("W1", "Recommandation", "T", "leadorg", "Haute", "En cours")]
    imported(world["manager"], xlsx(rows, (*HEADER, "priority", "status")))
    found = item("W1")
    assert (found.kind, found.priority, found.status, found.lead.acronym) == (
        "recommendation",
        "high",
        "in_progress",
        "LEADORG",
    )


def test_an_owner_is_found_by_name_unless_two_share_it(world):
    make_user("staff", name="Awa Traoré", email="awa@example.org")
    imported(
        world["manager"], xlsx([("O1", "action", "T", "LEADORG", "awa traoré")], (*HEADER, "owner"))
    )
    assert item("O1").owner.email == "awa@example.org"
    make_user("staff", name="Awa Traoré", email="awa2@example.org")
    assert refused(
        world["manager"], xlsx([("O2", "action", "T", "LEADORG", "Awa Traoré")], (*HEADER, "owner"))
    ) == [(2, "owner", "Several users are named Awa Traoré: give the email instead.")]


def test_a_status_is_reached_step_by_step_each_noted(world):
    imported(
        world["manager"],
        xlsx([("V1", "action", "T", "LEADORG", "verified")], (*HEADER, "status")),
        "plan.xlsx",
    )
    done = item("V1")
    updates = db.session.scalars(
        select(StatusUpdate).where(StatusUpdate.item_id == done.id).order_by(StatusUpdate.id)
    ).all()
    assert [(u.from_status, u.to_status) for u in updates] == [
        ("not_started", "in_progress"),
        ("in_progress", "implemented"),
        ("implemented", "verified"),
    ]
    assert {u.note for u in updates} == {"Imported from plan.xlsx"}
    assert (done.status, done.progress) == ("verified", 100)


def test_a_status_needing_a_note_gets_the_import_note(world):
    imported(
        world["manager"],
        xlsx([("B1", "action", "T", "LEADORG", "blocked", "30")], (*HEADER, "status", "progress")),
        "f.xlsx",
    )
    blocked = item("B1")
    assert (blocked.status, blocked.progress) == ("blocked", 30)
    [update] = db.session.scalars(select(StatusUpdate).where(StatusUpdate.item_id == blocked.id))
    assert update.note == "Imported from f.xlsx"


def test_progress_that_the_status_fixes_is_refused(world):
    data = xlsx(
        [("I1", "action", "T", "LEADORG", "implemented", "50")], (*HEADER, "status", "progress")
    )
    assert refused(world["manager"], data) == [
        (2, "progress", "An item with the status implemented has progress 100.")
    ]


def test_progress_of_a_closed_item_cannot_change_on_its_own(world):
    header = (*HEADER, "status", "progress")
    imported(world["manager"], xlsx([("N1", "action", "T", "LEADORG", "not_accepted", "")], header))
    assert refused(
        world["manager"], xlsx([("N1", "action", "T", "LEADORG", "not_accepted", "20")], header)
    ) == [
        (
            2,
            "progress",
            "The progress of an item with the status not_accepted cannot change on its own.",
        )
    ]


def test_a_row_without_code_is_refused(world):
    assert refused(world["manager"], xlsx([("", "action", "T", "LEADORG")])) == [
        (2, "code", "A code is required: it is how Suivi recognises the item on the next import.")
    ]


def test_emptying_a_required_field_is_refused(world):
    imported(world["manager"], xlsx([("E1", "action", "T", "LEADORG")]))
    assert refused(world["manager"], xlsx([("E1", "action", "", "")])) == [
        (2, "title", "title is required."),
        (2, "lead", "lead is required."),
    ]


def test_hint_rows_starting_with_hash_are_skipped(world):
    data = csv_bytes([("# the code", "kind", "title", "lead"), ("H1", "action", "T", "LEADORG")])
    assert imported(world["manager"], data, "h.csv")["rows"] == 1
