"""The seed plus three months of work and the longest values the columns allow: what a PDF
must hold without text leaving the page or running together."""

from datetime import timedelta

from sqlalchemy import select

from app.core.time import today
from app.extensions import db
from app.items import services as item_services
from app.items.models import Item
from app.stakeholders.models import Organisation
from tests.factories import SYSTEM, make_org, make_user
from tests.reports.history import at, frozen

LONG_WORD = "https://reliefweb.example.org/report/mali/" + "x" * 120
LONG_NOTE = (
    "Le comité de suivi s'est réuni à Bamako, Gao et Tombouctou ; les autorités intérimaires "
    "n'ont pas encore désigné leurs représentants : la mission attend la lettre officielle. "
) * 6 + LONG_WORD


def day(days_ago: int) -> str:
    return (today() - timedelta(days=days_ago)).isoformat()


def load_long_story(monkeypatch, seed_dir: str) -> dict[str, Item]:
    """Load the seed, then add history with long notes, names and titles. Returns the items
    worked on, by role: blocked, verified, long (a 300-character title)."""
    from seed.loader import load_seed

    load_seed(seed_dir)
    items = {i.code: i for i in db.session.scalars(select(Item))}
    for item in items.values():  # as if the seed had been loaded four months ago
        item.created_at = item.last_update_at = at(day(120))
    manager = make_user(
        "manager",
        name="Marie-Christine Ouédraogo-Dembélé, Cellule de coordination des bailleurs",
    )
    org = make_org(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN",
        name="Organisation au nom particulièrement long pour la coordination " * 3,
    )
    # Twelve others, in a set order: PostgreSQL returns unordered rows in any order, and the
    # lead among them is refused ("cannot also be a supporting one").
    supporting = list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.id != org.id)
            .order_by(Organisation.id)
            .limit(12)
        )
    )
    long_item = item_services.create_item(
        SYSTEM,
        kind="recommendation",
        title=("Renforcer durablement la coordination civilo-militaire " * 6)[:300],
        lead=org,
        supporting=supporting,
        due_date=day(40),
        owner=manager,
    )
    blocked, verified = items["R1"], items["R2"]
    _walk(
        monkeypatch,
        blocked,
        [(90, "in_progress", 20, "Démarrage."), (50, "blocked", None, LONG_NOTE)],
    )
    _walk(
        monkeypatch,
        verified,
        [(80, "in_progress", 40, "Premier convoi."), (30, "implemented", None, LONG_NOTE)],
    )
    for title in ("Rapport de mission", LONG_WORD):
        item_services.attach_evidence(manager, verified, title=title, url=LONG_WORD)
    item_services.change_status(manager, verified, verified.version, status="verified", note="OK")
    _walk(monkeypatch, long_item, [(20, "in_progress", 35, LONG_NOTE)])
    db.session.flush()
    return {"blocked": blocked, "verified": verified, "long": long_item}


def _walk(monkeypatch, item: Item, steps) -> None:
    for days_ago, status, progress, note in steps:
        with frozen(monkeypatch, at(day(days_ago))):
            item_services.change_status(
                SYSTEM, item, item.version, status=status, progress=progress, note=note
            )
            db.session.flush()
