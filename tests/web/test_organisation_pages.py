"""Organisations for everyone (issue 13, point 10): a page per organisation, readable by
every logged-in user, with its profile facts, parent and children, and the items it leads
and supports with their status, in a bounded number of statements."""

import pytest

from app.extensions import db
from tests.factories import make_item, make_org, make_user, set_status
from tests.helpers import login
from tests.web.test_item_queries_count import counted


def _world():
    ministry = make_org("MSIPC", name="Ministry of Internal Security", kind="ministry")
    police = make_org(
        "PN",
        name="National Police",
        kind="security_force",
        parent=ministry,
        description="The police of Mali.",
        facts={"headcount": "estimated to employ over 6,000", "women": 1200},
    )
    led = make_item(lead=police, code="R2", title="Train the police")
    set_status(led, "in_progress")
    supported = make_item(lead=ministry, code="R10", title="Reform", supporting=[police])
    db.session.commit()
    return ministry, police, led, supported


@pytest.mark.parametrize("role", ["viewer", "staff", "manager", "admin"])
def test_every_user_reads_an_organisations_page(client, role):
    ministry, police, _led, _supported = _world()
    login(client, make_user(role))
    html = client.get(f"/organisations/{police.id}").get_data(as_text=True)
    assert "National Police" in html
    assert "The police of Mali." in html
    assert "estimated to employ over 6,000" in html  # the qualifier stays with the number
    assert "1,200" in html
    assert f'href="/organisations/{ministry.id}"' in html  # its parent
    assert "R2 Train the police" in html
    assert "In progress" in html
    assert "R10 Reform" in html  # supported
    assert ("Edit (admin)" in html) == (role == "admin")
    listing = client.get("/organisations").get_data(as_text=True)
    assert f'href="/organisations/{police.id}"' in listing


def test_the_item_page_and_the_admin_page_link_to_it(client):
    _ministry, police, _led, supported = _world()
    login(client, make_user("admin"))
    item_page = client.get(f"/items/{supported.id}").get_data(as_text=True)
    assert f'href="/organisations/{police.id}"' in item_page
    admin_page = client.get(f"/admin/organisations/{police.id}").get_data(as_text=True)
    assert f'href="/organisations/{police.id}"' in admin_page


def test_an_organisations_page_takes_the_same_statements_whatever_its_items(client):
    _ministry, police, _led, _supported = _world()
    login(client, make_user("viewer"))
    with counted() as few:
        client.get(f"/organisations/{police.id}")
    for n in range(15):
        make_item(lead=police, title=f"More {n}", supporting=[make_org()])
    db.session.commit()
    with counted() as many:
        client.get(f"/organisations/{police.id}")

    def reads(statements):
        return [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE"))]

    assert len(reads(few)) == len(reads(many)) <= 10


@pytest.mark.parametrize(
    ("language", "named", "not_named"),
    [("en", ("Headcount", "Women"), ("Effectif",)), ("fr", ("Effectif", "Femmes"), ("Headcount",))],
)
def test_profile_facts_are_named_in_the_readers_language(client, language, named, not_named):
    _ministry, police, _led, _supported = _world()
    login(client, make_user("viewer", language=language))
    html = client.get(f"/organisations/{police.id}").get_data(as_text=True)
    assert all(f"<dt>{label}</dt>" in html for label in named)
    assert not any(label in html for label in not_named)
