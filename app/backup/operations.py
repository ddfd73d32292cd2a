"""Take a backup of a database in one snapshot; restore one in one transaction, or not at all."""

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, Table, func, inspect, select, text, update

from app.audit import guard
from app.audit.chain import VerifyResult, verify_chain
from app.backup import codec
from app.backup.archive import BackupError, Reader, Writer
from app.core.sqlite import take_write_lock
from app.core.time import utcnow
from app.items.evidence import STORED_NAME

BATCH = 1000


@dataclass(frozen=True)
class FileSet:
    """Files stored outside the database that rows of ``table`` name in ``column``."""

    name: str
    table: str
    column: str
    checksum_column: str | None
    folder_setting: str


FILE_SETS = (FileSet("evidence", "evidence", "stored_name", "sha256", "UPLOAD_FOLDER"),)


@dataclass
class BackupReport:
    """What a backup holds, and what it could not hold."""

    path: str
    tables: int = 0
    rows: int = 0
    files: int = 0
    size: int = 0
    revision: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class RestoreReport:
    """What a restore wrote."""

    tables: int = 0
    rows: int = 0
    files: int = 0
    revision: str | None = None
    chain: VerifyResult | None = None


def schema_revision(connection: Connection) -> str | None:
    """The Alembic revision of the database (several heads joined), None without Alembic."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    heads = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return ",".join(sorted(heads)) or None


def _tables(metadata) -> list[Table]:
    return list(metadata.sorted_tables)  # parents before children


def _ordered(table: Table):
    keys = list(table.primary_key.columns) or list(table.columns)
    return select(table).order_by(*keys).execution_options(yield_per=BATCH)


def _encoded_rows(connection: Connection, table: Table):
    encoders = {column.name: codec.encoder(column) for column in table.columns}
    with connection.execute(_ordered(table)) as result:
        for row in result.mappings():
            yield {name: encoders[name](row[name]) for name in encoders}


def _snapshot(engine: Engine) -> Connection:
    """A connection reading one consistent state of the whole database."""
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection = connection.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    connection.begin()
    return connection


def _file_path(folder: str, name: object) -> str | None:
    if not isinstance(name, str) or not STORED_NAME.match(name):
        return None
    return os.path.join(folder, name)


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _backup_files(connection, metadata, writer: Writer, config, report: BackupReport) -> None:
    for file_set in FILE_SETS:
        table = metadata.tables[file_set.table]
        folder = config[file_set.folder_setting]
        columns = [table.c[file_set.column]]
        if file_set.checksum_column:
            columns.append(table.c[file_set.checksum_column])
        stmt = select(*columns).where(table.c[file_set.column].is_not(None))
        for name, *checksum in connection.execute(stmt.order_by(table.c[file_set.column])):
            path = _file_path(folder, name)
            if path is None or not os.path.isfile(path):
                report.warnings.append(f"{file_set.name} file {name} is missing")
                continue
            if checksum and checksum[0] and _sha256(path) != checksum[0]:
                report.warnings.append(
                    f"{file_set.name} file {name} does not match the checksum recorded "
                    "when it was stored (kept as it is now)"
                )
            writer.add_file(file_set.name, name, path)
            report.files += 1


def make_backup(engine: Engine, metadata, config, path: str) -> BackupReport:
    """Write every table of ``metadata`` and every stored file to ``path``, from one
    snapshot of the database. The file appears only once complete."""
    report = BackupReport(path)
    writer = Writer(path)
    connection = _snapshot(engine)
    try:
        report.revision = schema_revision(connection)
        writer.manifest.update(
            created_at=utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
            dialect=engine.dialect.name,
            schema_revision=report.revision,
        )
        for table in _tables(metadata):
            columns = [column.name for column in table.columns]
            report.rows += writer.add_table(table.name, columns, _encoded_rows(connection, table))
            report.tables += 1
        _backup_files(connection, metadata, writer, config, report)
        writer.manifest["warnings"] = report.warnings
        report.size = writer.close()
    except BaseException:
        writer.abort()
        raise
    finally:
        connection.rollback()
        connection.close()
    return report


def _check_schema(reader: Reader, connection: Connection, metadata) -> list[Table]:
    """The target's tables in insertion order, once sure they are the backup's."""
    manifest = reader.manifest
    revision = schema_revision(connection)
    if manifest.get("schema_revision") != revision:
        raise BackupError(
            f"the backup is of schema revision {manifest.get('schema_revision')}, this database "
            f"is at {revision}: restore into a database at the backup's revision "
            "(flask db upgrade REVISION), then upgrade it."
        )
    tables = _tables(metadata)
    in_backup = {t["name"]: t["columns"] for t in manifest["tables"]}
    for table in tables:
        if table.name not in in_backup:
            raise BackupError(f"the backup has no table {table.name}.")
        if sorted(in_backup.pop(table.name)) != sorted(c.name for c in table.columns):
            raise BackupError(f"the backup's table {table.name} has other columns.")
    if in_backup:
        raise BackupError(f"this database has no table {', '.join(sorted(in_backup))}.")
    return tables


def _occupied(connection: Connection, tables: list[Table]) -> list[str]:
    counts = []
    for table in tables:
        n = connection.execute(select(func.count()).select_from(table)).scalar_one()
        if n:
            counts.append(f"{n} rows in {table.name}")
    return counts


def _destination(entry: dict, config: Any, replace: bool) -> tuple[Any, str, str] | None:
    """(file set, folder, final path) of a backed-up file, or None when the same file is
    already in place; a name or kind the backup should not hold, or a different file in the
    way without ``replace``, is a ``BackupError``."""
    file_set = next((s for s in FILE_SETS if s.name == entry["set"]), None)
    if file_set is None:
        raise BackupError(f"the backup holds files of an unknown kind: {entry['set']}.")
    folder = config[file_set.folder_setting]
    final = _file_path(folder, entry["name"])
    if final is None:
        raise BackupError(f"the backup holds a file named {entry['name']!r}.")
    if os.path.exists(final):
        if _sha256(final) == entry["sha256"]:
            return None
        if not replace:
            raise BackupError(
                f"{final} exists with other content: restore with --replace to overwrite it."
            )
    return file_set, folder, final


def _stage_files(reader: Reader, config: Any, replace: bool) -> list[tuple[str, str]]:
    """Copy the backup's files next to their final place; (staged, final) pairs."""
    moves: list[tuple[str, str]] = []
    staging: dict[str, str] = {}
    try:
        for entry in reader.manifest["files"]:
            destination = _destination(entry, config, replace)
            if destination is None:
                continue
            file_set, folder, final = destination
            if folder not in staging:
                os.makedirs(folder, exist_ok=True)
                staging[folder] = tempfile.mkdtemp(prefix=".suivi-restore-", dir=folder)
            staged = os.path.join(staging[folder], entry["name"])
            if reader.copy_file(file_set.name, entry["name"], staged) != entry["sha256"]:
                raise BackupError(f"the backup is damaged: {entry['name']} changed while read.")
            moves.append((staged, final))
    except BaseException:
        for folder in staging.values():
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return moves


def _self_references(table: Table) -> list[str]:
    return [
        c.name
        for c in table.columns
        if any(fk.column.table is table for fk in c.foreign_keys) and c.nullable
    ]


def _discard(connection: Connection, table: Table) -> None:
    """Delete every row (a RESTRICT reference to the same table is cut first)."""
    self_refs = _self_references(table)
    if self_refs:
        connection.execute(update(table).values(dict.fromkeys(self_refs)))
    connection.execute(table.delete())


def _insert(connection: Connection, reader: Reader, table: Table) -> int:
    decoders = {column.name: codec.decoder(column) for column in table.columns}
    # A reference to the same table (a parent organisation) is set once every row is in.
    self_refs = _self_references(table)
    keys = [c.name for c in table.primary_key.columns]
    # The second pass must not let an ``onupdate`` default (updated_at) change the row.
    kept = [c.name for c in table.columns if c.onupdate is not None]
    later, batch, count = [], [], 0
    for raw in reader.rows(table.name):
        try:
            row = {name: decoders[name](raw[name]) for name in decoders}
        except (KeyError, ValueError, TypeError) as exc:
            raise BackupError(f"the backup's table {table.name} holds a bad row: {exc}") from None
        if self_refs and any(row[c] is not None for c in self_refs):
            later.append({k: row[k] for k in [*keys, *self_refs, *kept]})
            row.update(dict.fromkeys(self_refs))
        batch.append(row)
        count += 1
        if len(batch) >= BATCH:
            connection.execute(table.insert(), batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)
    for values in later:
        where = [table.c[k] == values[k] for k in keys]
        changes = {c: values[c] for c in [*self_refs, *kept]}
        connection.execute(update(table).where(*where).values(changes))
    return count


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """PostgreSQL: each serial id goes on from the largest restored one."""
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1:
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": keys[0].name},
        ).scalar()
        if sequence:
            key = keys[0]
            connection.execute(
                select(
                    func.setval(
                        sequence, func.coalesce(func.max(key), 1), func.max(key).is_not(None)
                    )
                ).select_from(table)
            )


def _refuse_occupied(occupied: list[str]) -> None:
    raise BackupError(
        "this database is not empty ("
        + ", ".join(occupied[:4])
        + (", …" if len(occupied) > 4 else "")
        + "): restore into a new database, or pass --replace to discard what it holds."
    )


def _lock(connection: Connection, tables: list[Table]) -> None:
    """Take the write lock; on PostgreSQL lock every table (nobody writes meanwhile; a
    server still at work makes the restore fail, not hang)."""
    take_write_lock(connection)
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL lock_timeout = '15s'"))
        names = ", ".join(f'"{t.name}"' for t in tables)
        connection.execute(text(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE"))


def _check_counts(connection: Connection, reader: Reader, tables: list[Table]) -> None:
    """Every table holds as many rows as the backup says it does."""
    expected = {t["name"]: t["rows"] for t in reader.manifest["tables"]}
    for table in tables:
        stored = connection.execute(select(func.count()).select_from(table)).scalar_one()
        if stored != expected[table.name]:
            raise BackupError(
                f"{table.name}: {stored} rows restored, the backup holds {expected[table.name]}."
            )


def _restore_rows(
    connection: Connection, reader: Reader, tables: list[Table], replace: bool
) -> RestoreReport:
    """In one transaction: discard what the database holds (with ``replace``), insert the
    backup's rows, check the counts, reset the sequences, verify the audit chain."""
    report = RestoreReport(revision=reader.manifest.get("schema_revision"))
    _lock(connection, tables)
    occupied = _occupied(connection, tables)
    if occupied and not replace:
        raise BackupError("this database received data meanwhile: not restored.")
    if occupied:
        guard.remove(connection)
        for table in reversed(tables):
            _discard(connection, table)
        guard.install(connection)
    for table in tables:
        report.rows += _insert(connection, reader, table)
        report.tables += 1
    _check_counts(connection, reader, tables)
    if connection.dialect.name == "postgresql":
        _reset_sequences(connection, tables)
    report.chain = verify_chain(connection)
    return report


def restore_backup(
    engine: Engine, metadata: MetaData, config: Any, path: str, replace: bool = False
) -> RestoreReport:
    """Check the whole backup, then restore it in one transaction; files are moved into
    place only once the transaction has committed. Refuses a database that holds data unless
    ``replace``, which discards it in the same transaction."""
    reader = Reader(path)
    try:
        reader.check()
        with engine.connect() as probe:
            tables = _check_schema(reader, probe, metadata)
            occupied = _occupied(probe, tables)
        if occupied and not replace:
            _refuse_occupied(occupied)
        moves = _stage_files(reader, config, replace)
        try:
            with engine.begin() as connection:
                report = _restore_rows(connection, reader, tables, replace)
        except BaseException:
            for staged, _final in moves:
                shutil.rmtree(os.path.dirname(staged), ignore_errors=True)
            raise
        for staged, final in moves:
            os.replace(staged, final)
        report.files = len(reader.manifest["files"])
        for folder in {os.path.dirname(staged) for staged, _final in moves}:
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        reader.close()
    return report
