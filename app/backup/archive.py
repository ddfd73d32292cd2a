"""The backup file: a zip holding a manifest, one JSON-lines file per table and the files.

    manifest.json           format, version, schema revision, tables (columns, rows, sha256),
                            files (size, sha256), and the SHA-256 of the manifest itself
    tables/<table>.jsonl    one JSON object per row, in primary-key order
    files/<set>/<name>      the stored files (evidence)

The zip's comment, its last bytes, is the SHA-256 of every byte before it; every member's
SHA-256 is in the manifest, and the zip checks its own CRC-32: a flipped byte anywhere is
found before a restore writes anything. Only these names are read back; a member
the manifest does not list, or a file name that is not one Suivi makes, refuses the file.
"""

import contextlib
import hashlib
import json
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

FORMAT = "suivi-backup"
VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
TRAILER = b"suivi-backup sha256:"  # the zip comment: this, then 64 hex digits
TRAILER_SIZE = len(TRAILER) + 64
_TABLE_MEMBER = re.compile(r"^tables/([a-z_][a-z0-9_]*)\.jsonl$")
_FILE_MEMBER = re.compile(r"^files/([a-z_]+)/([0-9A-Za-z_.-]{1,100})$")


class BackupError(Exception):
    """The file is not a sound Suivi backup, or cannot be written; the message says why."""


def _digest(manifest: dict) -> str:
    content = {k: v for k, v in manifest.items() if k != "sha256"}
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _line(row: dict) -> bytes:
    text = json.dumps(row, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text + "\n").encode("utf-8")


def _file_digest(handle, length: int) -> str:
    """SHA-256 of the first ``length`` bytes of an open file."""
    handle.seek(0)
    digest, left = hashlib.sha256(), length
    while left > 0:
        chunk = handle.read(min(CHUNK, left))
        if not chunk:
            break
        digest.update(chunk)
        left -= len(chunk)
    return digest.hexdigest()


def _check_trailer(path: str) -> None:
    """Refuse a file that does not end with Suivi's checksum, or whose bytes differ from it."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size < TRAILER_SIZE:
                raise BackupError(f"{path} is not a Suivi backup.")
            handle.seek(-TRAILER_SIZE, os.SEEK_END)
            tail = handle.read(TRAILER_SIZE)
            if not tail.startswith(TRAILER):
                raise BackupError(f"{path} is not a Suivi backup.")
            if _file_digest(handle, size - 64).encode("ascii") != tail[len(TRAILER) :]:
                raise BackupError(f"{path} is damaged: its bytes do not match its checksum.")
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder.") from None


@dataclass
class Writer:
    """Writes a backup to a temporary file next to ``path``; ``close`` moves it into place."""

    path: str
    manifest: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        folder = os.path.dirname(os.path.abspath(self.path))
        if os.path.exists(self.path):
            raise BackupError(f"{self.path} exists already: choose another name.")
        if not os.path.isdir(folder):
            raise BackupError(f"the folder {folder} does not exist.")
        handle, self._tmp = tempfile.mkstemp(prefix=".suivi-backup-", dir=folder)
        os.close(handle)
        self._zip = zipfile.ZipFile(self._tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
        self.manifest.update(format=FORMAT, version=VERSION, tables=[], files=[])

    def add_table(self, name: str, columns: list[str], rows: Iterable[dict]) -> int:
        """Write one table's rows (dicts of JSON-native values); returns how many."""
        digest, count = hashlib.sha256(), 0
        with self._zip.open(f"tables/{name}.jsonl", "w", force_zip64=True) as out:
            for row in rows:
                data = _line(row)
                digest.update(data)
                out.write(data)
                count += 1
        self.manifest["tables"].append(
            {"name": name, "columns": columns, "rows": count, "sha256": digest.hexdigest()}
        )
        return count

    def add_file(self, file_set: str, name: str, source: str) -> int:
        """Copy one stored file; returns its size."""
        digest, size = hashlib.sha256(), 0
        with (
            open(source, "rb") as handle,
            self._zip.open(f"files/{file_set}/{name}", "w", force_zip64=True) as out,
        ):
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
        self.manifest["files"].append(
            {"set": file_set, "name": name, "size": size, "sha256": digest.hexdigest()}
        )
        return size

    def close(self) -> int:
        """Write the manifest, make the file durable and move it to ``path``; its size."""
        self.manifest["sha256"] = _digest(self.manifest)
        self._zip.writestr(MANIFEST, json.dumps(self.manifest, indent=1, ensure_ascii=False))
        self._zip.comment = TRAILER + b"0" * 64
        self._zip.close()
        with open(self._tmp, "r+b") as handle:
            digest = _file_digest(handle, os.path.getsize(self._tmp) - 64)
            handle.seek(-64, os.SEEK_END)
            handle.write(digest.encode("ascii"))
            handle.flush()
            os.fsync(handle.fileno())
        if os.path.exists(self.path):
            self.abort()
            raise BackupError(f"{self.path} appeared meanwhile: not overwritten.")
        os.replace(self._tmp, self.path)
        return os.path.getsize(self.path)

    def abort(self) -> None:
        """Leave nothing behind."""
        with contextlib.suppress(OSError, ValueError, zipfile.BadZipFile):
            self._zip.close()
        if os.path.exists(self._tmp):
            os.remove(self._tmp)


class Reader:
    """Opens a backup, checks what it claims and streams its content back."""

    def __init__(self, path: str):
        self.path = path
        _check_trailer(path)
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise BackupError(f"{path} is not a Suivi backup (not a zip file).") from None
        try:
            manifest = json.loads(self._read_member(MANIFEST))
        except KeyError:
            raise BackupError(f"{path} is not a Suivi backup (it has no manifest).") from None
        except ValueError:
            raise BackupError(f"{path} is not a Suivi backup (its manifest is not JSON).") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{path} is not a Suivi backup (another program's zip file).")
        if manifest.get("version") != VERSION:
            raise BackupError(
                f"{path} is a Suivi backup of format version {manifest.get('version')!r}; "
                f"this Suivi reads version {VERSION}."
            )
        if manifest.get("sha256") != _digest(manifest):
            raise BackupError(f"{path} is damaged: its manifest does not match its checksum.")
        self.manifest = manifest
        self._check_members()

    def _read_member(self, name: str) -> bytes:
        try:
            return self._zip.read(name)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise BackupError(f"{self.path} is damaged ({name}: {exc}).") from None

    def _check_members(self) -> None:
        try:
            tables = {t["name"]: t for t in self.manifest["tables"]}
            files = {(f["set"], f["name"]): f for f in self.manifest["files"]}
        except (KeyError, TypeError):
            raise BackupError(f"{self.path} is damaged: its manifest is incomplete.") from None
        names = set(self._zip.namelist()) - {MANIFEST}
        expected = {f"tables/{name}.jsonl" for name in tables}
        expected |= {f"files/{s}/{n}" for s, n in files}
        for name in sorted(names | expected):
            if name not in names:
                raise BackupError(f"{self.path} is damaged: {name} is missing.")
            if name not in expected or not (_TABLE_MEMBER.match(name) or _FILE_MEMBER.match(name)):
                raise BackupError(f"{self.path} holds {name}, which its manifest does not list.")

    def _stream(self, name: str) -> Iterator[bytes]:
        try:
            with self._zip.open(name) as member:
                while chunk := member.read(CHUNK):
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise BackupError(f"{self.path} is damaged ({name}: {exc}).") from None

    def check(self) -> None:
        """Read every member through and compare its SHA-256 with the manifest."""
        members = [(f"tables/{t['name']}.jsonl", t["sha256"]) for t in self.manifest["tables"]]
        members += [(f"files/{f['set']}/{f['name']}", f["sha256"]) for f in self.manifest["files"]]
        for name, expected in members:
            digest = hashlib.sha256()
            for chunk in self._stream(name):
                digest.update(chunk)
            if digest.hexdigest() != expected:
                raise BackupError(f"{self.path} is damaged: {name} does not match its checksum.")

    def rows(self, table: str) -> Iterator[dict]:
        """The rows of one table, as written."""
        buffer = b""
        for chunk in self._stream(f"tables/{table}.jsonl"):
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                yield json.loads(line)
        if buffer.strip():
            yield json.loads(buffer)

    def copy_file(self, file_set: str, name: str, destination: str) -> str:
        """Write one stored file to ``destination``; returns its SHA-256."""
        digest = hashlib.sha256()
        with open(destination, "xb") as out:
            for chunk in self._stream(f"files/{file_set}/{name}"):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        return digest.hexdigest()

    def close(self) -> None:
        self._zip.close()
