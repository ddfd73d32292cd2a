"""Fixtures of the import tests: a manager, organisations, a source and themes."""

import pytest

from app.extensions import db
from app.items import services as item_services
from tests.factories import SYSTEM, make_org, make_user


@pytest.fixture
def world():
    lead, other = make_org("LEADORG"), make_org("SUPPORG")
    source = item_services.create_source(SYSTEM, key="second-report", title="Second report")
    themes = [
        item_services.create_theme(SYSTEM, code=code, title=f"Theme {code}")
        for code in ("gov", "sec", "hum")
    ]
    manager = make_user("manager", organisation=lead, email="manager@example.org")
    staff = make_user("staff", organisation=lead, email="staff@example.org")
    db.session.flush()
    return {
        "lead": lead,
        "other": other,
        "source": source,
        "themes": themes,
        "manager": manager,
        "staff": staff,
    }
