"""The signed, expiring token of a reply address: which user may act on which item."""

import re

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "suivi-reply"
TOKEN_RE = re.compile(r"[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+")


class BadToken(Exception):
    """The token is missing, forged or altered."""


class ExpiredToken(Exception):
    """The token was signed longer ago than ``MAIL_REPLY_MAX_AGE_DAYS``."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(user_id: int, item_id: int) -> str:
    """A short token (it goes in an address's local part) naming the user and the item."""
    return _serializer().dumps(f"{user_id}.{item_id}")


def read_token(token: str) -> tuple[int, int]:
    """``(user id, item id)`` of a valid, unexpired token."""
    max_age = int(current_app.config["MAIL_REPLY_MAX_AGE_DAYS"]) * 86400
    try:
        value = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise ExpiredToken() from exc
    except BadSignature as exc:
        raise BadToken() from exc
    user_id, _, item_id = str(value).partition(".")
    if not (user_id.isdigit() and item_id.isdigit()):
        raise BadToken()
    return int(user_id), int(item_id)


def reply_address(token: str) -> str | None:
    """The reply address for ``token`` (``MAIL_REPLY_ADDRESS`` with ``{token}``), if set."""
    pattern = current_app.config.get("MAIL_REPLY_ADDRESS")
    return pattern.format(token=token) if pattern and "{token}" in pattern else None


def tokens_in_address(address: str) -> list[str]:
    """The tokens an address of the ``MAIL_REPLY_ADDRESS`` pattern carries."""
    pattern = current_app.config.get("MAIL_REPLY_ADDRESS") or ""
    if "{token}" not in pattern:
        return []
    prefix, _, suffix = pattern.lower().partition("{token}")
    lowered = address.lower()
    if lowered.startswith(prefix) and lowered.endswith(suffix) and len(address) > len(pattern):
        return [address[len(prefix) : len(address) - len(suffix)]]
    return []
