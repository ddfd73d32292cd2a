"""What the services and policies need of whoever acts: a user, or a system actor."""

from typing import Protocol

from flask import g, has_request_context
from flask_login import current_user


class Actor(Protocol):
    """The acting user as the services, the policies and the audit read it: a ``User`` or a
    ``SystemActor`` (the seed, a command) both are one. Read-only: nothing writes to it."""

    @property
    def id(self) -> int | None: ...

    @property
    def email(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def organisation_id(self) -> int | None: ...

    @property
    def is_active(self) -> bool: ...


def acting_user_id() -> int | None:
    """The id of the user behind the current request: the API token's user, else the
    logged-in user (None outside a request or when nobody is logged in). Only entry points
    and their argument parsers ask; services take the actor as an argument."""
    if not has_request_context():
        return None
    user = g.get("api_user") or current_user
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "id", None)
