"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), in three moods: accepting and
keeping every message, refusing them, or dropping the connection in the middle of the data."""

import socket
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    """What the server was given: envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",)).get_content()
        return body.replace("\r\n", "\n")

    @property
    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()


@dataclass
class Handler:
    mood: str = "accept"  # accept, refuse, drop
    received: list[Received] = field(default_factory=list)
    attempts: int = 0

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.mood == "refuse":
            return "554 5.7.1 Message refused by policy"
        if self.mood == "drop":
            server.transport.close()  # the connection goes away mid-send
            return "421 closing"
        message = message_from_bytes(envelope.original_content, policy=default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def smtp_server(app):
    """An SMTP server the app sends to; ``.handler.received`` holds what arrived."""
    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "BASE_URL")}
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_USE_TLS=False,
        BASE_URL="https://suivi.example.org",
    )
    try:
        yield controller
    finally:
        app.config.update(saved)
        controller.stop()
