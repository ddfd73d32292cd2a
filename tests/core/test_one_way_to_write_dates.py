"""One way to write dates and times per language (issue 13, point 6): every template, export,
mail and message goes through app/core/display.py; "Last update" is the last status update
("never" when none); an item never updated is stale from its creation, and says so; the
version number is never shown."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from flask_babel import force_locale

from app.core.display import show_date, show_datetime, show_size
from app.extensions import db
from tests.factories import make_item, make_org, make_user, set_status
from tests.helpers import login

APP = Path(__file__).resolve().parents[2] / "app"
# Machine formats (ISO 8601 for programs, RFC 5322 for mail headers) stay where they are.
MACHINE = {
    "audit/chain.py",
    "audit/checkpoint.py",
    "backup/codec.py",
    "backup/operations.py",
    "mail/sending.py",
}


def test_dates_and_times_read_one_way_in_each_language(app):
    day, moment = date(2026, 11, 30), datetime(2026, 11, 30, 6, 20, tzinfo=UTC)
    with app.test_request_context(), force_locale("en"):
        assert show_date(day) == "30 Nov 2026"
        assert show_datetime(moment) == "30 Nov 2026, 06:20 UTC"
        assert show_size(12_300) == "12 KB"
    with app.test_request_context(), force_locale("fr"):
        assert show_date(day) == "30 nov. 2026"
        assert show_datetime(moment) == "30 nov. 2026, 06:20 UTC"
        assert show_size(3 * 1024 * 1024) == "3 Mo"


def test_no_other_date_formatting_in_the_code_or_the_templates():
    offenders = []
    for path in APP.rglob("*.py"):
        name = path.relative_to(APP).as_posix()
        if name == "core/display.py" or name in MACHINE or name.startswith("bench/"):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bformat_(date|datetime|time)\b|\.strftime\(", text):
            offenders.append(name)
    for path in (APP / "templates").rglob("*"):
        if path.is_file() and re.search(r"\|(date|datetime)\(", path.read_text("utf-8")):
            offenders.append(path.relative_to(APP).as_posix())
    assert offenders == [], "format dates with app.core.display (|date, |datetime)"


def test_last_update_is_the_last_status_update_or_never(client):
    org = make_org()
    item = make_item(lead=org, title="Quiet")
    login(client, make_user("viewer", org))
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    facts = html.split('id="last-update"')[1].split("</dd>")[0]
    assert "never" in facts
    assert "Version" not in html
    set_status(item, "in_progress")
    db.session.commit()
    facts = client.get(f"/items/{item.id}").get_data(as_text=True).split('id="last-update"')[1]
    assert "never" not in facts.split("</dd>")[0]
    assert " UTC" in facts.split("</dd>")[0]


def test_an_item_never_updated_is_stale_from_its_creation_and_the_summary_says_so(client):
    org = make_org()
    item = make_item(lead=org, title="Forgotten")
    old = datetime.now(UTC) - timedelta(days=90)
    item.created_at = item.last_update_at = old
    db.session.commit()
    login(client, make_user("viewer", org))
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "(stale: created" in page
    reports = client.get("/reports").get_data(as_text=True)
    assert "an item never updated counts from its creation" in reports
    assert "never updated since its creation on" in reports
