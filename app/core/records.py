"""Finding a record by its id, once for every door: the URL converter and fetch-or-404."""

from typing import Any, TypeVar

from flask import abort
from werkzeug.routing import IntegerConverter

from app.core.validation import MAX_ID
from app.extensions import db

T = TypeVar("T")


def whole_numbers_up_to(limit: int) -> str:
    """A regular expression for the decimal numbers 1 to ``limit`` (leading zeros allowed)."""
    digits = str(limit)
    width = len(digits)
    shorter = [rf"[1-9]\d{{0,{width - 2}}}"] if width > 1 else []
    as_long = []  # as many digits as the limit: below it at one position, equal before it
    for position, digit in enumerate(digits):
        lowest = 1 if position == 0 else 0
        rest = width - position - 1
        if int(digit) > lowest:
            tail = rf"\d{{{rest}}}" if rest else ""
            as_long.append(f"{digits[:position]}[{lowest}-{int(digit) - 1}]{tail}")
    return "0*(?:" + "|".join([*shorter, *as_long, digits]) + ")"


class IdConverter(IntegerConverter):
    """``<id:name>`` in a route: a record id from 1 to ``MAX_ID``. The bound is in the
    converter's regular expression, so anything else matches no route at all: a 404 before
    any query, whatever the method (a failing ``to_python`` would make werkzeug answer 405
    when another method's rule shares the path). The OpenAPI description says minimum 1,
    maximum ``MAX_ID``."""

    regex = whole_numbers_up_to(MAX_ID)

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
