"""Replies need a reply address pattern; the SMTP server reads the answers."""

import pytest

from tests.smtp import smtp_server  # noqa: F401

REPLY_ADDRESS = "suivi+{token}@suivi.example.org"


@pytest.fixture(autouse=True)
def _reply_address(app):
    saved = app.config.get("MAIL_REPLY_ADDRESS")
    app.config["MAIL_REPLY_ADDRESS"] = REPLY_ADDRESS
    yield
    app.config["MAIL_REPLY_ADDRESS"] = saved
