"""Finding a record by its id, once for every door: the URL converter and fetch-or-404."""

from typing import Any, TypeVar

from flask import abort
from werkzeug.routing import IntegerConverter

from app.extensions import db

MAX_ID = 2**31 - 1  # ids are 32-bit INTEGER columns: a larger one exists nowhere
T = TypeVar("T")


class IdConverter(IntegerConverter):
    """``<id:name>`` in a route: a record id from 1 to ``MAX_ID``. Anything else matches no
    route, so ``/items/99999999999`` is a 404 before any query (and the OpenAPI description
    says minimum 1, maximum ``MAX_ID``)."""

    def __init__(self, map: Any) -> None:
        super().__init__(map, min=1, max=MAX_ID)


def is_id(value: object) -> bool:
    """True for an int that can be a record id."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def find(model: type[T], record_id: object, *options: Any) -> T | None:
    """The record of ``model`` with this id (loaded with ``options``), or None — also for
    an id no record can have."""
    if not is_id(record_id):
        return None
    return db.session.get(model, record_id, options=list(options))


def get_or_404(model: type[T], record_id: object, *options: Any) -> T:
    """The record of ``model`` with this id (loaded with ``options``), else a 404 page."""
    record = find(model, record_id, *options)
    if record is None:
        abort(404)
    return record
