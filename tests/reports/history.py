"""Hand-built histories: items created, updated and reassigned at chosen moments."""

from contextlib import contextmanager
from datetime import UTC, datetime

from app.extensions import db
from app.items import services as item_services
from tests.factories import SYSTEM, make_item


def at(day: str, hour: int = 12) -> datetime:
    """A moment on ``day`` (YYYY-MM-DD), UTC."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@contextmanager
def frozen(monkeypatch, moment: datetime):
    """Make the services and the audit hook believe it is ``moment``."""
    import app.audit.tracking as tracking
    from app.items.services import items, updates

    with monkeypatch.context() as m:
        for module in (items, updates, tracking):
            m.setattr(module, "utcnow", lambda: moment)
        yield


def item_created(monkeypatch, moment: datetime, **fields):
    """An item created at ``moment``."""
    with frozen(monkeypatch, moment):
        item = make_item(**fields)
        item.created_at = moment
        item.last_update_at = moment
        db.session.flush()
    return item


def status_at(monkeypatch, moment: datetime, item, status: str, progress=None, note="update"):
    with frozen(monkeypatch, moment):
        item_services.change_status(
            SYSTEM, item, item.version, status=status, progress=progress, note=note
        )
        db.session.flush()
    return item


def assign_at(monkeypatch, moment: datetime, item, **data):
    with frozen(monkeypatch, moment):
        item_services.edit_item(SYSTEM, item, item.version, **data)
        db.session.flush()
    return item
