"""Applying a reply by email through the item services, or refusing it with an explanation.

``receive`` never writes half a reply: a refused reply writes nothing but the answer that
explains it (an outgoing mail, queued after the commit). Bounces and automatic replies are
ignored without an answer, so two robots can never write to each other for ever."""

import logging
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from email.policy import default
from types import SimpleNamespace
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app import audit
from app.auth.models import User
from app.core.errors import SuiviError
from app.core.feedback import message as error_message
from app.core.records import find
from app.extensions import db
from app.items import services as item_services
from app.items import workflow
from app.items.labels import STATUS_LABELS
from app.items.models import Item
from app.mail.services import Envelope, mail_enabled, queue_mail, valid_address
from app.replies import reading
from app.replies.tokens import BadToken, ExpiredToken, read_token

log = logging.getLogger(__name__)

REASONS = {
    "too_large": _l("Your message is larger than Suivi accepts (%(limit)s kB)."),
    "no_token": _l(
        "Suivi could not tell which item your message answers: reply to a notification."
    ),
    "bad_token": _l("The reply address of your message is not valid."),
    "expired": _l(
        "The notification you answered is too old to reply to. Reply to a newer one, or "
        "write in Suivi."
    ),
    "sender": _l(
        "Replies are taken only from the address the notification was sent to. Write from "
        "that address, or in Suivi."
    ),
    "unknown": _l("The item or the account this reply is about no longer exists."),
    "empty": _l("Your reply has no text: nothing was written."),
    "status": _l("“%(value)s” is not a status. Use one of: %(choices)s."),
    "refused": _l("Suivi refused it: %(reason)s"),
}


@dataclass
class Outcome:
    """What became of a message: ``applied``, ``refused`` (answered) or ``ignored``."""

    result: str
    detail: str


class Refusal(Exception):
    """A reply Suivi will not apply; ``key`` names the reason in ``REASONS``."""

    def __init__(self, key: str, user: Any = None, **params: Any):
        super().__init__(key)
        self.key, self.user, self.params = key, user, params


def _answer(message: EmailMessage, refusal: Refusal) -> None:
    """Queue the explanation to the sender, in the user's language when known."""
    sender = reading.sender_address(message)
    user = refusal.user
    if user is None or sender != (user.email or "").lower():
        user = SimpleNamespace(id=getattr(user, "id", None), email=sender, language=None, name="")
    if not mail_enabled() or not valid_address(user.email):
        log.info("Refusal not answered: no mail server, or no address to answer")
        return
    subject = str(message.get("Subject") or "")[:200]
    with force_locale(getattr(user, "language", None) or "en"):
        reason = (
            str(REASONS[refusal.key]) % refusal.params
            if refusal.params
            else str(REASONS[refusal.key])
        )
    queue_mail(
        user,
        "reply",
        "reply_refused",
        {"reason": reason, "subject": subject},
        Envelope(
            in_reply_to=str(message.get("Message-ID") or "") or None,
            auto_submitted="auto-replied",
        ),
    )


def _status_value(value: str) -> str:
    """A status from its machine value or its label in English or French."""
    wanted = " ".join(value.lower().replace("_", " ").replace("-", " ").split())
    for status in workflow.STATUSES:
        names = {status.replace("_", " "), str(workflow.STATUS_LABELS[status]).lower()}
        with force_locale("fr"):
            names.add(str(STATUS_LABELS[status]).lower())
        if wanted in names:
            return status
    choices = ", ".join(workflow.STATUSES)
    raise Refusal("status", value=value[:40], choices=choices)


def _first_valid(tokens: list[str]) -> tuple[int, int]:
    """``(user id, item id)`` of the first valid token; an expired one says so."""
    expired = False
    for token in tokens:
        try:
            return read_token(token)
        except ExpiredToken:
            expired = True
        except BadToken:
            continue
    raise Refusal("expired" if expired else "bad_token")


def _identify(message: EmailMessage) -> tuple[User, Item]:
    tokens = reading.find_tokens(message)
    if not tokens:
        raise Refusal("no_token")
    user_id, item_id = _first_valid(tokens)
    user, item = find(User, user_id), find(Item, item_id)
    if user is None or not user.is_active or item is None:
        raise Refusal("unknown", user if user is not None and user.is_active else None)
    if reading.sender_address(message) != user.email.lower():
        raise Refusal("sender")
    return user, item


def _apply(message: EmailMessage, user: User, item: Item) -> str:
    reply = reading.split_commands(reading.new_text(reading.body_text(message)))
    if not reply.commands and not reply.text:
        raise Refusal("empty", user)
    try:
        if reply.commands:
            status = (
                _status_value(reply.commands["status"])
                if "status" in reply.commands
                else item.status
            )
            progress = reply.commands.get("progress", "").rstrip("% ").strip() or None
            update = item_services.change_status(
                user, item, item.version, status=status, progress=progress, note=reply.text
            )
            return f"status update {update.id} on item {item.id} by {user.email}"
        comment = item_services.add_comment(user, item, reply.text)
        return f"comment {comment.id} on item {item.id} by {user.email}"
    except Refusal as refusal:
        refusal.user = user
        raise
    except SuiviError as exc:
        db.session.rollback()
        with force_locale(user.language or "en"):
            reason = error_message(exc)
        raise Refusal("refused", user, reason=reason) from None


def parse_message(raw: bytes) -> EmailMessage:
    """The whole message (RFC 5322, any charset and transfer encoding)."""
    return BytesParser(policy=default).parsebytes(raw)


def receive(raw: bytes) -> Outcome:
    """Apply one reply, or refuse it with an answer, or ignore a bounce or auto-reply. The
    caller commits."""
    headers = BytesHeaderParser(policy=default).parsebytes(raw)
    automatic = reading.automatic_reason(headers)
    if automatic:
        log.info("Ignored incoming mail: %s", automatic)
        return Outcome("ignored", automatic)
    limit = int(current_app.config["MAIL_RECEIVE_MAX_BYTES"])
    try:
        if len(raw) > limit:
            raise Refusal("too_large", limit=limit // 1024)
        message = parse_message(raw)
        user, item = _identify(message)
        audit.set_actor(db.session, user)
        return Outcome("applied", _apply(message, user, item))
    except Refusal as refusal:
        db.session.rollback()
        _answer(headers, refusal)
        log.info("Refused a reply: %s", refusal.key)
        return Outcome("refused", refusal.key)
