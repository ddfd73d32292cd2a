"""The digests ``flask remind`` sends: for each user, one message with what is new to say —
their organisation's items newly overdue, due within 14 days, stale, missing in an open
reporting round near its due date, and the changes to the items they watch; managers and
admins get the whole portfolio. What was said is recorded (``reminders_sent``), so nothing is
said twice, and a user with nothing new gets nothing."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.core.roles import PRIVILEGED_ROLES
from app.core.time import end_of_day
from app.extensions import db
from app.items import workflow
from app.items.models import Item
from app.notifications.models import NONE, WEEKLY, Notification, ReminderSent
from app.rounds.queries import NEAR_DUE_DAYS, missing_items

DUE_SOON_DAYS = 14
LIST_LIMIT = 50  # items listed per section; the rest are counted
SECTIONS = ("overdue", "due_soon", "stale", "round_missing")


@dataclass
class Entry:
    """One line of a section: the item, the key of the event it reports, and a date."""

    item: Item
    key: str
    day: date | None = None
    extra: str = ""


@dataclass
class Digest:
    """What one user is told."""

    user: User
    today: date
    sections: dict[str, list[Entry]] = field(default_factory=dict)
    more: dict[str, int] = field(default_factory=dict)
    notifications: list[Notification] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.notifications and not any(self.sections.values())

    @property
    def portfolio(self) -> bool:
        return self.user.role in PRIVILEGED_ROLES

    def keys(self) -> list[str]:
        return [entry.key for entries in self.sections.values() for entry in entries]

    def listed(self, section: str) -> list[Entry]:
        return self.sections.get(section, [])[:LIST_LIMIT]


def open_items(org_id: int | None) -> list[Item]:
    """Open items of the organisation's lead (every open item for ``None``)."""
    stmt = (
        select(Item)
        .where(Item.status.not_in(workflow.CLOSED_STATUSES))
        .options(selectinload(Item.lead))
        .order_by(Item.due_date.is_(None), Item.due_date, Item.id)
    )
    if org_id is not None:
        stmt = stmt.where(Item.lead_id == org_id)
    return list(db.session.scalars(stmt))


def item_sections(items: list[Item], today: date, stale_days: int) -> dict[str, list[Entry]]:
    """Overdue, due soon and stale entries among open ``items`` on ``today``."""
    cutoff = workflow.stale_cutoff(end_of_day(today), stale_days)
    sections: dict[str, list[Entry]] = {"overdue": [], "due_soon": [], "stale": []}
    for item in items:
        due = item.due_date
        if due is not None and due < today:
            sections["overdue"].append(Entry(item, f"overdue:{item.id}:{due}", due))
        elif due is not None and (due - today).days <= DUE_SOON_DAYS:
            sections["due_soon"].append(Entry(item, f"due:{item.id}:{due}", due))
        last = item.last_update_at
        last = last.replace(tzinfo=UTC) if last.tzinfo is None else last
        if last < cutoff:
            sections["stale"].append(Entry(item, f"stale:{item.id}:{last.date()}", last.date()))
    return sections


def _sent_keys(user_id: int, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return set(
        db.session.scalars(
            select(ReminderSent.event_key).where(
                ReminderSent.user_id == user_id, ReminderSent.event_key.in_(keys)
            )
        )
    )


def _unsent_notifications(user_id: int) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.digested_at.is_(None),
                Notification.mail_id.is_(None),
            )
            .options(selectinload(Notification.item), selectinload(Notification.actor))
            .order_by(Notification.created_at, Notification.id)
        )
    )


def build_digest(
    user: User,
    today: date,
    sections_for: Callable[[int | None], dict[str, list[Entry]]],
) -> Digest:
    """The user's digest: the sections of their scope less what they were already told."""
    scope = None if user.role in PRIVILEGED_ROLES else user.organisation_id
    candidate = sections_for(scope)
    sent = _sent_keys(user.id, [e.key for entries in candidate.values() for e in entries])
    digest = Digest(user, today)
    for name in SECTIONS:
        # Every fresh entry is recorded as told; the mail lists the first LIST_LIMIT.
        fresh = [e for e in candidate.get(name, []) if e.key not in sent]
        digest.sections[name] = fresh
        digest.more[name] = max(0, len(fresh) - LIST_LIMIT)
    digest.notifications = _unsent_notifications(user.id)
    return digest


def is_due(delivery: str, today: date) -> bool:
    """Whether a user with this delivery gets a digest ``today`` (weekly: on Mondays)."""
    if delivery == NONE:
        return False
    return delivery != WEEKLY or today.weekday() == 0


def recipients() -> list[User]:
    """Every active user, by id."""
    return list(db.session.scalars(select(User).where(User.is_active).order_by(User.id)))


def record_sent(digest: Digest, mail_id: int | None, now: datetime) -> None:
    """Remember what the digest told, so that it is not told again."""
    for key in dict.fromkeys(digest.keys()):
        db.session.add(
            ReminderSent(
                user_id=digest.user.id, event_key=key, sent_on=digest.today, mail_id=mail_id
            )
        )
    for notification in digest.notifications:
        notification.digested_at = now
    db.session.flush()


def round_sections(scope: int | None, today: date) -> dict[str, list[Entry]]:
    """Items not yet reported in open rounds due within ``NEAR_DUE_DAYS`` (or past due)."""
    return {
        "round_missing": [
            Entry(item, f"round:{rnd.id}:{item.id}", rnd.due_on, rnd.title)
            for rnd, item in missing_items(scope, today, near_days=NEAR_DUE_DAYS)
        ]
    }
