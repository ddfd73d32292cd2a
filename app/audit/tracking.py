"""The flush hook that turns every insert, update and delete of a tracked model into events.

A model is tracked unless it sets ``__audit__ = False``. It may name fields whose values are
never written to the trail (``__audit_redact__``: the change is recorded, the value is not)
and fields that are not worth an event (``__audit_ignore__``), and say which record's history
it belongs to with ``audit_scope()``.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.orm.attributes import NO_VALUE

from app.audit import chain
from app.core.actor import Actor
from app.core.time import utcnow

SYSTEM = "system"
REDACTED = "[redacted]"
ALWAYS_IGNORED = frozenset({"updated_at", "created_at"})
_ACTOR_KEY = "audit_actor"

# A session, or the request's scoped session that stands for one (``db.session``).
AnySession = Session | scoped_session[Any]


def set_actor(session: AnySession, actor: Actor | str | None) -> None:
    """Say who is acting in this session: a user (anything with ``id`` and ``email``) or a
    system label such as ``"system:seed"``."""
    if actor is None or isinstance(actor, str):
        session.info[_ACTOR_KEY] = (None, actor or SYSTEM)
    else:
        session.info[_ACTOR_KEY] = (actor.id, actor.email)


def system_actor(name: str) -> str:
    """The label of a named system actor (the seed, a command)."""
    return f"{SYSTEM}:{name}"


def _actor(session: AnySession) -> tuple[int | None, str]:
    return session.info.get(_ACTOR_KEY, (None, SYSTEM))


def jsonable(value: Any) -> Any:
    """A JSON-native copy of a column value, stable across a database round trip."""
    if isinstance(value, datetime):
        return chain.canonical_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    return value


def _is_tracked(obj: Any) -> bool:
    return getattr(obj, "__audit__", True) and hasattr(obj, "__table__")


def _record_type(obj: Any) -> str:
    return obj.__table__.name


def _scope(obj: Any) -> tuple[str | None, int | None]:
    scope = getattr(obj, "audit_scope", None)
    return scope() if scope else (None, None)


def _skip(obj: Any, key: str) -> bool:
    return key in ALWAYS_IGNORED or key in getattr(obj, "__audit_ignore__", ())


def _shown(obj: Any, key: str, value: Any) -> Any:
    if key in getattr(obj, "__audit_redact__", ()) and value is not None:
        return REDACTED
    return jsonable(value)


def _ids(objects) -> list:
    return sorted(getattr(o, "id", None) for o in objects if o is not None)


def _row_values(obj: Any) -> dict[str, Any]:
    """Column values held in memory (never loaded: a deleted row cannot be read back)."""
    state = inspect(obj)
    values = {}
    for column_attr in state.mapper.column_attrs:
        key = column_attr.key
        if _skip(obj, key) or key not in state.dict:
            continue
        values[key] = _shown(obj, key, state.dict[key])
    for rel in state.mapper.relationships:  # many-to-many collections: the ids they hold
        if rel.secondary is not None and rel.key in state.dict and not _skip(obj, rel.key):
            ids = _ids(state.dict[rel.key])
            if ids:
                values[rel.key] = ids
    return values


def _row_updated(state) -> bool:
    """True when the flush wrote one of the row's columns (ignored ones included)."""
    for column_attr in state.mapper.column_attrs:
        history = state.attrs[column_attr.key].history
        if history.has_changes():
            return True
    return False


def _changed_pair(obj: Any, key: str, prop: Any, history: Any) -> list | None:
    """``[old, new]`` of a changed column (shown) or collection (the ids it holds), or None
    when the values are the same after all."""
    if hasattr(prop, "columns"):
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old is NO_VALUE:
            old = None
        return None if old == new else [_shown(obj, key, old), _shown(obj, key, new)]
    if prop.uselist:  # a collection: record the ids before and after
        before = _ids(list(history.unchanged) + list(history.deleted))
        after = _ids(list(history.unchanged) + list(history.added))
        return None if before == after else [before, after]
    # Scalar relationships (``lead``) show up through their foreign key column already.
    return None


def _update_changes(obj: Any) -> dict[str, list]:
    """``{field: [old, new]}`` for every changed column and collection of ``obj``."""
    state = inspect(obj)
    mapper = state.mapper
    changes: dict[str, list] = {}
    for attr in state.attrs:
        if _skip(obj, attr.key):
            continue
        history = attr.history  # passive: never loads what the flush did not touch
        if history.has_changes():
            pair = _changed_pair(obj, attr.key, mapper.attrs[attr.key], history)
            if pair is not None:
                changes[attr.key] = pair
    version_col = mapper.version_id_col
    # A versioned row updated only in ignored fields still moved its version on: record that,
    # so that every version of a row has its event.
    if version_col is not None and (changes or _row_updated(state)):
        version_key = mapper.get_property_by_column(version_col).key
        new_version = state.dict.get(version_key)
        if isinstance(new_version, int):
            changes[version_key] = [new_version - 1, new_version]
    return changes


def _row(session: Session, obj: Any, action: str, changes: dict, now: datetime) -> dict:
    actor_id, actor = _actor(session)
    scope_type, scope_id = _scope(obj)
    return {
        "created_at": now,
        "actor_id": actor_id,
        "actor": actor,
        "action": action,
        "record_type": _record_type(obj),
        "record_id": inspect(obj).dict.get("id"),
        "scope_type": scope_type,
        "scope_id": scope_id,
        "changes": changes,
    }


@event.listens_for(Session, "after_flush")
def _collect(session: Session, flush_context) -> None:
    """Write one event per changed tracked row, in the flush's own transaction.

    ``after_flush`` runs once the rows are written (so new rows have ids) while the
    attribute history still holds the old values.
    """
    now = utcnow()
    rows = []
    new = sorted(
        (o for o in session.new if _is_tracked(o)), key=lambda o: inspect(o).insert_order or 0
    )
    for obj in new:
        rows.append(_row(session, obj, "insert", _row_values(obj), now))
    for obj in sorted(
        (o for o in session.dirty if _is_tracked(o)),
        key=lambda o: (_record_type(o), inspect(o).dict.get("id") or 0),
    ):
        changes = _update_changes(obj)
        if changes:
            rows.append(_row(session, obj, "update", changes, now))
    for obj in sorted(
        (o for o in session.deleted if _is_tracked(o)),
        key=lambda o: (_record_type(o), inspect(o).dict.get("id") or 0),
    ):
        rows.append(_row(session, obj, "delete", _row_values(obj), now))
    chain.append(session.connection(), rows)


@event.listens_for(Session, "before_flush")
def _refuse_rewrites(session: Session, flush_context, instances) -> None:
    """Audit events are append-only: the ORM refuses to update or delete one."""
    changed = [o for o in session.dirty if session.is_modified(o)] + list(session.deleted)
    if any(getattr(o, "__tablename__", None) == chain.table.name for o in changed):
        raise RuntimeError("audit events are append-only")


def record(
    session: AnySession,
    action: str,
    record_type: str,
    record_id: int | None = None,
    *,
    changes: dict | None = None,
    scope: tuple[str | None, int | None] = (None, None),
) -> None:
    """Append an event that is not a row change (an export, a login), in this transaction."""
    actor_id, actor = _actor(session)
    chain.append(
        session.connection(),
        [
            {
                "created_at": utcnow(),
                "actor_id": actor_id,
                "actor": actor,
                "action": action,
                "record_type": record_type,
                "record_id": record_id,
                "scope_type": scope[0],
                "scope_id": scope[1],
                "changes": jsonable(changes or {}),
            }
        ],
    )
