"""The job that sends one recorded message over SMTP (``MAIL_*`` settings)."""

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime

from flask import current_app

from app.core.time import utcnow
from app.extensions import db
from app.mail.models import OutgoingMail

log = logging.getLogger(__name__)


class MailNotSent(Exception):
    """The SMTP server refused the message or could not be reached."""


def build_message(mail: OutgoingMail) -> EmailMessage:
    """The MIME message: text, and the same in HTML as the alternative."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = mail.message_id
    for name, value in (mail.headers or {}).items():
        message[name] = value
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    return message


def deliver(message: EmailMessage) -> None:
    """Hand ``message`` to the SMTP server; ``MailNotSent`` when it refuses or vanishes."""
    config = current_app.config
    try:
        with smtplib.SMTP(
            config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=config["MAIL_TIMEOUT"]
        ) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailNotSent(f"{type(exc).__name__}: {exc}") from exc


def send_mail(mail_id: int) -> None:
    """Send the recorded message once: a message already sent is not sent again. A failure
    is recorded on the message (committed, since the job's own work is undone when it
    raises) and raised, so the job is tried again; after the last try the message stays
    ``failed`` with the server's answer."""
    mail = db.session.get(OutgoingMail, mail_id)
    if mail is None or mail.state == "sent":
        return
    if not current_app.config.get("MAIL_SERVER"):
        mail.state, mail.error = "failed", "MAIL_SERVER is not set."
        db.session.commit()
        return
    mail.attempts += 1
    try:
        deliver(build_message(mail))
    except MailNotSent as exc:
        last = mail.attempts >= int(current_app.config["JOB_MAX_ATTEMPTS"])
        mail.state, mail.error = ("failed" if last else "queued"), str(exc)[:2000]
        db.session.commit()
        log.warning(
            "Mail %s to %s: attempt %s failed: %s", mail.id, mail.user_id, mail.attempts, exc
        )
        raise
    mail.state, mail.sent_at, mail.error = "sent", utcnow(), ""
    db.session.commit()
