"""A policy's answer: allowed or not, and why not, as a translatable message the page, the
403 and the API all show."""

from dataclasses import dataclass, field
from typing import Any

from app.core.errors import PermissionDenied


@dataclass(frozen=True)
class Decision:
    """``allowed``, and when refused the ``reason`` (an ``N_`` template) with its ``params``.

    A decision is truthy when allowed, so templates and services test it like a bool."""

    allowed: bool
    reason: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.allowed

    def check(self) -> None:
        """Raise ``PermissionDenied`` with the reason when refused."""
        if not self.allowed:
            raise PermissionDenied(self.reason, **self.params)


ALLOWED = Decision(True)


def refuse(reason: str, **params: Any) -> Decision:
    """A refusal saying why."""
    return Decision(False, reason, params)
