"""Reads of rounds: who has reported what, per organisation, in a bounded number of
statements; what an organisation still owes; the list of rounds with their counts."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ScalarSelect, Select, func, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.core.time import end_of_day
from app.extensions import db
from app.items.models import Item, StatusUpdate
from app.rounds.models import Round, RoundItem
from app.stakeholders.models import Organisation

NEAR_DUE_DAYS = 7  # a round's missing items are in the digests from this close to its due date


def window(rnd: Round) -> tuple[datetime, datetime]:
    """From the start of the opening day to the end of the due day (UTC)."""
    start = datetime.combine(rnd.opens_on, time.min, tzinfo=UTC)
    end = end_of_day(rnd.due_on)
    return start, end


def first_report() -> ScalarSelect[int | None]:
    """SQL: the first status update on the round item by a user of its lead organisation
    within the round's window (None: not reported), correlated to ``RoundItem`` and
    ``Round``."""
    return (
        select(func.min(StatusUpdate.id))
        .join(User, User.id == StatusUpdate.author_id)
        .where(
            StatusUpdate.item_id == RoundItem.item_id,
            User.organisation_id == RoundItem.lead_id,
            StatusUpdate.created_at >= Round.starts_at,
            StatusUpdate.created_at < Round.ends_at,
        )
        .correlate(RoundItem, Round)
        .scalar_subquery()
    )


@dataclass
class ItemReport:
    """One item of a round: whether, and by which update, its lead reported."""

    item_id: int
    code: str | None
    title: str
    status: str
    lead_id: int
    update_id: int | None
    reported_at: datetime | None = None

    @property
    def reported(self) -> bool:
        return self.update_id is not None


@dataclass
class LeadReport:
    """A lead organisation's part of a round."""

    organisation_id: int
    acronym: str
    name: str
    items: list[ItemReport] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.items)

    @property
    def reported(self) -> int:
        return sum(item.reported for item in self.items)

    @property
    def missing(self) -> list[ItemReport]:
        return [item for item in self.items if not item.reported]


def round_progress(rnd: Round) -> list[LeadReport]:
    """Per lead organisation (by acronym), its items in the round and what it reported: one
    statement."""
    update = first_report()
    stmt = (
        select(
            RoundItem.item_id,
            RoundItem.lead_id,
            Item.code,
            Item.title,
            Item.status,
            Organisation.acronym,
            Organisation.name,
            update.label("update_id"),
        )
        .join(Round, Round.id == RoundItem.round_id)
        .join(Item, Item.id == RoundItem.item_id)
        .join(Organisation, Organisation.id == RoundItem.lead_id)
        .where(RoundItem.round_id == rnd.id)
        .order_by(Organisation.acronym, Item.id)
    )
    leads: dict[int, LeadReport] = {}
    rows = db.session.execute(stmt).all()
    times = _update_times([row.update_id for row in rows if row.update_id is not None])
    for row in rows:
        lead = leads.setdefault(row.lead_id, LeadReport(row.lead_id, row.acronym, row.name))
        lead.items.append(
            ItemReport(
                row.item_id,
                row.code,
                row.title,
                row.status,
                row.lead_id,
                row.update_id,
                times.get(row.update_id),
            )
        )
    return list(leads.values())


def _update_times(ids: list[int]) -> dict[int, datetime]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(StatusUpdate.id, StatusUpdate.created_at).where(StatusUpdate.id.in_(ids))
    )
    return {update_id: created_at for update_id, created_at in rows}


def _counts() -> Select:
    reported = first_report()
    return (
        select(
            RoundItem.round_id,
            func.count().label("expected"),
            func.count(reported).label("reported"),
        )
        .join(Round, Round.id == RoundItem.round_id)
        .group_by(RoundItem.round_id)
    )


def list_rounds() -> list[tuple[Round, int, int]]:
    """Every round, latest due first, with its expected and reported counts: two statements."""
    counts = {row.round_id: (row.expected, row.reported) for row in db.session.execute(_counts())}
    rounds = db.session.scalars(select(Round).order_by(Round.due_on.desc(), Round.id.desc()))
    return [(rnd, *counts.get(rnd.id, (0, 0))) for rnd in rounds]


def missing_items(org_id: int | None, today: date, near_days: int | None = None) -> list[tuple]:
    """``(round, item)`` for the items of open rounds (opened, not closed) that ``org_id``
    leads (every lead for None) and has not reported; with ``near_days``, only rounds due
    within that many days (or past due)."""
    conditions = [
        Round.closed_at.is_(None),
        Round.opens_on <= today,
        first_report().is_(None),
    ]
    if org_id is not None:
        conditions.append(RoundItem.lead_id == org_id)
    if near_days is not None:
        near = (
            today + timedelta(days=near_days)
            if today < date.max - timedelta(near_days)
            else date.max
        )
        conditions.append(Round.due_on <= near)
    stmt = (
        select(Round, Item)
        .join(RoundItem, RoundItem.round_id == Round.id)
        .join(Item, Item.id == RoundItem.item_id)
        .where(*conditions)
        .order_by(Round.due_on, Round.id, Item.id)
        .options(selectinload(Item.lead))
    )
    return [tuple(row) for row in db.session.execute(stmt).all()]
