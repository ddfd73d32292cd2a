"""Reporting rounds: the scope taken when a round opens, who has reported, and the report
frozen when it closes, downloaded later byte for byte."""

import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.core.errors import PermissionDenied, ValidationError
from app.core.time import today
from app.extensions import db
from app.items import services as item_services
from app.rounds import queries, services
from app.rounds.models import RoundReport
from tests.factories import make_item, make_org, make_user, set_status
from tests.helpers import form_post, login


@pytest.fixture
def world():
    a, b, c = make_org("RA"), make_org("RB"), make_org("RC")
    w = {
        "a": a,
        "b": b,
        "manager": make_user("manager", organisation=c),
        "staff_a": make_user("staff", organisation=a),
        "staff_b": make_user("staff", organisation=b),
        "a1": make_item(lead=a, title="A one", supporting=[b]),
        "a2": make_item(lead=a, title="A two"),
        "b1": make_item(lead=b, title="B one"),
        "done": make_item(lead=b, title="B done"),
        "action": make_item(lead=a, title="An action", kind="action"),
    }
    set_status(w["done"], "no_longer_relevant")
    return w


def _open(world, **filters):
    return services.open_round(
        world["manager"],
        title="Q4 2026 report to the Security Council",
        opens_on=today().isoformat(),
        due_on=(today() + timedelta(days=10)).isoformat(),
        filters={"kind": "recommendation", **filters},
    )


def test_a_round_takes_the_open_items_matching_the_filters(world):
    rnd = _open(world)
    leads = {lead.acronym: [i.title for i in lead.items] for lead in queries.round_progress(rnd)}
    assert leads == {"RA": ["A one", "A two"], "RB": ["B one"]}
    assert rnd.filters == {"kind": "recommendation"}
    assert rnd.state(today()) == "open"


def test_only_an_update_from_the_lead_in_the_window_counts(world):
    set_status(world["a1"], "in_progress")  # by the system: no organisation's report
    rnd = _open(world)
    a1 = world["a1"]  # a supporter posts progress (it may not change the status)
    item_services.change_status(world["staff_b"], a1, a1.version, status="in_progress", progress=9)
    item_services.change_status(world["staff_a"], world["a2"], 1, status="in_progress", progress=5)
    progress = {lead.acronym: lead for lead in queries.round_progress(rnd)}
    assert (progress["RA"].expected, progress["RA"].reported) == (2, 1)
    assert [i.title for i in progress["RA"].missing] == ["A one"]  # a supporter's update
    assert (progress["RB"].expected, progress["RB"].reported) == (1, 0)
    [rnd_row] = [r for r in queries.list_rounds() if r[0].id == rnd.id]
    assert rnd_row[1:] == (3, 1)


def test_missing_items_of_an_organisation(world):
    rnd = _open(world)
    item_services.change_status(world["staff_a"], world["a2"], 1, status="in_progress")
    missing = queries.missing_items(world["a"].id, today())
    assert [(r.id, i.title) for r, i in missing] == [(rnd.id, "A one")]
    assert queries.missing_items(world["a"].id, today(), near_days=5) == []
    assert len(queries.missing_items(None, today(), near_days=10)) == 2


def test_opening_is_for_managers_with_sound_dates_and_a_scope(world):
    with pytest.raises(PermissionDenied):
        services.open_round(
            world["staff_a"], title="x", opens_on="2026-12-01", due_on="2026-12-31", filters={}
        )
    with pytest.raises(ValidationError) as exc:
        services.open_round(
            world["manager"], title="", opens_on="2026-12-31", due_on="soon", filters={}
        )
    assert set(exc.value.fields) == {"title", "due_on"}
    with pytest.raises(ValidationError, match="must not come before"):
        services.open_round(
            world["manager"], title="x", opens_on="2026-12-31", due_on="2026-12-01", filters={}
        )
    with pytest.raises(ValidationError, match="round would be empty"):
        _open(world, q="nothing matches this")
    with pytest.raises(ValidationError, match="kind must be one of"):
        _open(world, kind="wish")


def test_closing_freezes_the_report_and_it_downloads_unchanged_later(app, client, world):
    rnd = _open(world)
    item_services.change_status(world["staff_a"], world["a2"], 1, status="in_progress")
    reports = services.close_round(world["manager"], rnd)
    db.session.commit()
    assert [r.format for r in reports] == ["json", "csv", "xlsx", "pdf"]
    stored = {r.format: (r.content, r.sha256) for r in reports}
    summary = json.loads(stored["json"][0])
    assert (summary["expected"], summary["reported"]) == (3, 1)
    assert summary["by_lead"][0] == {
        "organisation": {"id": world["a"].id, "acronym": "RA"},
        "expected": 2,
        "reported": 1,
        "missing": [world["a1"].id],
    }
    assert stored["pdf"][0].startswith(b"%PDF")
    assert "A one" in stored["csv"][0].decode("utf-8")
    # Later changes do not touch the frozen files.
    item_services.edit_item(world["manager"], world["a1"], world["a1"].version, title="Renamed")
    db.session.commit()
    login(client, world["staff_b"])
    for fmt, (content, digest) in stored.items():
        response = client.get(f"/rounds/{rnd.id}/report.{fmt}")
        assert response.status_code == 200
        assert response.data == content
        assert hashlib.sha256(response.data).hexdigest() == digest
        assert response.headers["ETag"] == f'"{digest}"'
    with pytest.raises(ValidationError, match="already closed"):
        services.close_round(world["manager"], rnd)
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_type == "round_reports")
    ).all()
    assert len(events) == 4
    assert "content" not in events[0].changes
    assert events[0].changes["sha256"] == stored["json"][1]


def test_the_pages_open_show_and_close_a_round(client, world):
    db.session.commit()
    login(client, world["manager"])
    due = (today() + timedelta(days=10)).isoformat()
    refused = form_post(
        client,
        "/rounds",
        {"title": "", "opens_on": today().isoformat(), "due_on": due, "kind": "recommendation"},
    )
    assert refused.status_code == 422
    assert "Title is required." in refused.get_data(as_text=True)
    response = form_post(
        client,
        "/rounds",
        {
            "title": "Donor meeting",
            "opens_on": today().isoformat(),
            "due_on": due,
            "kind": "recommendation",
            "lead": "RA",
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "0 of 2 items reported." in page
    assert f'href="/items/{world["a1"].id}"' in page
    round_id = int(response.headers["Location"].rsplit("/", 1)[1])
    closed = form_post(client, f"/rounds/{round_id}/close", {}, f"/rounds/{round_id}")
    assert closed.status_code == 302
    page = client.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "Frozen report" in page
    assert f"/rounds/{round_id}/report.pdf" in page
    assert client.get(f"/rounds/{round_id}/report.doc").status_code == 404
    listing = client.get("/rounds").get_data(as_text=True)
    assert "Donor meeting" in listing


def test_staff_see_the_rounds_but_may_not_open_or_close_them(client, world):
    rnd = _open(world)
    db.session.commit()
    login(client, world["staff_a"])
    assert client.get("/rounds").status_code == 200
    assert "Open a round" not in client.get("/rounds").get_data(as_text=True)
    assert form_post(client, "/rounds", {"title": "x"}, "/rounds").status_code == 403
    closing = form_post(client, f"/rounds/{rnd.id}/close", {}, f"/rounds/{rnd.id}")
    assert closing.status_code == 403
    assert db.session.scalars(select(RoundReport)).all() == []


def test_my_work_lists_the_items_the_organisation_owes_a_round(client, world):
    rnd = _open(world)
    item_services.change_status(world["staff_a"], world["a2"], 1, status="in_progress")
    db.session.commit()
    login(client, world["staff_a"])
    page = client.get("/my-work").get_data(as_text=True)
    assert "To report in open rounds" in page
    assert f'href="/items/{world["a1"].id}">#{world["a1"].id} A one</a>' in page
    assert f'href="/rounds/{rnd.id}"' in page
    assert page.count(f'— <a href="/rounds/{rnd.id}"') == 1  # A two is reported


def test_the_round_pages_and_the_api_take_the_same_statements_for_3_or_30_items(client):
    from tests.api.conftest import Api, token_for
    from tests.web.test_item_queries_count import counted

    orgs = [make_org(f"S{k}") for k in range(3)]
    manager = make_user("manager", organisation=orgs[0])
    staff = make_user("staff", organisation=orgs[0])
    api = Api(client, token_for(manager))

    def measure(n: int) -> list[int]:
        items = [make_item(lead=orgs[i % 3], title=f"Counted {i}") for i in range(n)]
        rnd = services.open_round(
            manager, title=f"R{n}", opens_on=today(), due_on=today(), filters={"q": "Counted"}
        )
        for item in items[::3]:  # led by the staff's organisation
            item_services.change_status(staff, item, item.version, status="in_progress")
        db.session.commit()
        counts = []
        for path in (f"/rounds/{rnd.id}", "/rounds", "/my-work"):
            with counted() as statements:
                assert client.get(path).status_code == 200
            counts.append(len(statements))
        with counted() as statements:
            assert api.get(f"/rounds/{rnd.id}").status_code == 200
        counts.append(len(statements))
        return counts

    login(client, staff)
    assert api.get("/me").status_code == 200  # the token's first use is written once
    few = measure(3)
    assert measure(30) == few
