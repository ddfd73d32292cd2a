"""Reports take a bounded number of SQL statements, whatever the number of items."""

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from app.core.time import today
from app.extensions import db
from app.items import services as item_services
from app.items.models import Theme
from app.items.queries import ItemFilters
from app.reports.summary import build_summary
from app.stakeholders import services as org_services
from tests.factories import SYSTEM, make_org, set_status
from tests.reports.history import at, item_created


@contextmanager
def counted():
    """Count the statements sent to the database inside the block."""
    statements: list[str] = []
    engine = db.session.get_bind().engine

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def populate(monkeypatch, n: int, start: int = 0) -> None:
    """``n`` items over four organisations and two themes, a third of them worked on."""
    orgs = (
        [make_org(f"LOAD{k}") for k in range(4)]
        if start == 0
        else [org_services.find_organisation(f"LOAD{k}") for k in range(4)]
    )
    themes = (
        [item_services.create_theme(SYSTEM, code=f"T{k}", title=f"Theme {k}") for k in range(2)]
        if start == 0
        else list(
            db.session.scalars(
                select(Theme).where(Theme.code.in_(["T0", "T1"])).order_by(Theme.code)
            )
        )
    )
    for i in range(start, start + n):
        item = item_created(
            monkeypatch,
            at("2026-06-01"),
            lead=orgs[i % 4],
            due_date=(today() - timedelta(days=i % 30)).isoformat(),
            themes=[themes[i % 2]],
        )
        if i % 3 == 0:
            set_status(item, ("in_progress", "implemented", "blocked")[i % 9 // 3])
    db.session.flush()


@pytest.mark.parametrize("as_of", [None, "yesterday"])
def test_summary_statements_do_not_grow_with_items(monkeypatch, as_of):
    day = today() - timedelta(days=1) if as_of else None
    populate(monkeypatch, 10)
    with counted() as small:
        assert build_summary(ItemFilters(), day)["total"] == 10
    populate(monkeypatch, 190, start=10)
    with counted() as large:
        assert build_summary(ItemFilters(), day)["total"] == 200
    assert len(small) == len(large) <= 3


def test_filters_add_a_constant_number_of_lookups(monkeypatch):
    populate(monkeypatch, 12)
    with counted() as statements:
        build_summary(
            ItemFilters(lead="LOAD1", theme="T1", kind="action", overdue=True, stale=False, q="x"),
            date(2026, 10, 1),
        )
    assert len(statements) <= 6


def test_report_and_exports_statements_do_not_grow_with_items(monkeypatch, tmp_path):
    from app.reports import exports
    from app.reports.exports import ExportSpec
    from app.reports.pdf import render_html
    from app.reports.report import build_report

    def run_all():
        since = ExportSpec(as_of=date(2026, 11, 1), since=date(2026, 6, 15), locale="fr")
        with counted() as statements:
            build_report(ItemFilters(), date(2026, 11, 1), since=date(2026, 6, 15))
            list(exports.csv_lines(ExportSpec()))
            list(exports.csv_lines(since))
            exports.write_xlsx(ExportSpec(), str(tmp_path / "x.xlsx"))
            exports.write_xlsx(since, str(tmp_path / "y.xlsx"))
            render_html(ExportSpec(ItemFilters(lead="LOAD1"), date(2026, 11, 1), date(2026, 6, 15)))
            render_html(ExportSpec())
        return len(statements)

    populate(monkeypatch, 10)
    small = run_all()
    populate(monkeypatch, 190, start=10)
    assert run_all() == small


def test_page_statements_do_not_grow_with_items(monkeypatch, client):
    from tests.factories import make_user
    from tests.helpers import login

    populate(monkeypatch, 10)
    login(client, make_user("viewer"))
    with counted() as small:
        assert client.get("/reports?since=2026-06-15").status_code == 200
    populate(monkeypatch, 190, start=10)
    with counted() as large:
        assert client.get("/reports?since=2026-06-15").status_code == 200
    assert len(small) == len(large)
