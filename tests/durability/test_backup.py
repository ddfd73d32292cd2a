"""`flask backup` and `flask restore`: the whole database and its evidence files, SQLite to
PostgreSQL and back with identical rows; a damaged or foreign file, or a restore that fails
midway, writes nothing."""

import io
import os
import shutil
import tempfile
import zipfile
from datetime import date

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select, text
from werkzeug.datastructures import FileStorage

from app import create_app
from app.auth import services as auth_services
from app.backup import codec
from app.backup.archive import Reader, Writer
from app.extensions import db
from app.items import evidence as evidence_files
from app.items import services
from app.items.models import Item
from app.stakeholders import services as org_services
from tests.conftest import is_postgres
from tests.durability.servers import SYSTEM, database_url

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def _app(url: str):
    folder = tempfile.mkdtemp(prefix="suivi-backup-evidence-")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=folder)
    with app.app_context():
        upgrade()
    return app


def run(app, *args):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        db.session.remove()
    return result


def _fill(app) -> None:
    """The seed, then a little of everything, an evidence file and a late parent included."""
    assert run(app, "seed").exit_code == 0
    with app.app_context():
        manager = auth_services.create_user(
            SYSTEM,
            email="m@example.org",
            name="Manager",
            role="manager",
            organisation=org_services.create_organisation(SYSTEM, acronym="CHILD", name="C"),
            password="correct-horse-battery",
        )
        parent = org_services.create_organisation(SYSTEM, acronym="PARENT", name="Later parent")
        org_services.update_organisation(SYSTEM, manager.organisation, parent=parent)
        item = db.session.scalars(select(Item).order_by(Item.id)).first()
        services.change_status(manager, item, item.version, status="in_progress", progress=35)
        comment = services.add_comment(manager, item, "Première *note* — ünïcode")
        services.edit_comment(manager, comment, "Deuxième note")
        indicator = services.create_indicator(manager, item, name="Police deployed", unit="")
        services.record_measurement(manager, indicator, value=1052, measured_on=date(2015, 2, 28))
        stored = evidence_files.store(
            FileStorage(io.BytesIO(PNG), filename="photo.png"),
            app.config["UPLOAD_FOLDER"],
            app.config["EVIDENCE_MAX_BYTES"],
        )
        services.attach_evidence(manager, item, title="Photo", stored_file=stored)
        services.attach_evidence(manager, item, title="Link", url="https://example.org/a")
        auth_services.create_token(SYSTEM, manager, "laptop")
        db.session.commit()
        db.session.remove()


def dump(app) -> dict:
    """Every row of every table (as the backup encodes them) and every evidence file."""
    with app.app_context():
        tables = {}
        with db.engine.connect() as connection:
            for table in db.metadata.sorted_tables:
                encoders = {c.name: codec.encoder(c) for c in table.columns}
                keys = list(table.primary_key.columns)
                rows = connection.execute(select(table).order_by(*keys)).mappings()
                tables[table.name] = [{k: encoders[k](v) for k, v in row.items()} for row in rows]
        folder = app.config["UPLOAD_FOLDER"]
        files = {}
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), "rb") as handle:
                files[name] = handle.read()
    return {"tables": tables, "files": files}


def _counts(app) -> dict:
    with app.app_context(), db.engine.connect() as connection:
        return {
            t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
            for t in db.metadata.sorted_tables
        }


def _empty(app) -> bool:
    return not any(_counts(app).values()) and os.listdir(app.config["UPLOAD_FOLDER"]) == []


def _dispose(*apps) -> None:
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def source():
    """A filled SQLite database and its backup."""
    app = _app(database_url("sqlite", "backup-source"))
    _fill(app)
    path = os.path.join(tempfile.mkdtemp(prefix="suivi-backups-"), "source.zip")
    result = run(app, "backup", path)
    assert result.exit_code == 0, result.output
    yield app, path
    _dispose(app)


MIDDLE = "postgresql" if is_postgres() else "sqlite"


def test_a_round_trip_through_another_database_gives_identical_rows(source):
    first, first_backup = source
    middle = _app(database_url(MIDDLE, "backup-middle"))
    last = _app(database_url("sqlite", "backup-last"))
    restored = run(middle, "restore", first_backup)
    assert restored.exit_code == 0, restored.output
    assert "The restored audit chain verifies" in restored.output
    second_backup = first_backup.replace("source.zip", "middle.zip")
    assert run(middle, "backup", second_backup).exit_code == 0
    assert run(last, "restore", second_backup).exit_code == 0
    original = dump(first)
    assert original["files"]
    assert len(original["tables"]["audit_events"]) > 90
    assert dump(middle) == original
    assert dump(last) == original
    for app in (first, middle, last):
        verify = run(app, "audit", "verify", "--replay")
        assert verify.exit_code == 0, verify.output
        assert "exactly what their" in verify.output
    with middle.app_context():  # the ids go on after the restored ones
        org = org_services.create_organisation(SYSTEM, acronym="AFTER", name="After")
        db.session.commit()
        assert org.id == max(row["id"] for row in original["tables"]["organisations"]) + 1
        db.session.remove()
    assert run(middle, "audit", "verify").exit_code == 0
    _dispose(middle, last)


def _flipped(path: str, position: int) -> str:
    with open(path, "rb") as handle:
        data = bytearray(handle.read())
    data[position] ^= 0x01
    copy = path.replace(".zip", f"-flip{position}.zip")
    with open(copy, "wb") as handle:
        handle.write(data)
    return copy


@pytest.fixture(scope="module")
def target():
    app = _app(database_url(MIDDLE, "backup-target"))
    yield app
    _dispose(app)


def test_a_flipped_byte_anywhere_is_refused_and_nothing_is_written(source, target):
    _app_source, path = source
    size = os.path.getsize(path)
    positions = sorted({*range(0, size - 84, max(1, size // 40)), size - 85, size - 1})
    for position in positions:
        result = run(target, "restore", _flipped(path, position))
        assert result.exit_code == 1, position
        assert "Error: nothing was restored:" in result.output
        assert "is damaged" in result.output, (position, result.output)
    in_trailer = run(target, "restore", _flipped(path, size - 80))
    assert in_trailer.exit_code == 1
    assert "is not a Suivi backup" in in_trailer.output
    assert _empty(target)


def test_a_file_from_another_program_is_refused(source, target, tmp_path):
    app, _path = source
    other_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("manifest.json", '{"format": "something-else"}')
    empty = tmp_path / "empty.zip"
    empty.write_bytes(b"")
    random_bytes = tmp_path / "random.bin"
    random_bytes.write_bytes(os.urandom(5000))
    xlsx = tmp_path / "status.xlsx"
    with app.app_context():
        from openpyxl import Workbook

        Workbook().save(xlsx)
    for foreign in (other_zip, empty, random_bytes, xlsx):
        result = run(target, "restore", str(foreign))
        assert result.exit_code == 1
        assert f"{foreign} is not a Suivi backup" in result.output
    missing = run(target, "restore", str(tmp_path / "nowhere.zip"))
    assert missing.exit_code == 1
    assert "does not exist" in missing.output
    assert _empty(target)


def _rewritten(path: str, change_row=None, **manifest) -> str:
    """A copy of the backup with sound checksums but other content."""
    reader = Reader(path)
    copy = path.replace(".zip", f"-rewritten-{len(os.listdir(os.path.dirname(path)))}.zip")
    writer = Writer(copy)
    writer.manifest.update(
        {k: v for k, v in reader.manifest.items() if k not in ("tables", "files")}
    )
    writer.manifest.update(manifest)
    for table in reader.manifest["tables"]:
        rows = (
            change_row(table["name"], row) if change_row else row
            for row in reader.rows(table["name"])
        )
        writer.add_table(table["name"], table["columns"], rows)
    folder = tempfile.mkdtemp()
    for entry in reader.manifest["files"]:
        source_file = os.path.join(folder, entry["name"])
        reader.copy_file(entry["set"], entry["name"], source_file)
        writer.add_file(entry["set"], entry["name"], source_file)
    writer.close()
    reader.close()
    shutil.rmtree(folder)
    return copy


def test_a_restore_that_fails_midway_writes_nothing(source, target):
    _app_source, path = source

    def bad_last_item(table, row):
        if table == "items" and row["id"] == 18:
            return {**row, "status": "bogus"}
        return row

    result = run(target, "restore", _rewritten(path, bad_last_item))
    assert result.exit_code == 1
    assert "nothing was restored" in result.output
    assert "ck_items_status" in result.output
    assert _empty(target)


def test_another_schema_revision_is_refused(source, target):
    _app_source, path = source
    result = run(target, "restore", _rewritten(path, schema_revision="0000older"))
    assert result.exit_code == 1
    assert "the backup is of schema revision 0000older" in result.output
    assert _empty(target)


def test_a_database_that_holds_data_is_kept_unless_replace(source):
    app, path = source
    other = _app(database_url(MIDDLE, "backup-replace"))
    _fill(other)
    with other.app_context():
        org_services.create_organisation(SYSTEM, acronym="ONLYHERE", name="Only here")
        db.session.commit()
        db.session.remove()
    before = dump(other)
    refused = run(other, "restore", path)
    assert refused.exit_code == 1
    assert "this database is not empty" in refused.output
    assert dump(other) == before
    replaced = run(other, "restore", "--replace", path)
    assert replaced.exit_code == 0, replaced.output
    after = dump(other)
    assert after["tables"] == dump(app)["tables"]
    assert set(dump(app)["files"]) <= set(after["files"])
    with other.app_context(), db.engine.connect() as connection:  # the guard is back
        connection.begin()
        with pytest.raises(Exception, match="append-only"):
            connection.execute(text("DELETE FROM audit_events"))
    _dispose(other)


def test_backup_names_missing_or_altered_files_and_never_overwrites(source, tmp_path):
    app, path = source
    assert run(app, "backup", path).exit_code == 1  # exists already
    folder = app.config["UPLOAD_FOLDER"]
    (name,) = os.listdir(folder)
    original = os.path.join(folder, name)
    os.rename(original, original + ".away")
    try:
        result = run(app, "backup", str(tmp_path / "missing.zip"))
        assert result.exit_code == 1
        assert f"evidence file {name} is missing" in result.output
        assert (tmp_path / "missing.zip").exists()
    finally:
        os.rename(original + ".away", original)
    with open(original, "rb") as handle:
        content = handle.read()
    try:
        with open(original, "wb") as handle:
            handle.write(content[:-1] + b"!")
        altered = run(app, "backup", str(tmp_path / "altered.zip"))
        assert altered.exit_code == 1
        assert "does not match the checksum" in altered.output
    finally:
        with open(original, "wb") as handle:
            handle.write(content)
    assert sorted(os.listdir(tmp_path)) == ["altered.zip", "missing.zip"]  # no temporary left
