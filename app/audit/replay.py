"""Replay: rebuild every tracked record from its audit events alone and compare it with the
database, so that an edit made behind Suivi's back (raw SQL) is named, record and field.

Every insert event holds the new row's fields, every update event the fields it changed
(``{field: [old, new]}``), every delete event the row as it was; the flush hook writes them
for each tracked model, so the events of a record, applied in order, must give the row the
database holds. The replay is generic: it reads the mapped classes and the foreign keys, and
imports no domain. What the events do not carry is not compared: redacted fields (hashes of
passwords and tokens), ignored ones (timestamps such as ``updated_at``) and a column the
database fills in itself (a server default) until an event sets it. A row removed by the
database's own ``ON DELETE CASCADE`` or ``SET NULL`` after a logged delete is followed too.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, Table, select

from app.audit import tracking
from app.audit.models import AuditEvent

ROW_ACTIONS = frozenset({"insert", "update", "delete"})
UNKNOWN = object()  # a field the events do not know yet: not compared


@dataclass(frozen=True)
class Discrepancy:
    """One record whose stored state its events do not explain."""

    record_type: str
    record_id: Any
    field: str | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.record_type} {self.record_id}"
        if self.field:
            where = f"{where}, {self.field}"
        return f"{where}: {self.problem}"


@dataclass
class _Collection:
    """A many-to-many collection of a model, as its association table holds it."""

    key: str
    secondary: Table
    local: Column  # the association column holding the owner's id
    remote: Column  # the one holding the member's id


@dataclass
class _Model:
    """What the replay compares for one tracked table."""

    table: Table
    pk: Column
    columns: dict[str, Column]  # attribute key -> column, the compared ones
    unknown_at_insert: frozenset[str]
    collections: dict[str, _Collection]


def _compared(cls, key: str) -> bool:
    return not (
        key in tracking.ALWAYS_IGNORED
        or key in getattr(cls, "__audit_ignore__", ())
        or key in getattr(cls, "__audit_redact__", ())
    )


def _filled_by_database(column: Column) -> bool:
    default = column.default
    return column.server_default is not None or (
        default is not None and (default.is_clause_element or default.is_sequence)
    )


def tracked_models(registry) -> dict[str, _Model]:
    """The tracked tables of a declarative ``registry``, by table name."""
    models = {}
    for mapper in registry.mappers:
        cls = mapper.class_
        table = mapper.local_table
        if not getattr(cls, "__audit__", True) or not isinstance(table, Table):
            continue
        if len(table.primary_key.columns) != 1:
            continue  # events name a record by one id
        columns = {}
        for attr in mapper.column_attrs:
            own = len(attr.columns) == 1 and attr.columns[0].table is table
            if own and _compared(cls, attr.key):
                columns[attr.key] = attr.columns[0]
        collections = {}
        for rel in mapper.relationships:
            if rel.secondary is None or not _compared(cls, rel.key):
                continue
            collections[rel.key] = _Collection(
                rel.key,
                rel.secondary,
                rel.synchronize_pairs[0][1],
                rel.secondary_synchronize_pairs[0][1],
            )
        models[table.name] = _Model(
            table,
            next(iter(table.primary_key.columns)),
            columns,
            frozenset(k for k, c in columns.items() if _filled_by_database(c)),
            collections,
        )
    return models


def _pair(collection: _Collection, owner: Any, member: Any) -> tuple:
    return tuple(sorted({collection.local.name: owner, collection.remote.name: member}.items()))


class _State:
    """The records as the events describe them: table -> id -> field -> value."""

    def __init__(self, models: dict[str, _Model]):
        self.models = models
        self.rows: dict[str, dict[Any, dict[str, Any]]] = {name: {} for name in models}
        self.orphan_events: list[Discrepancy] = []
        # association table -> the rows the events add, each as ((column, value), ...)
        self.links: dict[str, set[tuple]] = {}
        # referenced table -> association table -> its columns referring to it
        self.link_references: dict[str, dict[str, list[str]]] = {}
        for model in models.values():
            for collection in model.collections.values():
                self.links.setdefault(collection.secondary.name, set())
                for column in collection.secondary.columns:
                    for fk in column.foreign_keys:
                        by_table = self.link_references.setdefault(fk.column.table.name, {})
                        names = by_table.setdefault(collection.secondary.name, [])
                        if column.name not in names:
                            names.append(column.name)
        # (child table, foreign key's attribute key, ON DELETE action) per referenced table
        self.references: dict[str, list[tuple[str, str, str]]] = {}
        for name, model in models.items():
            for key, column in model.columns.items():
                for fk in column.foreign_keys:
                    action = (fk.ondelete or "").upper()
                    if action in ("CASCADE", "SET NULL"):
                        target = fk.column.table.name
                        self.references.setdefault(target, []).append((name, key, action))

    def _link(self, collection: _Collection, owner: Any, members, present: bool) -> None:
        pairs = self.links.setdefault(collection.secondary.name, set())
        for member in members:
            if not isinstance(member, (int, str)):
                continue
            pair = _pair(collection, owner, member)
            if present:
                pairs.add(pair)
            else:
                pairs.discard(pair)

    def _collection_change(self, model: _Model, record_id: Any, key: str, change: Any) -> None:
        """Apply what changed (before → after), not the lists themselves: the flush hook
        sees only the loaded part of a collection, so the difference is what it knows."""
        if not (isinstance(change, list) and len(change) == 2):
            return
        before, after = (set(v) if isinstance(v, list) else set() for v in change)
        collection = model.collections[key]
        self._link(collection, record_id, before - after, present=False)
        self._link(collection, record_id, after - before, present=True)

    def insert(self, model: _Model, record_id: Any, changes: dict) -> None:
        # A field the insert did not set is NULL, unless the database fills it in.
        row = {
            key: changes.get(key, UNKNOWN if key in model.unknown_at_insert else None)
            for key in model.columns
        }
        self.rows[model.table.name][record_id] = row
        for key, collection in model.collections.items():
            if isinstance(changes.get(key), list):
                self._link(collection, record_id, changes[key], present=True)

    def update(self, model: _Model, record_id: Any, changes: dict, event_id: int) -> None:
        row = self.rows[model.table.name].get(record_id)
        if row is None:
            self.orphan_events.append(
                Discrepancy(
                    model.table.name,
                    record_id,
                    None,
                    f"event {event_id} updates it, but no event before it created it",
                )
            )
            row = self.rows[model.table.name][record_id] = dict.fromkeys(model.columns, UNKNOWN)
        for key, change in changes.items():
            if key in model.columns:
                row[key] = change[1] if isinstance(change, list) and len(change) == 2 else UNKNOWN
            elif key in model.collections:
                self._collection_change(model, record_id, key, change)

    def delete(self, table: str, record_id: Any) -> None:
        """Forget the record, then do what the database does to the rows referring to it."""
        if self.rows[table].pop(record_id, None) is None:
            return
        for child, key, action in self.references.get(table, ()):
            for child_id, row in list(self.rows[child].items()):
                if row.get(key) == record_id:
                    if action == "CASCADE":
                        self.delete(child, child_id)
                    else:
                        row[key] = None
        for secondary, columns in self.link_references.get(table, {}).items():
            pairs = self.links.get(secondary, set())
            for pair in [p for p in pairs if any(dict(p)[c] == record_id for c in columns)]:
                pairs.discard(pair)


def _events(connection: Connection, batch: int) -> Iterator:
    table = AuditEvent.__table__
    stmt = (
        select(table.c.id, table.c.action, table.c.record_type, table.c.record_id, table.c.changes)
        .where(table.c.action.in_(ROW_ACTIONS))
        .order_by(table.c.id)
        .execution_options(yield_per=batch)
    )
    with connection.execute(stmt) as result:
        yield from result


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _compare_links(connection: Connection, collection: _Collection, expected: set[tuple]):
    """Rows of an association table, told as the first collection that uses it."""
    secondary = collection.secondary
    stmt = select(collection.local, collection.remote)
    stored = {_pair(collection, owner, member) for owner, member in connection.execute(stmt)}
    owner_type = None
    for fk in collection.local.foreign_keys:
        owner_type = fk.column.table.name
    for pair, problem in sorted(
        [(p, "in the database, but no event adds it") for p in stored - expected]
        + [(p, "added by its events, but not in the database") for p in expected - stored],
        key=str,
    ):
        values = dict(pair)
        yield Discrepancy(
            owner_type or secondary.name,
            values[collection.local.name],
            collection.key,
            f"{values[collection.remote.name]} ({secondary.name}) is {problem}",
        )


def _compare(connection: Connection, model: _Model, expected: dict, batch: int):
    name = model.table.name
    keys = list(model.columns)
    stmt = (
        select(model.pk, *model.columns.values())
        .order_by(model.pk)
        .execution_options(yield_per=batch)
    )
    with connection.execute(stmt) as result:
        for row in result:
            record_id, values = row[0], dict(zip(keys, row[1:], strict=True))
            logged = expected.pop(record_id, None)
            if logged is None:
                yield Discrepancy(name, record_id, None, "no audit event records its creation")
                continue
            for key in keys:
                stored = tracking.jsonable(values[key])
                if logged[key] is not UNKNOWN and stored != logged[key]:
                    yield Discrepancy(
                        name,
                        record_id,
                        key,
                        f"{_show(stored)} in the database, {_show(logged[key])} by its events",
                    )
    for record_id in sorted(expected, key=str):
        yield Discrepancy(
            name, record_id, None, "its events say it exists, the database has no row"
        )


@dataclass
class ReplayResult:
    """What the replay found: ``records`` compared, ``events`` applied."""

    records: int
    events: int
    discrepancies: list[Discrepancy]

    @property
    def ok(self) -> bool:
        return not self.discrepancies


def replay(connection: Connection, registry, batch: int = 1000) -> ReplayResult:
    """Rebuild every tracked record of ``registry``'s models from the audit events and list
    each one whose stored state differs, in table order."""
    models = tracked_models(registry)
    state = _State(models)
    applied = 0
    for event_id, action, record_type, record_id, changes in _events(connection, batch):
        model = models.get(record_type)
        if model is None or record_id is None:
            continue
        applied += 1
        changes = changes if isinstance(changes, dict) else {}
        if action == "insert":
            state.insert(model, record_id, changes)
        elif action == "update":
            state.update(model, record_id, changes, event_id)
        else:
            state.delete(record_type, record_id)
    discrepancies = list(state.orphan_events)
    records = 0
    told: set[str] = set()
    for name in sorted(models):
        records += len(state.rows[name])
        discrepancies.extend(_compare(connection, models[name], state.rows[name], batch))
        for collection in models[name].collections.values():
            if collection.secondary.name not in told:
                told.add(collection.secondary.name)
                expected = state.links[collection.secondary.name]
                records += len(expected)
                discrepancies.extend(_compare_links(connection, collection, expected))
    return ReplayResult(records, applied, discrepancies)
