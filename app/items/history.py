"""An item's timeline: status updates, comments, evidence, indicators and audited field
changes merged into one list, with ids turned into names in a bounded number of statements."""

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.core.markdown import render_markdown
from app.core.time import as_utc
from app.extensions import db
from app.items.labels import FIELD_LABELS, KIND_LABELS, PRIORITY_LABELS, status_label
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
    return dict(db.session.execute(select(model.id, column).where(model.id.in_(ids))).all())


def _as_list(value) -> list:
    return value if isinstance(value, list) else []


class Names:
    """Ids found in a history turned into what a reader recognises, in a few statements."""

    def __init__(self, user_ids, events):
        org_ids, theme_ids, item_ids, source_ids = set(), set(), set(), set()
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

    def user(self, user_id, fallback: str = "") -> str:
        """A user's name; a system actor (``system:seed``) is Suivi itself."""
        if user_id in self.users:
            return self.users[user_id]
        if fallback.startswith("system"):
            return _("Suivi (%(name)s)", name=fallback.partition(":")[2] or "system")
        return fallback or _("someone")

    def show(self, field: str, value) -> str:
        """A recorded value as a reader would say it."""
        if value is None or value == "" or value == []:
            return "—"
        if field == "lead_id":
            return self.orgs.get(value, f"#{value}")
        if field == "owner_id":
            return self.users.get(value, f"#{value}")
        if field == "supporting":
            return ", ".join(self.orgs.get(v, f"#{v}") for v in _as_list(value))
        if field == "themes":
            return ", ".join(self.themes.get(v, f"#{v}") for v in _as_list(value))
        if field in ("addresses", "addressed_by"):
            return ", ".join(self.items.get(v) or f"#{v}" for v in _as_list(value))
        if field == "source_id":
            return self.sources.get(value, f"#{value}")
        if field in ("due_date", "baseline_date", "target_date", "measured_on"):
            try:
                return format_date(date.fromisoformat(value))
            except (TypeError, ValueError):
                return str(value)
        if field == "kind":
            return str(KIND_LABELS.get(value, value))
        if field == "priority":
            return str(PRIORITY_LABELS.get(value, value))
        if field == "status":
            return status_label(value)
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


def build_history(item: Item, *, since_version: int | None = None) -> list[dict]:
    """One timeline of the item, newest first: status updates, comments, evidence,
    indicators and every audited field change, with names for ids. ``since_version`` keeps
    what happened after the item left that version (for the conflict page)."""
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
    names = Names([u.author_id for u in updates] + [c.author_id for c in comments], events)
    cutoff_id = None
    if since_version is not None:
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
            return []
        # The whole flush that moved the version on (a status update's row comes before).
        cutoff_id = min(e.id for e in events if e.created_at == moved.created_at)
    row_events = {(e.record_type, e.record_id): e.id for e in events if e.action == "insert"}
    indicator_names = {i.id: i.name for i in item.indicators}
    measured = {
        m.id: (i.id, m.measured_on.isoformat()) for i in item.indicators for m in i.measurements
    }
    edited = {e.record_id for e in events if e.record_type == "comments" and e.action == "update"}
    entries: list[dict] = []
    for update in updates:
        entries.append(
            {
                "type": "update",
                "when": as_utc(update.created_at),
                "order": row_events.get(("status_updates", update.id), 0),
                "who": names.user(update.author_id),
                "su": update,
            }
        )
    for comment in comments:
        entries.append(
            {
                "type": "comment",
                "when": as_utc(comment.created_at),
                "order": row_events.get(("comments", comment.id), 0),
                "who": names.user(comment.author_id),
                "comment": comment,
                "html": render_markdown(comment.body),
                "edited": comment.id in edited,
            }
        )
    for event in events:
        entry = {
            "when": as_utc(event.created_at),
            "order": event.id,
            "who": names.user(event.actor_id, event.actor),
        }
        changes = event.changes or {}
        if event.record_type == "items" and event.action == "insert":
            entry["type"] = "created"
        elif event.record_type == "items" and event.action == "update":
            entry.update(type="changes", changes=names.changes(changes))
            if not entry["changes"]:
                continue
        elif event.record_type == "comments" and event.action == "update":
            entry.update(
                type="comment_edit",
                changes=[
                    (
                        str(FIELD_LABELS["body"]),
                        names.show("body", pair[0]),
                        names.show("body", pair[1]),
                    )
                    for key, pair in changes.items()
                    if key == "body" and isinstance(pair, list)
                ],
            )
        elif event.record_type == "evidence" and event.action == "insert":
            entry.update(
                type="evidence",
                label=changes.get("title") or changes.get("filename") or changes.get("url") or "",
            )
        elif event.record_type == "indicators":
            entry.update(
                type="indicator",
                action=event.action,
                label=indicator_names.get(event.record_id, ""),
                changes=names.changes(changes) if event.action == "update" else [],
            )
        elif event.record_type == "measurements":
            value = changes.get("value")
            indicator_id, day = measured.get(event.record_id, (None, None))
            entry.update(
                type="measurement",
                action=event.action,
                label=indicator_names.get(changes.get("indicator_id", indicator_id), ""),
                value=value[1] if isinstance(value, list) else value,
                on=names.show("measured_on", changes.get("measured_on", day)),
            )
            if entry["value"] is None:
                continue
        else:
            continue
        entries.append(entry)
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
