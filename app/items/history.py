"""An item's timeline: status updates, comments, evidence, indicators and audited field
changes merged into one list, with ids turned into names in a bounded number of statements."""

from collections.abc import Callable
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.core.display import show_date
from app.core.markdown import render_markdown
from app.core.time import as_utc
from app.extensions import db
from app.items.labels import (
    FIELD_LABELS,
    KIND_LABELS,
    PRIORITY_LABELS,
    response_label,
    status_label,
)
from app.items.models import Comment, Item, Source, StatusUpdate, Theme
from app.stakeholders.models import Organisation

QUIET_FIELDS = frozenset(
    {
        "status",
        "progress",
        "last_update_at",
        "version",
        "updated_at",
        "created_at",
        "created_by_id",
        "id",
    }
)


def _lookup(model, column, ids) -> dict:
    ids = {i for i in ids if isinstance(i, int)}
    if not ids:
        return {}
    rows = db.session.execute(select(model.id, column).where(model.id.in_(ids)))
    return {record_id: name for record_id, name in rows}


def _as_list(value) -> list:
    return value if isinstance(value, list) else []


DATE_FIELDS = ("due_date", "baseline_date", "target_date", "measured_on")


def _one(names: dict) -> Callable[[Any], str]:
    """Show an id by its name, or as ``#id`` when it is gone."""
    return lambda value: names.get(value, f"#{value}")


def _many(names: dict, *, empty_is_unknown: bool = False) -> Callable[[Any], str]:
    """Show a list of ids by their names; an item with no code is shown as ``#id``."""
    if empty_is_unknown:
        return lambda value: ", ".join(names.get(v) or f"#{v}" for v in _as_list(value))
    return lambda value: ", ".join(names.get(v, f"#{v}") for v in _as_list(value))


def _day(value: Any) -> str:
    try:
        return show_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)


class Names:
    """Ids found in a history turned into what a reader recognises, in a few statements."""

    def __init__(self, user_ids, events):
        org_ids: set[int] = set()
        theme_ids: set[int] = set()
        item_ids: set[int] = set()
        source_ids: set[int] = set()
        user_ids = set(user_ids)
        for event in events:
            changes = event.changes or {}
            user_ids.add(event.actor_id)
            for key, pair in changes.items():
                values = pair if isinstance(pair, list) else [pair]
                if key in ("lead_id",):
                    org_ids.update(values)
                elif key == "supporting":
                    org_ids.update(v for lst in values for v in _as_list(lst))
                elif key == "owner_id":
                    user_ids.update(values)
                elif key == "themes":
                    theme_ids.update(v for lst in values for v in _as_list(lst))
                elif key in ("addresses", "addressed_by"):
                    item_ids.update(v for lst in values for v in _as_list(lst))
                elif key == "source_id":
                    source_ids.update(values)
        self.users = _lookup(User, User.name, user_ids)
        self.orgs = _lookup(Organisation, Organisation.acronym, org_ids)
        self.themes = _lookup(Theme, Theme.code, theme_ids)
        self.items = _lookup(Item, func.coalesce(Item.code, ""), item_ids)
        self.sources = _lookup(Source, Source.title, source_ids)
        self._shown: dict[str, Callable[[Any], str]] = {
            "lead_id": _one(self.orgs),
            "owner_id": _one(self.users),
            "supporting": _many(self.orgs),
            "themes": _many(self.themes),
            "addresses": _many(self.items, empty_is_unknown=True),
            "addressed_by": _many(self.items, empty_is_unknown=True),
            "source_id": _one(self.sources),
            **dict.fromkeys(DATE_FIELDS, _day),
            "kind": lambda value: str(KIND_LABELS.get(value, value)),
            "priority": lambda value: str(PRIORITY_LABELS.get(value, value)),
            "status": status_label,
        }

    def user(self, user_id, fallback: str = "") -> str:
        """A user's name; a system actor (``system:seed``) is Suivi itself."""
        if user_id in self.users:
            return self.users[user_id]
        if fallback.startswith("system"):
            return _("Suivi (%(name)s)", name=fallback.partition(":")[2] or "system")
        return fallback or _("someone")

    def show(self, field: str, value: Any) -> str:
        """A recorded value as a reader would say it."""
        if value is None or value == "" or value == []:
            return "—"
        shown = self._shown.get(field)
        if shown is not None:
            return shown(value)
        text = str(value)
        return text if len(text) <= 300 else text[:299] + "…"

    def changes(self, changes: dict) -> list[tuple[str, str, str]]:
        """``[(field label, before, after)]`` of an audited update."""
        out = []
        for field, pair in sorted(changes.items()):
            if field in QUIET_FIELDS or not isinstance(pair, list) or len(pair) != 2:
                continue
            out.append(
                (
                    str(FIELD_LABELS.get(field, field.replace("_", " "))),
                    self.show(field, pair[0]),
                    self.show(field, pair[1]),
                )
            )
        return out


def _records_of(item: Item) -> tuple[list[StatusUpdate], list[Comment], list[AuditEvent]]:
    """The item's status updates, comments and audit events, oldest first."""
    updates = db.session.scalars(
        select(StatusUpdate)
        .where(StatusUpdate.item_id == item.id)
        .order_by(StatusUpdate.created_at, StatusUpdate.id)
    ).all()
    comments = db.session.scalars(
        select(Comment).where(Comment.item_id == item.id).order_by(Comment.created_at, Comment.id)
    ).all()
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.scope_type == "items", AuditEvent.scope_id == item.id)
        .order_by(AuditEvent.id)
    ).all()
    return list(updates), list(comments), list(events)


def _first_event_since(events: list[AuditEvent], since_version: int) -> int | None:
    """The id of the first event of the flush that moved the item on from ``since_version``
    (a status update's row comes before the item's), or None when it has not moved."""
    moved = next(
        (
            e
            for e in events
            if e.record_type == "items"
            and isinstance((e.changes or {}).get("version"), list)
            and e.changes["version"][0] >= since_version
        ),
        None,
    )
    if moved is None:
        return None
    return min(e.id for e in events if e.created_at == moved.created_at)


class _Entries:
    """Timeline entries of one item's rows and audit events."""

    def __init__(self, item: Item, names: Names, events: list[AuditEvent]) -> None:
        self.names = names
        self.row_events = {
            (e.record_type, e.record_id): e.id for e in events if e.action == "insert"
        }
        self.edited = {
            e.record_id for e in events if e.record_type == "comments" and e.action == "update"
        }
        self.indicator_names: dict[int | None, str] = {i.id: i.name for i in item.indicators}
        self.measured: dict[int | None, tuple[int | None, str | None]] = {
            m.id: (i.id, m.measured_on.isoformat()) for i in item.indicators for m in i.measurements
        }
        self.by_action: dict[tuple[str, str], Callable[[AuditEvent, dict], dict | None]] = {
            ("items", "insert"): lambda event, changes: {"type": "created"},
            ("items", "update"): self._item_changes,
            ("comments", "update"): self._comment_edit,
            ("evidence", "insert"): self._evidence,
            ("responses", "insert"): lambda event, changes: {
                "type": "response",
                "label": response_label(changes.get("position")),
            },
            ("evidence", "update"): self._evidence_withdrawn,
        }
        self.by_record: dict[str, Callable[[AuditEvent, dict], dict | None]] = {
            "indicators": self._indicator,
            "measurements": self._measurement,
        }

    def update(self, update: StatusUpdate) -> dict:
        return {
            "type": "update",
            "when": as_utc(update.created_at),
            "order": self.row_events.get(("status_updates", update.id), 0),
            "who": self.names.user(update.author_id),
            "su": update,
        }

    def comment(self, comment: Comment) -> dict:
        return {
            "type": "comment",
            "when": as_utc(comment.created_at),
            "order": self.row_events.get(("comments", comment.id), 0),
            "who": self.names.user(comment.author_id),
            "comment": comment,
            "html": render_markdown(comment.body),
            "edited": comment.id in self.edited,
        }

    def event(self, event: AuditEvent) -> dict | None:
        """The entry of an audit event, or None for an event the timeline does not show."""
        describe = self.by_action.get((event.record_type, event.action)) or self.by_record.get(
            event.record_type
        )
        details = describe(event, event.changes or {}) if describe else None
        if details is None:
            return None
        return {
            "when": as_utc(event.created_at),
            "order": event.id,
            "who": self.names.user(event.actor_id, event.actor),
            **details,
        }

    def _item_changes(self, event: AuditEvent, changes: dict) -> dict | None:
        shown = self.names.changes(changes)
        return {"type": "changes", "changes": shown} if shown else None

    def _comment_edit(self, event: AuditEvent, changes: dict) -> dict:
        body = str(FIELD_LABELS["body"])
        return {
            "type": "comment_edit",
            "changes": [
                (body, self.names.show("body", pair[0]), self.names.show("body", pair[1]))
                for key, pair in changes.items()
                if key == "body" and isinstance(pair, list)
            ],
        }

    def _evidence_withdrawn(self, event: AuditEvent, changes: dict) -> dict | None:
        reason = changes.get("withdrawn_reason")
        if not isinstance(reason, list) or not reason[1]:
            return None
        return {"type": "evidence_withdrawn", "label": reason[1]}

    def _evidence(self, event: AuditEvent, changes: dict) -> dict:
        label = changes.get("title") or changes.get("filename") or changes.get("url") or ""
        return {"type": "evidence", "label": label}

    def _indicator(self, event: AuditEvent, changes: dict) -> dict:
        return {
            "type": "indicator",
            "action": event.action,
            "label": self.indicator_names.get(event.record_id, ""),
            "changes": self.names.changes(changes) if event.action == "update" else [],
        }

    def _measurement(self, event: AuditEvent, changes: dict) -> dict | None:
        value = changes.get("value")
        value = value[1] if isinstance(value, list) else value
        if value is None:
            return None
        indicator_id, day = self.measured.get(event.record_id, (None, None))
        return {
            "type": "measurement",
            "action": event.action,
            "label": self.indicator_names.get(changes.get("indicator_id", indicator_id), ""),
            "value": value,
            "on": self.names.show("measured_on", changes.get("measured_on", day)),
        }


def build_history(item: Item, *, since_version: int | None = None) -> list[dict]:
    """One timeline of the item, newest first: status updates, comments, evidence,
    indicators and every audited field change, with names for ids. ``since_version`` keeps
    what happened after the item left that version (for the conflict page)."""
    updates, comments, events = _records_of(item)
    names = Names([u.author_id for u in updates] + [c.author_id for c in comments], events)
    cutoff_id = None
    if since_version is not None:
        cutoff_id = _first_event_since(events, since_version)
        if cutoff_id is None:
            return []
    make = _Entries(item, names, events)
    entries = [make.update(update) for update in updates]
    entries += [make.comment(comment) for comment in comments]
    entries += [entry for entry in map(make.event, events) if entry is not None]
    if cutoff_id is not None:
        entries = [e for e in entries if e["order"] >= cutoff_id]
    entries.sort(key=lambda e: (e["when"], e["order"]), reverse=True)
    return entries


def field_changes_since(item: Item, seen_version: int) -> list[dict]:
    """The audited ``{field: [old, new]}`` changes of ``item`` that moved it on from
    ``seen_version`` or later, oldest first (what a conflict page sets against a form)."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.record_type == "items",
            AuditEvent.record_id == item.id,
            AuditEvent.action == "update",
        )
        .order_by(AuditEvent.id)
    )
    return [
        event.changes
        for event in events
        if isinstance((event.changes or {}).get("version"), list)
        and event.changes["version"][0] >= seen_version
    ]
