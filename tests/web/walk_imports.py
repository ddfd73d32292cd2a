"""The import and sources routes the permissions walk runs on: a stored upload (with a result,
as after a confirmed import), a source, and the requests that write."""

import io
import itertools

from werkzeug.datastructures import FileStorage

from app.imports import services as import_services
from app.imports import uploads
from app.items import services as item_services
from tests.factories import SYSTEM

WALK_CSV = b"code,kind,title,lead\nWALK-1,recommendation,Walked import,LEAD\n"
_keys = itertools.count(1)

# (endpoint pattern, methods, class) rows for the walk's RULES.
IMPORT_RULES = [
    (r"imports\.(index|download_template|preview|result)", {"GET"}, "manage"),
    (r"imports\.(upload|confirm)", {"POST"}, "manage"),
    (r"api-imports\.create_import", {"POST"}, "manage"),
    (r"sources\.(index|detail)", {"GET"}, "read"),
    (r"sources\.(create|edit)", {"POST"}, "manage"),
]
IMPORT_WRITTEN = {"imports.upload": 303, "imports.confirm": 303, "api-imports.create_import": 201}
# Requests sent as multipart/form-data (a file), on the API too.
MULTIPART = {"imports.upload", "api-imports.create_import"}


def walked_imports() -> dict[str, object]:
    """A stored upload with a result, and a source; their ids for the walk's URLs."""
    digest = uploads.store(FileStorage(io.BytesIO(WALK_CSV), filename="walk.csv"))
    counts = {"rows": 1, "new": 1, "changed": 0, "unchanged": 0, "error": 0}
    uploads.save_result(digest, {"filename": "walk.csv", "counts": counts, "codes": ["WALK-1"]})
    source = item_services.create_source(SYSTEM, key="walk-source", title="Walked source")
    return {"digest": digest, "source_id": source.id}


def _fingerprint(world) -> str:
    path = uploads.stored(world["ids"]["digest"])
    with open(path, "rb") as stream:
        return import_services.plan_file(SYSTEM, stream).fingerprint()


IMPORT_PAYLOADS = {
    "imports.upload": lambda w: {"file": (io.BytesIO(WALK_CSV), "walk.csv")},
    "imports.confirm": lambda w: {"fingerprint": _fingerprint(w)},
    "api-imports.create_import": lambda w: {
        "file": (io.BytesIO(WALK_CSV), "walk.csv"),
        "dry_run": "true",
    },
    "sources.create": lambda w: {"key": f"walk-new-{next(_keys)}", "title": "Walked new source"},
    "sources.edit": lambda w: {"title": "Walked source, edited", "themes": "walk-1: Walking"},
}
