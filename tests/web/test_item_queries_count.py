"""The main item pages take a bounded number of SQL statements, whatever the data."""

from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db
from app.items import services as item_services
from tests.factories import SYSTEM, make_item, make_org, make_user, set_status
from tests.helpers import login


@contextmanager
def counted():
    """Count the statements sent to the database inside the block."""
    statements: list[str] = []
    engine = db.engine

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def _items(n, orgs, start=0):
    for i in range(start, start + n):
        item = make_item(lead=orgs[i % 3], supporting=[orgs[(i + 1) % 3]], title=f"Load {i}")
        if i % 2:
            set_status(item, "in_progress", progress=i % 100)


def test_list_and_my_work_statements_do_not_grow_with_items(client):
    orgs = [make_org(f"Q{k}") for k in range(3)]
    user = make_user("staff", organisation=orgs[0])
    _items(5, orgs)
    login(client, user)
    with counted() as small:
        assert client.get("/items").status_code == 200
    with counted() as small_mine:
        assert client.get("/my-work").status_code == 200
    _items(35, orgs, start=5)
    with counted() as large:
        html = client.get("/items").get_data(as_text=True)
    assert "40 items match." in html
    with counted() as large_mine:
        assert client.get("/my-work").status_code == 200
    assert len(small) == len(large) <= 12, large
    assert len(small_mine) == len(large_mine) <= 10, large_mine


def test_detail_statements_do_not_grow_with_history(client):
    org = make_org()
    user = make_user("manager", organisation=org)
    few, many = make_item(lead=org), make_item(lead=org)
    for item, n in ((few, 1), (many, 25)):
        set_status(item, "in_progress", progress=1)
        item_services.create_indicator(
            SYSTEM, item, name="People", baseline_value=1, target_value=10
        )
        for k in range(n):
            item_services.add_comment(user, item, f"Comment {k} on **{item.id}**")
            item_services.change_status(
                user, item, item.version, status="in_progress", progress=k + 2, note=f"note {k}"
            )
            item_services.attach_evidence(user, item, url=f"https://example.org/{k}")
            item_services.edit_item(
                user,
                item,
                item.version,
                title=f"Title {item.id} {k}",
                supporting=[make_org()] if k % 5 == 0 else list(item.supporting),
            )
            item_services.record_measurement(
                user, item.indicators[0], value=k, measured_on=f"2025-01-{k + 1:02d}"
            )
    db.session.flush()
    login(client, user)
    with counted() as small:
        assert client.get(f"/items/{few.id}").status_code == 200
    with counted() as large:
        html = client.get(f"/items/{many.id}").get_data(as_text=True)
    assert "Comment 24 on" in html
    assert "note 24" in html
    assert len(small) == len(large) <= 25, large
