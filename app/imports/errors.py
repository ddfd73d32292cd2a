"""A problem the import found, named by row and column, in the reader's language."""

from dataclasses import dataclass, field
from typing import Any

from flask import has_app_context
from flask_babel import gettext

from app.core.errors import N_, ValidationError


@dataclass(frozen=True)
class RowError:
    """One problem: the spreadsheet's row number (1 is the header), the column, and a message
    template with its parameters (translated when shown)."""

    row: int
    column: str
    template: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        if has_app_context():
            return gettext(self.template, **self.params)
        return self.template % self.params if self.params else self.template

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.text()}


class ImportRefused(ValidationError):
    """The file has problems: nothing was written. ``errors`` names each one."""

    code = "import_refused"

    def __init__(self, errors: list[RowError]):
        super().__init__(
            N_("Problems in the file: %(count)s. Nothing was imported."), count=len(errors)
        )
        self.errors = errors
