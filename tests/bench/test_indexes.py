"""The item list filtered by lead and status, overdue and sorted by due date, is one index
range (measured: from a scan of every overdue item with that status to a few rows)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from app.extensions import db
from app.items.queries import ItemFilters, list_items
from app.reports.summary import build_summary
from tests.conftest import is_postgres
from tests.factories import make_item, make_org


@pytest.mark.skipif(is_postgres(), reason="SQLite's plan; PostgreSQL plans by statistics")
def test_lead_status_overdue_list_uses_the_lead_status_due_date_index():
    lead = make_org("LEADX")
    make_item(lead=lead, due_date="2020-01-01")
    statements = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().startswith("SELECT items.") and "LIMIT" in statement:
            statements.append((statement, parameters))

    engine = db.session.get_bind().engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        filters = ItemFilters(status="not_started", lead="LEADX", overdue=True)
        page = list_items(filters, per_page=25, sort="due_date", descending=True)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert page.total == 1
    statement, parameters = statements[0]
    cursor = db.session.connection().connection.driver_connection.cursor()
    plan = cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
    details = " ".join(row[3] for row in plan)
    assert "ix_items_lead_id_status_due_date_last_update_at (lead_id=? AND status=?" in details


@pytest.mark.skipif(is_postgres(), reason="SQLite's plan; PostgreSQL plans by statistics")
def test_state_on_a_past_day_reads_lead_and_due_date_changes_through_their_partial_indexes():
    make_item(lead=make_org("LEADY"), due_date="2020-01-01")
    statements = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if "audit_events" in statement:
            statements.append((statement, parameters))

    engine = db.session.get_bind().engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        build_summary(ItemFilters(), as_of=date.today() - timedelta(days=1))
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert statements
    cursor = db.session.connection().connection.driver_connection.cursor()
    searches = []
    for statement, parameters in statements:
        plan = cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
        searches += [row[3] for row in plan if "audit_events" in row[3]]
    assert set(searches) == {
        "SEARCH audit_events USING INDEX ix_audit_events_items_lead_id_changes"
        " (record_id=? AND created_at>?)",
        "SEARCH audit_events USING INDEX ix_audit_events_items_due_date_changes"
        " (record_id=? AND created_at>?)",
    }
