"""The SMTP server fixture for the notification and mail tests."""

from tests.smtp import smtp_server  # noqa: F401
