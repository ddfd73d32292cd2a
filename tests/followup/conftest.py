"""The SMTP server and the reply address for the end-to-end test."""

from tests.replies.conftest import _reply_address  # noqa: F401
from tests.smtp import smtp_server  # noqa: F401
