"""The admin's organisation screens: the tree, create, edit, no cycles."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.stakeholders.models import Organisation
from tests.factories import make_org
from tests.helpers import form_post


def test_organisations_are_listed_as_a_tree(client, admin):
    ministry = make_org("MSIPC", name="Ministry of Internal Security", kind="ministry")
    make_org("PN", name="National Police", kind="security_force", parent=ministry)
    make_org("AAA", name="Aardvark Association")
    html = client.get("/admin/organisations").get_data(as_text=True)
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    names = [re.sub(r"<[^>]+>", "", row).split()[0:3] for row in rows]
    flat = [" ".join(n) for n in names]
    ministry_row = next(i for i, n in enumerate(flat) if "Ministry" in n)
    police_row = next(i for i, n in enumerate(flat) if "National" in n)
    assert police_row == ministry_row + 1  # the child right under its parent
    assert "Security force" in html
    assert "MSIPC" in html


def test_admin_creates_an_organisation_under_a_parent(client, admin):
    parent = make_org("MDAC", kind="ministry")
    response = form_post(
        client,
        "/admin/organisations",
        {
            "name": "Garde nationale",
            "acronym": "GN",
            "kind": "security_force",
            "parent_id": str(parent.id),
            "description": "Under the ministry.",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    org = db.session.scalar(select(Organisation).where(Organisation.acronym == "GN"))
    assert org.parent_id == parent.id
    assert org.kind == "security_force"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"acronym": "TAKEN"}, "acronym"),
        ({"acronym": ""}, "acronym"),
        ({"name": ""}, "name"),
        ({"kind": "club"}, "kind"),
        ({"parent_id": "999999"}, "parent_id"),
    ],
)
def test_create_organisation_refuses_bad_input(client, admin, data, field):
    make_org("TAKEN")
    form = {
        "name": "New org",
        "acronym": "NEW",
        "kind": "other",
        "parent_id": "",
        "description": "",
        **data,
    }
    response = form_post(client, "/admin/organisations", form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert f'value="{form["name"]}"' in html


def test_edit_organisation_and_see_its_facts(client, admin):
    org = make_org(
        "MINUSMA",
        name="Mission",
        kind="un_mission",
        facts={"authorised_military": 11200, "headquarters": "Bamako"},
    )
    html = client.get(f"/admin/organisations/{org.id}").get_data(as_text=True)
    assert "Authorised military" in html
    assert "11,200" in html
    assert "Bamako" in html
    response = form_post(
        client,
        f"/admin/organisations/{org.id}",
        {
            "name": "Mission multidimensionnelle",
            "acronym": "MINUSMA",
            "kind": "un_mission",
            "parent_id": "",
            "description": "Established in 2013.",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    org = db.session.get(Organisation, org.id)
    assert org.name == "Mission multidimensionnelle"
    assert org.description == "Established in 2013."
    assert org.facts["authorised_military"] == 11200  # facts are kept


def test_an_organisation_cannot_sit_under_its_own_child(client, admin):
    parent = make_org("P")
    child = make_org("C", parent=parent)
    response = form_post(
        client,
        f"/admin/organisations/{parent.id}",
        {
            "name": "P",
            "acronym": "P",
            "kind": "other",
            "parent_id": str(child.id),
            "description": "",
        },
    )
    assert response.status_code == 422
    assert 'id="parent_id-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organisation, parent.id).parent_id is None
