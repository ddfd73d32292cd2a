"""What the import tests check often: what was written (items, audit events), and the
problems a refused file names."""

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.imports import services
from app.imports.errors import ImportRefused
from app.items.models import Item
from tests.imports.files import stream


def written() -> tuple[int, int]:
    """(items, audit events): what a refused import must leave as it was."""
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count(Item.id))),
        db.session.scalar(select(func.count(AuditEvent.id))),
    )


def refused(actor, data: bytes, name: str = "file.xlsx") -> list[tuple[int, str, str]]:
    """Import ``data``, which must be refused with nothing written: its (row, column,
    message) problems."""
    before = written()
    with pytest.raises(ImportRefused) as caught:
        services.import_file(actor, stream(data), name)
    assert written() == before
    return [(e.row, e.column, e.text()) for e in caught.value.errors]


def imported(actor, data: bytes, name: str = "file.xlsx", **kwargs) -> dict[str, int]:
    counts = services.import_file(actor, stream(data), name, **kwargs)
    db.session.flush()
    return counts


def item(code: str) -> Item:
    db.session.expire_all()
    found = db.session.scalar(select(Item).where(Item.code == code))
    assert found is not None, code
    return found
