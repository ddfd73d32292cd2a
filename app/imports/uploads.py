"""Uploads kept between the preview and the confirmation, in a folder keyed by the file's
SHA-256 (``IMPORT_FOLDER``, default ``<instance>/imports``): the plan is made again from the
stored file on confirmation, so nothing but the file is kept, and a result once applied."""

import hashlib
import json
import os
import re
import shutil
import time
from typing import IO, Any

from flask import current_app

from app.core.errors import N_, ValidationError
from app.items.evidence import check_filename, download_name

DIGEST = re.compile(r"[0-9a-f]{64}")
RESULT = "result.json"
KEEP_SECONDS = 7 * 24 * 3600  # an upload not confirmed within a week is removed


def folder() -> str:
    return current_app.config.get("IMPORT_FOLDER") or os.path.join(
        current_app.instance_path, "imports"
    )


def store(upload: Any) -> str:
    """Keep an uploaded file (a werkzeug ``FileStorage``); its SHA-256 names it."""
    name = check_filename(getattr(upload, "filename", None))
    data = upload.stream.read()
    if not data:
        raise ValidationError(N_("The file is empty."), fields={"file": N_("Empty file.")})
    digest = hashlib.sha256(data).hexdigest()
    _remove_old(time.time() - KEEP_SECONDS)
    path = os.path.join(folder(), digest)
    os.makedirs(path, exist_ok=True)
    for old in os.listdir(path):  # the same content uploaded again: a fresh start
        os.remove(os.path.join(path, old))
    with open(os.path.join(path, download_name(name)), "wb") as handle:
        handle.write(data)
    return digest


def _remove_old(before: float) -> None:
    """Remove the uploads (and results) last written before ``before``."""
    if not os.path.isdir(folder()):
        return
    for name in os.listdir(folder()):
        path = os.path.join(folder(), name)
        if DIGEST.fullmatch(name) and os.path.getmtime(path) < before:
            shutil.rmtree(path, ignore_errors=True)


def stored(digest: str) -> str | None:
    """The stored file's path for ``digest``, or None."""
    if not DIGEST.fullmatch(digest or ""):
        return None
    path = os.path.join(folder(), digest)
    names = sorted(n for n in os.listdir(path) if n != RESULT) if os.path.isdir(path) else []
    return os.path.join(path, names[0]) if names else None


def open_stored(path: str) -> IO[bytes]:
    return open(path, "rb")


def save_result(digest: str, result: dict) -> str:
    path = os.path.join(folder(), digest, RESULT)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    return path


def load_result(digest: str) -> dict | None:
    path = os.path.join(folder(), digest, RESULT) if DIGEST.fullmatch(digest or "") else ""
    if not path or not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def discard_result(path: str) -> None:
    if os.path.isfile(path):
        os.remove(path)
