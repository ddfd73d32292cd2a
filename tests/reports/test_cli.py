"""``flask report``: the reports' arguments parsed as every other door parses them."""

import csv
from datetime import timedelta

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.core.time import utcnow
from app.extensions import db
from tests.api.conftest import Api, token_for
from tests.factories import make_org, make_user
from tests.helpers import login
from tests.reports.history import item_created


def _exports() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")))


def test_report_writes_the_filtered_csv_and_audits_it(cli, tmp_path, story):
    out = tmp_path / "status.csv"
    result = cli.invoke(args=["report", "--format", "csv", "--out", str(out), "--lead", "BBB"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert sorted(r["id"] for r in rows) == sorted(
        str(i.id) for i in (story["two"], story["three"])
    )
    (event,) = _exports()
    assert event.actor == "system:report"
    assert event.changes == {"format": "csv", "filters": {"lead": "BBB"}, "as_of": None}


def test_report_names_every_bad_argument_and_writes_nothing(cli, tmp_path):
    out = tmp_path / "status.csv"
    result = cli.invoke(
        args=[
            "report",
            *("--format", "csv", "--out", str(out)),
            *("--kind", "idea", "--overdue", "maybe", "--as-of", "2026-13-01"),
        ]
    )
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: kind must be one of: challenge, recommendation, action, opportunity.",
        "Error: overdue must be true or false.",
        "Error: as_of must be a date (YYYY-MM-DD).",
    ]
    assert not out.exists()
    assert _exports() == []


def test_report_since_must_come_before_as_of(cli, tmp_path):
    args = ["report", "--format", "pdf", "--out", str(tmp_path / "r.pdf")]
    result = cli.invoke(args=[*args, "--as-of", "2026-10-01", "--since", "2026-10-02"])
    assert result.exit_code == 2
    assert "Error: since must be before the report's date (2026-10-01)." in result.output


def test_report_takes_an_empty_option_as_none_given(cli, tmp_path, story):
    out = tmp_path / "status.csv"
    result = cli.invoke(
        args=["report", "--format", "csv", "--out", str(out), "--kind", "", "--as-of", ""]
    )
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 1 + 3


def test_every_door_reads_the_stale_days_setting(app, client, cli, tmp_path, monkeypatch):
    """``STALE_DAYS`` set to 10: an item untouched for 20 days is stale on every door."""
    monkeypatch.setitem(app.config, "STALE_DAYS", 10)
    lead = make_org("STALE")
    item = item_created(monkeypatch, utcnow() - timedelta(days=20), lead=lead)
    viewer = make_user("viewer", lead)
    api = Api(client, token_for(viewer))
    assert api.get(f"/items/{item.id}").get_json()["stale"] is True
    assert api.get("/items", query_string={"stale": "true"}).get_json()["total"] == 1
    assert api.get("/summary").get_json()["stale"] == 1
    web = app.test_client()
    login(web, viewer)
    assert f"/items/{item.id}" in web.get("/items?stale=1").get_data(as_text=True)
    out = tmp_path / "stale.csv"
    result = cli.invoke(args=["report", "--format", "csv", "--out", str(out), "--stale", "yes"])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 1 + 1
