"""Composing a message in the recipient's language, recording it, and queueing its sending."""

import logging
import secrets
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale

from app.extensions import db
from app.jobs import enqueue
from app.mail import sending
from app.mail.models import OutgoingMail

log = logging.getLogger(__name__)


def mail_enabled() -> bool:
    """True when an SMTP server is configured (``MAIL_SERVER``)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def valid_address(address: object) -> bool:
    """A single, plain ``local@domain`` address that a header can carry."""
    if not isinstance(address, str) or not address or any(c in address for c in "\r\n\t ,;<>"):
        return False
    try:
        parsed = Address(addr_spec=address)
    except (ValueError, IndexError, TypeError):
        return False
    return bool(parsed.username and "." in parsed.domain and parsed.addr_spec == address)


def user_language(user: Any) -> str:
    """The language a person reads their mail in: their choice, else English."""
    return getattr(user, "language", None) or "en"


LOCAL_URL = "http://127.0.0.1:5000"  # where `make run` serves


def base_url() -> str:
    """Suivi's address for links in mail (``BASE_URL``, else where ``make run`` serves),
    without a trailing slash: a mail needs absolute links."""
    return (current_app.config.get("BASE_URL") or LOCAL_URL).rstrip("/")


def new_message_id(local: str | None = None) -> str:
    """A Message-ID in Suivi's domain; ``local`` (a reply token) lets replies carry it."""
    domain = (
        current_app.config.get("MAIL_MESSAGE_ID_DOMAIN")
        or urlsplit(base_url()).hostname
        or "suivi.invalid"
    )
    if local:
        return f"<{local}.{secrets.token_hex(4)}@{domain}>"
    return make_msgid(domain=domain)


@dataclass(frozen=True)
class Envelope:
    """What a message says about itself besides its text: its opt-out link, where replies go
    (and the token its Message-ID starts with), what it answers, and how automatic it is."""

    unsubscribe_url: str | None = None
    reply_to: str | None = None
    message_local: str | None = None
    in_reply_to: str | None = None
    auto_submitted: str = "auto-generated"

    def headers(self) -> dict[str, str]:
        headers = {"Auto-Submitted": self.auto_submitted}
        if self.unsubscribe_url:
            headers["List-Unsubscribe"] = f"<{self.unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        if self.reply_to:
            headers["Reply-To"] = self.reply_to
        if self.in_reply_to:
            headers["In-Reply-To"] = headers["References"] = self.in_reply_to
        return headers


def queue_mail(
    user: Any, kind: str, template: str, context: dict[str, Any], envelope: Envelope = Envelope()
) -> OutgoingMail:
    """Render ``mail/<template>.txt`` and ``.html`` (the first line of the text is the
    subject) in the user's language, record the message and queue its sending. A user whose
    address cannot take mail gets a message recorded as failed, with the reason: logged,
    kept, never silently dropped."""
    with force_locale(user_language(user)):
        context = {
            **context,
            "user": user,
            "base_url": base_url(),
            "unsubscribe_url": envelope.unsubscribe_url,
            "reply_address": envelope.reply_to,
        }
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
    subject, _, body = text.partition("\n")
    mail = OutgoingMail(
        user_id=getattr(user, "id", None),
        kind=kind,
        to_address=(getattr(user, "email", "") or "")[:320],
        subject=" ".join(subject.split())[:300],  # no control character can reach a header
        text_body=body.lstrip("\n"),
        html_body=html,
        headers=envelope.headers(),
        message_id=new_message_id(envelope.message_local),
    )
    db.session.add(mail)
    if not valid_address(mail.to_address):
        mail.state, mail.error = "failed", "The recipient's address cannot receive mail."
        log.warning("Mail %s to user %s not sent: bad address", kind, mail.user_id)
        db.session.flush()
        return mail
    db.session.flush()
    enqueue(sending.send_mail, mail.id)
    return mail
