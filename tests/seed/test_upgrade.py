"""A database seeded before the seed's corrections gets them on ``flask seed``, except where
people have changed the record since; the audit trail tells which fields are theirs."""

import os

import yaml
from sqlalchemy import func, select

from app import audit
from app.audit.models import AuditEvent
from app.extensions import db
from app.items import services as item_services
from app.items.models import Indicator, Item, Theme
from app.stakeholders import services as org_services
from app.stakeholders.services import find_organisation
from seed.loader import SEED_ACTOR, changed_by_others, load_seed
from tests.factories import make_user

OLD_C8 = (
    "The increasing number of attacks by insurgents in Mali has brought greater risks for the "
    "humanitarian community, and casualties among NGO staff. Parts of the humanitarian "
    "community are very hesitant when it comes to collaborating with MINUSMA. Besides their "
    "principle of remaining neutral and impartial actors, the humanitarian community does not "
    "want their own staff to be exposed to the risks of working alongside MINUSMA."
)
OLD_IMRAP_END = "de faire face ensemble aux défis à la paix et de construire une paix durable."


def write_first_seed(app, path) -> str:
    """The seed as it was first published: the fatalities target of 0, themes on internal
    items, C8 speaking the OCHA representative's words, IMRAP cut short, bare headcounts, and
    neither opportunities nor the later indicators."""
    seed_dir = app.config["SEED_DIR"]
    for name in ("sources", "organisations", "themes"):
        with open(os.path.join(seed_dir, f"{name}.yaml"), encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        if name == "organisations":
            by = {o["acronym"]: o for o in data["organisations"]}
            imrap = by["IMRAP"]["description"]
            by["IMRAP"]["description"] = imrap[: imrap.index("de faire face")] + OLD_IMRAP_END
            by["NP"]["facts"] = {"headcount": 6000, "women": 700}
        with open(os.path.join(path, f"{name}.yaml"), "w", encoding="utf-8") as handle:
            yaml.safe_dump(data, handle, allow_unicode=True)
    with open(os.path.join(seed_dir, "items.yaml"), encoding="utf-8") as handle:
        items = [i for i in yaml.safe_load(handle)["items"] if i["kind"] != "opportunity"]
    by = {i["code"]: i for i in items}
    by["C5"]["themes"] = ["2227-g", "2227-c"]
    by["R6"]["themes"] = ["2227-c", "2227-b-ii"]
    by["R9"]["themes"] = ["2227-c"]
    by["C8"]["text"] = OLD_C8
    by["C1"]["section"] = "Opportunities and Recommendations (list of challenges, 1)"
    [fatalities] = [i for i in by["C1"]["indicators"] if i["code"] == "IND-FATALITIES"]
    fatalities["target"] = {"value": 0, "date": None}
    by["C1"]["indicators"] = [fatalities]
    by["C6"]["indicators"] = by["C6"]["indicators"][:2]  # military and police only
    with open(os.path.join(path, "items.yaml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump({"items": items}, handle, allow_unicode=True)
    return str(path)


def events() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def item(code: str) -> Item:
    return db.session.scalar(select(Item).where(Item.code == code))


def test_the_first_seed_is_corrected_and_what_people_changed_is_kept(app, cli, tmp_path):
    load_seed(write_first_seed(app, tmp_path))
    db.session.commit()
    fatalities = db.session.scalar(select(Indicator).where(Indicator.code == "IND-FATALITIES"))
    assert fatalities.target_value == 0
    assert item("O1") is None

    # People work in Suivi: a manager links R9 to task (g) too, an admin rewrites NP's text.
    manager, admin = make_user("manager"), make_user("admin")
    r9 = item("R9")
    themes = [db.session.scalar(select(Theme).where(Theme.code == c)) for c in ("2227-c", "2227-g")]
    item_services.edit_item(manager, r9, r9.version, themes=themes)
    org_services.update_organisation(admin, find_organisation("NP"), description="Our own text.")
    db.session.commit()
    assert changed_by_others("items", r9.id) == {"themes", "version"}

    result = cli.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()

    # The corrections reach what only the seed had written ...
    fatalities = db.session.scalar(select(Indicator).where(Indicator.code == "IND-FATALITIES"))
    assert (fatalities.target_value, fatalities.target_date) == (None, None)
    assert item("C5").themes == []
    assert item("R6").themes == []
    assert item("C8").text.endswith("the risks of working alongside MINUSMA.’")
    assert item("C1").source_section.endswith("detail from “MINUSMA’s Challenges”, p. 2")
    assert find_organisation("IMRAP").description.endswith("demande un engagement à long terme.")
    assert find_organisation("NP").facts["headcount"] == "over 6,000 (estimated)"
    # ... what was missing is created ...
    assert [
        i.code
        for i in db.session.scalars(
            select(Item).where(Item.kind == "opportunity").order_by(Item.code)
        )
    ] == [
        "O1",
        "O2",
        "O3",
        "O4",
        "O5",
    ]
    assert [c.code for c in item("O1").addresses] == ["C1", "C2"]
    codes = set(db.session.scalars(select(Indicator.code)))
    assert {"IND-WOUNDED", "IND-UNIFORMED-STRENGTH", "IND-CIV-STRENGTH"} <= codes
    # ... and what people changed stays theirs, said so.
    assert [t.code for t in item("R9").themes] == ["2227-c", "2227-g"]
    assert find_organisation("NP").description == "Our own text."
    assert "Kept as people changed them (the seed differs): NP description, R9 themes." in (
        result.output
    )
    # The seed's corrections are in each record's history, by the seed.
    c5_events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.record_type == "items",
            AuditEvent.record_id == item("C5").id,
            AuditEvent.action == "update",
        )
    ).all()
    assert [(e.actor, sorted(e.changes)) for e in c5_events] == [
        (SEED_ACTOR.email, ["themes", "version"])
    ]

    written = events()
    again = cli.invoke(args=["seed"])
    assert again.output.startswith("Seed: nothing to change")
    assert events() == written
    assert audit.verify_chain(db.session.connection()).ok


def test_a_record_people_created_before_the_seed_is_left_whole(cli):
    from tests.factories import make_org

    make_org("IMRAP", name="IMRAP, as we call it", kind="other", description="Ours.")
    db.session.commit()
    result = cli.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    imrap = find_organisation("IMRAP")
    assert (imrap.name, imrap.kind, imrap.description) == ("IMRAP, as we call it", "other", "Ours.")
    assert "IMRAP name, IMRAP kind, IMRAP description, IMRAP facts, IMRAP source" in result.output
