"""Opportunities are items like the others: created, filtered, labelled and exported."""

import csv
import io

from flask_babel import force_locale

from app.items.labels import KIND_LABELS
from app.items.models import ITEM_KINDS
from tests.api.conftest import Api, token_for
from tests.factories import make_item, make_org, make_user
from tests.helpers import login


def test_every_item_kind_has_a_label_in_english_and_in_french(app):
    expected = {
        "challenge": ("Challenge", "Défi"),
        "recommendation": ("Recommendation", "Recommandation"),
        "action": ("Action", "Mesure"),
        "opportunity": ("Opportunity", "Opportunité"),
    }
    assert set(ITEM_KINDS) == set(expected)
    assert set(KIND_LABELS) == set(ITEM_KINDS)  # the one definition, for every page
    with app.test_request_context():
        for kind, (english, french) in expected.items():
            with force_locale("en"):
                assert str(KIND_LABELS[kind]) == english
            with force_locale("fr"):
                assert str(KIND_LABELS[kind]) == french


def test_opportunities_are_filtered_and_exported_through_every_door(client):
    org = make_org("AAA")
    make_item(lead=org, kind="opportunity", title="Security umbrella")
    make_item(lead=org, kind="challenge", title="Lack of a peace agreement")
    manager = make_user("manager", organisation=org)
    login(client, manager)

    html = client.get("/items?kind=opportunity").get_data(as_text=True)
    assert "Security umbrella" in html
    assert "Lack of a peace agreement" not in html
    assert "<td>Opportunity</td>" in html

    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/reports/status.csv?kind=opportunity")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert [(r["title"], r["kind"]) for r in rows] == [("Security umbrella", "opportunity")]

    api = Api(client, token_for(manager))
    body = api.get("/items?kind=opportunity").get_json()
    assert [(i["title"], i["kind"]) for i in body["items"]] == [
        ("Security umbrella", "opportunity")
    ]
    created = api.post(
        "/items", json={"kind": "opportunity", "title": "Better leadership", "lead_id": org.id}
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.get_json()["kind"] == "opportunity"
