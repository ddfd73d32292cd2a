"""Reads of notifications: who watches an item, how each user wants to hear, what they were
told lately."""

from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased, selectinload

from app.auth.models import User
from app.core.actor import Actor
from app.extensions import db
from app.items.models import Item
from app.notifications.models import DEFAULT_DELIVERY, DeliveryChoice, Notification, Watch

RECENT = 50


def watch_choice(user_id: int | None, item_id: int) -> bool | None:
    """The user's own choice on the item: True (watching), False (stopped) or None."""
    if user_id is None:
        return None
    return db.session.scalar(
        select(Watch.is_watching).where(Watch.user_id == user_id, Watch.item_id == item_id)
    )


def is_default_watcher(user: Actor, item: Item) -> bool:
    """The user owns the item or belongs to its lead organisation."""
    return item.owner_id == user.id or item.lead_id == user.organisation_id


def is_watching(user: Actor, item: Item) -> bool:
    """Whether ``user`` is told about ``item``'s changes."""
    choice = watch_choice(getattr(user, "id", None), item.id)
    return is_default_watcher(user, item) if choice is None else choice


def watchers_of(item: Item) -> list[User]:
    """Active users told about ``item``: its owner and the staff of its lead organisation,
    unless they stopped, and those who chose to watch it; in id order, in one statement."""
    choice = aliased(Watch)
    rows = db.session.execute(
        select(User, choice.is_watching)
        .outerjoin(choice, and_(choice.user_id == User.id, choice.item_id == item.id))
        .where(
            User.is_active,
            or_(
                User.id == item.owner_id,
                User.organisation_id == item.lead_id,
                choice.is_watching.is_(True),
            ),
        )
        .order_by(User.id)
    ).all()
    return [user for user, watching in rows if watching is not False]


def deliveries(user_ids: Iterable[int]) -> dict[int, str]:
    """``{user id: delivery}``, the default for users who never chose."""
    ids = list(user_ids)
    rows = db.session.execute(
        select(DeliveryChoice.user_id, DeliveryChoice.delivery).where(
            DeliveryChoice.user_id.in_(ids)
        )
    )
    chosen = {user_id: delivery for user_id, delivery in rows}
    return {user_id: chosen.get(user_id, DEFAULT_DELIVERY) for user_id in ids}


def delivery_of(user: Actor) -> str:
    """How ``user`` wants to hear."""
    if user.id is None:
        return DEFAULT_DELIVERY
    return deliveries([user.id])[user.id]


def recent_notifications(user_id: int, limit: int = RECENT) -> list[Notification]:
    """The user's latest notifications, newest first, with their item and actor."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .options(selectinload(Notification.item), selectinload(Notification.actor))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )
