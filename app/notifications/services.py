"""Watching items, choosing one's delivery, and telling watchers what changed.

``notify`` listens to ``app.items.events.item_changed``: in the change's own transaction it
records a notification for each watcher but the actor, and queues the mail of those who want
each change at once. Changes made by the system (the seed, an import) tell nobody."""

from typing import Any

from flask import Flask, current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app import audit
from app.auth.models import User
from app.core.actor import Actor
from app.core.errors import N_, PermissionDenied
from app.core.validation import parse_choice
from app.extensions import db
from app.items import events
from app.items.models import Item
from app.mail.models import OutgoingMail
from app.mail.services import Envelope, base_url, mail_enabled, queue_mail
from app.notifications import labels, policies, queries
from app.notifications.models import (
    DELIVERIES,
    IMMEDIATE,
    NONE,
    DeliveryChoice,
    Notification,
    Watch,
)
from app.replies.tokens import make_token, reply_address

UNSUBSCRIBE_SALT = "suivi-unsubscribe"


def set_watch(actor: Actor, item: Item, watching: bool) -> Watch:
    """Watch ``item`` or stop watching it (also what one would be told by default)."""
    if not policies.may_watch(actor, item):
        raise PermissionDenied(N_("You may not watch items."))
    audit.set_actor(db.session, actor)
    watch = db.session.query(Watch).filter_by(user_id=actor.id, item_id=item.id).one_or_none()
    if watch is None:
        watch = Watch(user_id=actor.id, item_id=item.id, is_watching=watching)
        db.session.add(watch)
    else:
        watch.is_watching = watching
    db.session.flush()
    return watch


def set_delivery(actor: Actor, user: User, delivery: Any) -> DeliveryChoice:
    """Choose immediate mail, a daily or weekly digest, or none."""
    if not policies.may_set_delivery(actor, user):
        raise PermissionDenied(N_("You may only choose your own notifications."))
    value = parse_choice(delivery, "delivery", DELIVERIES)
    audit.set_actor(db.session, actor)
    choice = db.session.get(DeliveryChoice, user.id)
    if choice is None:
        choice = DeliveryChoice(user_id=user.id, delivery=value)
        db.session.add(choice)
    else:
        choice.delivery = value
    db.session.flush()
    return choice


def unsubscribe_token(user: User) -> str:
    """The signed token of a user's one-click opt-out link (it does not expire: old mails
    keep working)."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).dumps(user.id)


def unsubscribe_url(user: User) -> str:
    """The opt-out link put in every mail (``List-Unsubscribe``)."""
    return f"{base_url()}/unsubscribe/{unsubscribe_token(user)}"


def user_of_unsubscribe_token(token: str) -> User | None:
    """The active user an opt-out token names, or None for a bad token."""
    try:
        user_id = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).loads(
            token
        )
    except BadSignature:
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return user if user is not None and user.is_active else None


def unsubscribe(user: User) -> DeliveryChoice:
    """Stop every mail to ``user`` (the opt-out link acts as the user)."""
    return set_delivery(user, user, NONE)


def notify(
    item: Item, actor: Actor | None, kind: str, details: dict[str, Any]
) -> list[Notification]:
    """Record what ``actor`` did to ``item`` for each watcher but the actor, and queue the
    mail of those who chose to hear of each change at once."""
    if actor is None or actor.id is None:
        return []
    actor_name = str(getattr(actor, "name", "") or actor.email)
    watchers = [user for user in queries.watchers_of(item) if user.id != actor.id]
    if not watchers:
        return []
    delivery = queries.deliveries(user.id for user in watchers)
    made = []
    for user in watchers:
        notification = Notification(
            user_id=user.id, item_id=item.id, actor_id=actor.id, kind=kind, details=details
        )
        db.session.add(notification)
        made.append(notification)
        if delivery[user.id] == IMMEDIATE and mail_enabled():
            db.session.flush()
            notification.mail_id = mail_notification(user, item, actor_name, notification).id
    db.session.flush()
    return made


def mail_notification(
    user: User, item: Item, actor_name: str, notification: Notification
) -> OutgoingMail:
    """Queue the mail telling ``user`` of one change; with ``MAIL_REPLY_ADDRESS`` set, its
    reply address carries a signed token, and so does its Message-ID (replies quote it)."""
    token = make_token(user.id, item.id)
    reply_to = reply_address(token)
    return queue_mail(
        user,
        "notification",
        "notification",
        {
            "item": item,
            "sentence": lambda: labels.describe(
                notification.kind, notification.details, actor_name
            ),
        },
        Envelope(
            unsubscribe_url=unsubscribe_url(user),
            reply_to=reply_to,
            message_local=token if reply_to else None,
        ),
    )


def _on_item_changed(
    item: Item, actor: Actor | None = None, kind: str = "", details: dict | None = None
) -> None:
    notify(item, actor, kind, details or {})


def init_app(app: Flask) -> None:
    """Listen to the items' changes (once per process: signals are global)."""
    events.item_changed.connect(_on_item_changed, weak=False)
