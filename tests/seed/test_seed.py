"""The seed: faithful to the sources, loaded through the audited services, idempotent."""

import re
from datetime import date

from sqlalchemy import func, select

from app import audit
from app.audit.models import AuditEvent
from app.extensions import db
from app.items.models import Indicator, Item, Theme
from app.items.queries import ItemFilters
from app.reports import queries as report_queries
from app.reports.state import Moment
from app.stakeholders.services import find_organisation

FEB_28 = date(2015, 2, 28)


def seed(cli):
    result = cli.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def item(code: str) -> Item:
    return db.session.scalar(select(Item).where(Item.code == code))


def indicator(code: str) -> Indicator:
    return db.session.scalar(select(Indicator).where(Indicator.code == code))


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


def test_qualified_headcounts_keep_their_qualifier_beside_the_number(cli):
    """“It is estimated to employ over 6,000 individuals, 700 of whom are women”; “As of
    2015, it is estimated that the gendarmerie counts 4,000 individuals, 100 of whom are
    women”; the same for the National Guard's 3,000."""
    seed(cli)
    expected = {
        "NP": ("over 6,000 (estimated)", "700 (estimated)"),
        "GEND": ("4,000 (estimated, as of 2015)", "100 (estimated, as of 2015)"),
        "NG": ("3,000 (estimated, as of 2015)", "100 (estimated, as of 2015)"),
    }
    for acronym, (headcount, women) in expected.items():
        facts = find_organisation(acronym).facts
        assert (facts["headcount"], facts["women"]) == (headcount, women), acronym
        assert not any(isinstance(v, int | float) for v in facts.values()), acronym


def test_the_fatalities_indicator_has_no_target_and_no_progress(cli):
    seed(cli)
    fatalities = indicator("IND-FATALITIES")
    assert (fatalities.target_value, fatalities.target_date) == (None, None)
    assert (fatalities.baseline_value, fatalities.baseline_date) == (46, FEB_28)
    rows = report_queries.indicators(ItemFilters(), Moment.at(date(2026, 11, 30)), 60)
    [row] = [r for r in rows if r["code"] == "IND-FATALITIES"]
    assert (row["value"], row["share"]) == (46, None)  # no "0 %" of the way to a target


def test_the_ocha_representatives_words_are_theirs(cli):
    """The brief quotes an OCHA representative (footnote 24) from “…the humanitarian
    community in Mali generally finds it problematic” to “working alongside MINUSMA”."""
    seed(cli)
    text = item("C8").text
    speaker = (
        "As a representative of the UN Office for the Coordination of Humanitarian Affairs "
        "(OCHA) observed (interview, Bamako, May 2014): ‘…the humanitarian community in Mali"
    )
    assert speaker in text
    quotation = text[text.index(speaker) :]
    assert quotation.endswith("the risks of working alongside MINUSMA.’")
    before = text[: text.index(speaker)]
    for words in ("armed escorts", "no weapon policy", "neutral and impartial", "own staff"):
        assert words not in before, words
        assert words in quotation, words

    description = find_organisation("HUMCOM").description
    speaker = "According to a representative of OCHA interviewed for the brief,"
    assert speaker in description
    before = description[: description.index(speaker)]
    for words in ("armed escorts", "no weapon policy", "own staff"):
        assert words not in before, words


def test_imrap_is_described_to_the_end_of_the_sources_sentence(cli):
    seed(cli)
    assert find_organisation("IMRAP").description.endswith(
        "l’enracinement du dialogue inclusif comme mécanisme permettant de faire face ensemble "
        "aux défis à la paix et de construire une paix durable et rétablir la confiance entre "
        "les maliens demande un engagement à long terme."
    )


# The mandate tasks each item's text speaks of (seed/README.md quotes the words).
THEMES = {
    "C1": {"2227-g", "2227-d", "2227-d-ii"},
    "C2": {"2227-b", "2227-c"},
    "C3": {"2227-d", "2227-d-i", "2227-c"},
    "C4": {"2227-c", "2227-b-ii"},
    "C5": set(),
    "C6": {"2227-g"},
    "C7": {"2227-d-ii"},
    "C8": {"2227-f", "2227-f-i"},
    "R1": {"2227-b", "2227-c", "2227-g"},
    "R2": set(),
    "R3": {"2227-c", "2227-b-ii"},
    "R4": {"2227-c", "2227-d", "2227-d-ii"},
    "R5": set(),
    "R6": set(),
    "R7": {"2227-b-ii"},
    "R8": {"2227-b-ii"},
    "R9": set(),
    "R10": set(),
    "O1": {"2227-b", "2227-c", "2227-d-ii"},
    "O2": set(),
    "O3": {"2227-c"},
    "O4": {"2227-c", "2227-b-ii"},
    "O5": set(),
}


def test_internal_management_items_have_no_mandate_theme(cli):
    seed(cli)
    for code in ("C5", "R6", "R9"):
        assert item(code).themes == [], code


def test_each_items_themes_are_the_ones_its_text_supports(cli):
    seed(cli)
    seeded = {i.code: {t.code for t in i.themes} for i in db.session.scalars(select(Item))}
    assert seeded == THEMES


# The pages of NUPI Policy Brief 19 · 2015 each item's section cites.
PAGES = {
    "C1": {"2", "4"},
    "C2": {"1", "2", "4"},
    "C3": {"3", "4"},
    "C4": {"3", "4"},
    "C5": {"3", "4"},
    "C6": {"2", "4"},
    "C7": {"2", "4"},
    "C8": {"3"},
    **{f"R{n}": {"4"} for n in range(1, 11)},
    **{f"O{n}": {"4"} for n in range(1, 6)},
}


def test_every_citation_of_the_brief_names_its_page(cli):
    seed(cli)
    for i in db.session.scalars(select(Item)):
        assert i.source.key == "nupi-pb-19-2015", i.code
        assert set(re.findall(r"\bp\. (\d)\b", i.source_section)) == PAGES[i.code], i.code


def test_the_briefs_five_opportunities_each_cite_section_and_page(cli):
    seed(cli)
    opportunities = db.session.scalars(
        select(Item).where(Item.kind == "opportunity").order_by(Item.code)
    ).all()
    words = [
        "the creation of a security umbrella that would enable negotiations to take place in "
        "order to reach a peace agreement",
        "better leadership",
        "trust-building initiatives with the Malian population",
        "improved collaboration with the Malian government and security forces",
        "better preparation, training and guidance of its staff",
    ]
    addresses = [["C1", "C2"], ["C5"], ["C3"], ["C4"], ["C5"]]
    assert [o.code for o in opportunities] == ["O1", "O2", "O3", "O4", "O5"]
    for n, (opportunity, phrase, addressed) in enumerate(
        zip(opportunities, words, addresses, strict=True), 1
    ):
        assert opportunity.text.startswith("The mission’s main opportunities lie in the creation")
        assert f"of these five opportunities: {phrase}." in opportunity.text
        assert opportunity.source_section.startswith(
            f"Opportunities and Recommendations, p. 4 (the mission’s main opportunities, {n} of 5)"
        )
        assert [c.code for c in opportunity.addresses] == addressed
        assert opportunity.lead.acronym == "MINUSMA"


def test_the_indicators_the_briefs_other_figures_support(cli):
    """“an authorized strength of 12,640 uniformed personnel … on 28 February 2015 … only 8,831
    military personnel, 1,052 police and approximately 1,000 local and international civilian
    personnel deployed”; “As of February 2015 … over 100 Blue Helmets had been wounded”."""
    seed(cli)
    expected = {
        # code: (item, unit, baseline, target, measurements)
        "IND-UNIFORMED-STRENGTH": ("C6", "personnel", 8831 + 1052, 12640),
        "IND-CIV-STRENGTH": ("C6", "personnel, approximate", 1000, None),
        "IND-WOUNDED": ("C1", "wounded, lower bound", 100, None),
    }
    for code, (on, unit, baseline, target) in expected.items():
        ind = indicator(code)
        assert (ind.item.code, ind.unit) == (on, unit), code
        assert (ind.baseline_value, ind.baseline_date) == (baseline, FEB_28), code
        assert (ind.target_value, ind.target_date) == (target, None), code
        assert [(m.measured_on, m.value) for m in ind.measurements] == [(FEB_28, baseline)]
        assert "p. 2" in ind.measurements[0].note, code


def test_the_earlier_strength_indicators_keep_the_briefs_figures(cli):
    seed(cli)
    military, police = indicator("IND-MIL-STRENGTH"), indicator("IND-POL-STRENGTH")
    assert (military.baseline_value, military.target_value) == (8831, 11200)
    assert (police.baseline_value, police.target_value) == (1052, 1440)
    assert military.baseline_date == FEB_28


def test_readers_of_the_peace_agreement_items_learn_it_was_signed_by_resolution_2227(cli):
    seed(cli)
    note = (
        "By the time of resolution 2227 (29 June 2015) the peace agreement had been signed: "
        "the resolution asks MINUSMA to support “the implementation of the Agreement on Peace "
        "and Reconciliation in Mali”"
    )
    for code in ("C2", "R1", "O1"):
        assert "\n\nNote (resolution 2227, not the brief): " + note in item(code).text, code
        assert "note from resolution 2227" in item(code).source_section, code
    assert "the Agreement on Peace and Reconciliation in Mali had been signed" in (
        find_organisation("CMA").description
    )


def test_challenges_recommendations_opportunities_and_their_links(cli):
    seed(cli)
    by_kind = {
        kind: db.session.scalars(select(Item).where(Item.kind == kind)).all()
        for kind in ("challenge", "recommendation", "opportunity")
    }
    assert {k: len(v) for k, v in by_kind.items()} == {
        "challenge": 8,
        "recommendation": 10,
        "opportunity": 5,
    }
    for addressing in (*by_kind["recommendation"], *by_kind["opportunity"]):
        assert addressing.addresses, addressing.code
        assert all(c.kind == "challenge" for c in addressing.addresses), addressing.code
    for challenge in by_kind["challenge"]:
        assert challenge.addressed_by, challenge.code
    for i in db.session.scalars(select(Item)):
        assert i.lead is not None, i.code
        assert i.source is not None, i.code
        assert i.source_section, i.code
        assert i.status == "not_started"
        assert i.version >= 1


def test_resolution_2227_themes_a_to_h(cli):
    seed(cli)
    codes = set(db.session.scalars(select(Theme.code)))
    assert {f"2227-{letter}" for letter in "abcdefgh"} <= codes
    assert any(code.count("-") == 2 for code in codes)  # sub-tasks such as 2227-b-ii


def test_seed_is_audited_and_a_second_run_writes_nothing(cli):
    first = seed(cli)
    events = count(AuditEvent)
    assert events > count(Item)
    assert "created" in first.output
    second = seed(cli)
    assert second.output.strip() == "Seed: nothing to change, the database already holds the seed."
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
    r1 = item("R1")
    services.edit_item(
        SYSTEM,
        r1,
        r1.version,
        title="Renamed by a manager",
        lead=find_organisation("EUTM Mali"),
    )
    db.session.commit()
    events = count(AuditEvent)
    result = seed(cli)
    r1 = item("R1")
    assert r1.title == "Renamed by a manager"
    assert r1.lead.acronym == "EUTM Mali"
    assert count(AuditEvent) == events
    assert result.output.splitlines() == [
        "Seed: nothing to change.",
        "Kept as people changed them (the seed differs): R1 title, R1 lead.",
    ]
