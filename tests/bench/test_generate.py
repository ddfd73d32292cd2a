"""flask bench generate: a consistent data set whose audit trail verifies and explains it."""

from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.core.time import as_utc, today
from app.extensions import db
from app.items import services as item_services
from app.items import workflow as wf
from app.items.models import Comment, Item, StatusUpdate, Theme
from app.items.queries import ItemFilters
from app.reports.state import end_of_day
from app.reports.summary import build_summary
from app.stakeholders.models import Organisation
from tests.factories import make_org, make_user

N = 60


def generate(cli, items: int = N, seed: int = 5) -> str:
    result = cli.invoke(args=["bench", "generate", "--items", str(items), "--seed", str(seed)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def updates_by_item() -> dict[int, list[StatusUpdate]]:
    grouped = defaultdict(list)
    order = (StatusUpdate.item_id, StatusUpdate.created_at, StatusUpdate.id)
    for update in db.session.scalars(select(StatusUpdate).order_by(*order)):
        grouped[update.item_id].append(update)
    return grouped


def test_generate_makes_n_items_over_fifty_organisations_and_the_chain_verifies(cli):
    output = generate(cli)
    assert f"Generated {N} items" in output
    assert count(Item) == N
    leads = db.session.scalar(select(func.count(func.distinct(Item.lead_id))))
    assert 10 < leads <= 50
    assert count(Organisation) == 50
    assert count(Theme) == 30
    verify = cli.invoke(args=["audit", "verify", "--replay"])
    assert verify.exit_code == 0, verify.output
    assert "intact" in verify.output
    assert "exactly what their" in verify.output  # the events explain every record


def test_each_item_stands_where_its_last_update_left_it(cli):
    generate(cli)
    grouped = updates_by_item()
    events = Counter(
        db.session.execute(
            select(AuditEvent.record_id).where(
                AuditEvent.record_type == "items", AuditEvent.action == "update"
            )
        ).scalars()
    )
    for item in db.session.scalars(select(Item)):
        updates = grouped.get(item.id, [])
        last = updates[-1] if updates else None
        assert item.status == (last.to_status if last else wf.NOT_STARTED)
        assert item.progress == (last.progress if last else 0)
        expected_last = as_utc(last.created_at) if last else as_utc(item.created_at)
        assert as_utc(item.last_update_at) == expected_last
        assert item.version == 1 + events[item.id]
    assert count(StatusUpdate) / N > 6  # about ten per item
    assert count(Comment) == 2 * N


def test_updates_follow_the_workflow_one_after_the_other(cli):
    generate(cli)
    for updates in updates_by_item().values():
        status, progress = wf.NOT_STARTED, 0
        for update in updates:
            assert (update.from_status, update.from_progress) == (status, progress)
            assert (update.from_status, update.to_status) in wf.TRANSITIONS
            fixed = wf.FIXED_PROGRESS.get(update.to_status)
            assert fixed is None or update.progress == fixed
            status, progress = update.to_status, update.progress


def test_every_row_has_its_audit_event(cli):
    generate(cli)
    inserted = Counter(
        db.session.execute(
            select(AuditEvent.record_type).where(AuditEvent.action == "insert")
        ).scalars()
    )
    assert inserted["items"] == N
    assert inserted["status_updates"] == count(StatusUpdate)
    assert inserted["comments"] == count(Comment)
    unscoped = select(func.count()).where(
        AuditEvent.record_type.in_(("items", "status_updates", "comments")),
        AuditEvent.scope_type.is_(None),
    )
    assert db.session.scalar(unscoped) == 0


def _shapes(events) -> set[tuple[str, str, frozenset]]:
    return {(e.record_type, e.action, frozenset(e.changes)) for e in events}


def test_events_have_the_shape_the_audit_hook_writes(cli):
    manager = make_user("manager")
    lead, other = manager.organisation, make_org()
    theme = item_services.create_theme(manager, code="T-SHAPE", title="Shape")
    item = item_services.create_item(
        manager,
        kind="action",
        title="By hand",
        lead=lead,
        supporting=[other],
        themes=[theme],
        due_date="2030-01-01",
    )
    item_services.change_status(manager, item, 1, status="in_progress", progress=10, note="go")
    item_services.change_status(manager, item, 2, status="in_progress", progress=20, note="on")
    item_services.add_comment(manager, item, "A comment.")
    item_services.edit_item(manager, item, 3, due_date="2031-01-01")
    db.session.commit()
    by_hand = _shapes(db.session.scalars(select(AuditEvent).where(AuditEvent.scope_id == item.id)))
    generate(cli, items=200)
    generated = db.session.scalars(
        select(AuditEvent).where(AuditEvent.scope_type == "items", AuditEvent.scope_id > item.id)
    )
    shapes = _shapes(generated)
    assert by_hand <= shapes  # every shape the services wrote appears in the generated set


def test_history_spreads_over_two_years_with_overdue_and_stale_items(cli):
    generate(cli, items=200)
    oldest = as_utc(db.session.scalar(select(func.min(Item.created_at))))
    assert oldest.date() < today() - timedelta(days=600)
    summary = build_summary(ItemFilters())
    assert summary["total"] == 200
    assert summary["overdue"] > 0
    assert summary["stale"] > 0
    assert all(summary["by_status"][status] > 0 for status in wf.STATUSES)


def test_as_of_a_year_ago_is_the_replay_of_the_updates(cli):
    generate(cli, items=200)
    day = today() - timedelta(days=365)
    end = end_of_day(day)
    expected = Counter()
    grouped = updates_by_item()
    for item in db.session.scalars(select(Item).where(Item.created_at < end)):
        before = [u for u in grouped.get(item.id, []) if as_utc(u.created_at) < end]
        expected[before[-1].to_status if before else wf.NOT_STARTED] += 1
    summary = build_summary(ItemFilters(), as_of=day)
    assert {s: c for s, c in summary["by_status"].items() if c} == dict(expected)


@pytest.mark.parametrize("seed", [5, 6])
def test_a_second_run_adds_items_and_reuses_the_organisations(cli, seed):
    generate(cli, items=20)
    generate(cli, items=20, seed=seed)
    assert count(Item) == 40
    assert count(Organisation) == 50
    assert cli.invoke(args=["audit", "verify"]).exit_code == 0
