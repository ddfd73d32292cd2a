"""What the services and policies need of whoever acts: a user, or a system actor."""

from typing import Protocol


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
