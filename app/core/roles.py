"""The four roles and the system actor used by commands and the seed."""

from dataclasses import dataclass

VIEWER = "viewer"
STAFF = "staff"
MANAGER = "manager"
ADMIN = "admin"
ROLES = (VIEWER, STAFF, MANAGER, ADMIN)
PRIVILEGED_ROLES = frozenset({MANAGER, ADMIN})


@dataclass(frozen=True)
class SystemActor:
    """A named non-human actor (the seed, a command) with an admin's rights.

    It has the attributes the policies and the audit read from a user.
    """

    name: str
    role: str = ADMIN
    id: None = None
    organisation_id: None = None
    is_active: bool = True

    @property
    def email(self) -> str:
        return f"system:{self.name}"
