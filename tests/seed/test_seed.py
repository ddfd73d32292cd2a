"""The seed: faithful to the sources, loaded through the audited services, idempotent."""

from sqlalchemy import func, select

from app import audit
from app.audit.models import AuditEvent
from app.extensions import db
from app.items.models import Indicator, Item, Theme
from app.stakeholders.services import find_organisation


def seed(cli):
    result = cli.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def ancestors(acronym: str) -> list[str]:
    org, names = find_organisation(acronym), []
    while org.parent is not None:
        org = org.parent
        names.append(org.acronym)
    return names


def test_every_organisation_the_spec_names_is_seeded(cli):
    seed(cli)
    for acronym in (
        "MINUSMA",
        "EUTM Mali",
        "EUCAP Sahel Mali",
        "IMRAP",
        "MoI",
        "NP",
        "JP",
        "GEND",
        "NG",
        "MoAF",
        "TCC",
        "PCC",
        "DPKO",
        "OCHA",
        "HUMCOM",
    ):
        assert find_organisation(acronym) is not None, acronym


def test_the_security_forces_sit_under_the_ministry_of_internal_security(cli):
    seed(cli)
    for acronym in ("NP", "JP", "GEND", "NG"):
        assert "MoI" in ancestors(acronym), acronym


def test_profile_facts_come_from_the_source(cli):
    seed(cli)
    assert find_organisation("NP").facts["headcount"] == 6000
    assert find_organisation("GEND").facts["women"] == 100


def test_challenges_recommendations_and_their_links(cli):
    seed(cli)
    challenges = db.session.scalars(select(Item).where(Item.kind == "challenge")).all()
    recommendations = db.session.scalars(select(Item).where(Item.kind == "recommendation")).all()
    assert len(challenges) == 8 and len(recommendations) == 10
    for rec in recommendations:
        assert rec.addresses and all(c.kind == "challenge" for c in rec.addresses), rec.code
        assert rec.lead is not None and rec.themes, rec.code
    for challenge in challenges:
        assert challenge.addressed_by, challenge.code
    for item in (*challenges, *recommendations):
        assert item.source is not None and item.source_section, item.code
        assert item.status == "not_started" and item.version >= 1


def test_resolution_2227_themes_a_to_h(cli):
    seed(cli)
    codes = set(db.session.scalars(select(Theme.code)))
    assert {f"2227-{letter}" for letter in "abcdefgh"} <= codes
    assert any(code.count("-") == 2 for code in codes)  # sub-tasks such as 2227-b-ii


def test_indicators_carry_the_briefs_figures(cli):
    seed(cli)
    by_code = {i.code: i for i in db.session.scalars(select(Indicator))}
    military, police = by_code["IND-MIL-STRENGTH"], by_code["IND-POL-STRENGTH"]
    assert (military.baseline_value, military.target_value) == (8831, 11200)
    assert (police.baseline_value, police.target_value) == (1052, 1440)
    assert str(military.baseline_date) == "2015-02-28"
    assert by_code["IND-FATALITIES"].baseline_value == 46
    assert all(i.measurements for i in by_code.values())


def test_seed_is_audited_and_a_second_run_writes_nothing(cli):
    first = seed(cli)
    events = count(AuditEvent)
    assert events > count(Item)
    assert "created" in first.output
    second = seed(cli)
    assert "nothing to change" in second.output
    assert count(AuditEvent) == events
    assert audit.verify_chain(db.session.connection()).ok
    actors = set(db.session.scalars(select(AuditEvent.actor)))
    assert actors == {"system:seed"}


def test_demo_users_one_per_role(cli):
    seed(cli)
    result = cli.invoke(args=["demo-users"])
    assert result.exit_code == 0, result.output
    for role in ("viewer", "staff", "manager", "admin"):
        assert role in result.output


def test_a_second_run_keeps_what_people_changed_in_suivi(cli):
    from app.items import services
    from tests.factories import SYSTEM

    seed(cli)
    item = db.session.scalar(select(Item).where(Item.code == "R1"))
    services.edit_item(
        SYSTEM,
        item,
        item.version,
        title="Renamed by a manager",
        lead=find_organisation("EUTM Mali"),
    )
    db.session.commit()
    seed(cli)
    assert item.title == "Renamed by a manager" and item.lead.acronym == "EUTM Mali"
