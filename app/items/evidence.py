"""Evidence files: the allow-list checked by content (magic bytes), safe names, storage under
a random name outside static/, and the path to serve a stored file from."""

import hashlib
import io
import os
import re
import secrets
import zipfile

from werkzeug.security import safe_join
from werkzeug.utils import secure_filename

from app.core.errors import N_, ValidationError

CHUNK = 64 * 1024
STORED_NAME = re.compile(r"^[0-9a-f]{32}$")
ZIP_KINDS = (  # (inner file that must exist, content type)
    (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
)
ODT = "application/vnd.oasis.opendocument.text"


def _zip_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT if "content.xml" in names else None
            if "[Content_Types].xml" not in names:
                return None
            for inner, content_type in ZIP_KINDS:
                if inner in names:
                    return content_type
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError):
        return None
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff(data: bytes, filename: str = "") -> str | None:
    """The content type of ``data`` when it is an allowed kind of file, judged by its
    content (never by the name or the browser's word): PDF, PNG, JPEG, UTF-8 text or CSV,
    DOCX, XLSX, ODT. None otherwise."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    if data and _is_text(data):
        return "text/csv" if filename.lower().endswith(".csv") else "text/plain"
    return None


def check_filename(name: str | None) -> str:
    """The name to show and to download under; a path-like or empty name is refused."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(N_("Choose a file."), fields={"file": N_("Choose a file.")})
    if (
        len(name) > 255
        or "/" in name
        or "\\" in name
        or ".." in name
        or name.startswith(".")
        or any(ord(c) < 32 for c in name)
    ):
        raise ValidationError(
            N_("The file name must be a plain name, not a path."),
            fields={"file": N_("Not a plain file name.")},
        )
    return name


def download_name(name: str | None) -> str:
    """A safe file name for the download (ASCII, no path), ``evidence`` when nothing is left."""
    return secure_filename(name or "") or "evidence"


def store(upload, folder: str, max_bytes: int) -> dict:
    """Check and store an uploaded file (a werkzeug ``FileStorage``); returns the
    ``stored_file`` fields ``attach_evidence`` takes. Raises ``ValidationError`` for a wrong
    type, size or name; writes nothing then."""
    filename = check_filename(getattr(upload, "filename", None))
    data = upload.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            N_("The file is larger than %(max)s MB."),
            fields={"file": N_("Too large.")},
            max=f"{max_bytes / 1024 / 1024:.0f}",
        )
    if not data:
        raise ValidationError(N_("The file is empty."), fields={"file": N_("Empty file.")})
    content_type = sniff(data, filename)
    if content_type is None:
        raise ValidationError(
            N_(
                "This kind of file is not accepted. Use PDF, PNG, JPEG, text, CSV, DOCX, XLSX "
                "or ODT."
            ),
            fields={"file": N_("File type not accepted.")},
        )
    os.makedirs(folder, exist_ok=True)
    stored_name = secrets.token_hex(16)
    with open(os.path.join(folder, stored_name), "xb") as handle:
        handle.write(data)
    return {
        "stored_name": stored_name,
        "filename": filename,
        "content_type": content_type,
        "size_bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def stored_path(folder: str, stored_name: str | None) -> str | None:
    """The path of a stored file, or None if the name is not one this module made."""
    if not stored_name or not STORED_NAME.match(stored_name):
        return None
    path = safe_join(folder, stored_name)
    return path if path and os.path.isfile(path) else None


def discard(folder: str, stored_file: dict | None) -> None:
    """Remove a file stored for a write that was then refused."""
    path = stored_path(folder, (stored_file or {}).get("stored_name"))
    if path:
        os.remove(path)
