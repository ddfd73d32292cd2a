"""The field types the API's schemas are built from, and their strict base schema.

A value with a rule of its own — an id, a date, progress, a version, a measured number, a
query argument — is checked by the parser the web's forms and the services use
(``core.validation``, ``items.workflow``, ``items.arguments``), so that both doors refuse the
same input in the same words; the fields add only JSON's types and the description.
"""

import math
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from flask_babel import gettext
from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate

from app.core.errors import SuiviError
from app.core.time import as_utc, utcnow
from app.core.validation import (
    MAX_DATE,
    MAX_ID,
    MAX_IDS,
    MAX_NUMBER,
    MIN_DATE,
    Argument,
    InvalidArguments,
    optional,
    parse_date,
    parse_id,
    parse_ids,
    parse_number,
    parse_version,
)
from app.items import queries, workflow


def words(exc: SuiviError) -> str:
    """A refusal in the request's language, its parameters as sent (a program knows its
    field names)."""
    return gettext(exc.template, **exc.params) if exc.params else gettext(exc.template)


def checked(parse: Callable[[Any, str], Any], value: Any, field: str | None) -> Any:
    """``parse(value, field)``; a refusal becomes the field's error, in the parser's words."""
    try:
        return parse(value, field or "")  # a bound field always has its name
    except SuiviError as exc:
        raise ValidationError(words(exc)) from None


def _printable(value: str) -> None:
    """Refuse what no database column should hold: NUL and unpaired surrogates."""
    if "\x00" in value:
        raise ValidationError("Must not contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("Must be valid Unicode text.") from None


class Text(fields.String):
    """A string of at most ``max_length`` characters; ``required`` text must not be blank."""

    def __init__(self, max_length: int, *, blank: bool = True, **kwargs):
        validators: list[Callable[[Any], Any]] = [validate.Length(max=max_length), _printable]
        if not blank:
            validators.insert(0, validate.Regexp(r"[\s\S]*\S", error="Must not be blank."))
        super().__init__(validate=validators, **kwargs)


def _metadata(kwargs: dict, **schema: Any) -> dict:
    return {**schema, **kwargs.pop("metadata", {})}


class Id(fields.Integer):
    """A record id: a JSON whole number from 1 to 2**31 - 1."""

    def __init__(self, **kwargs):
        metadata = _metadata(kwargs, minimum=1, maximum=MAX_ID)
        super().__init__(strict=True, metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs)
        return checked(parse_id, number, self.name)


class IdList(fields.List):
    """At most 100 record ids."""

    def __init__(self, **kwargs):
        super().__init__(Id(), metadata=_metadata(kwargs, maxItems=MAX_IDS), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, list) and len(value) > MAX_IDS:
            checked(parse_ids, value, self.name)
        return super()._deserialize(value, attr, data, **kwargs)


class Version(fields.Integer):
    """The version of a record the client last saw."""

    def __init__(self, **kwargs):
        metadata = _metadata(kwargs, minimum=1, maximum=MAX_ID)
        super().__init__(strict=True, metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return checked(parse_version, super()._deserialize(value, attr, data, **kwargs), self.name)


class Progress(fields.Integer):
    """An item's progress: a whole number from 0 to 100."""

    def __init__(self, **kwargs):
        metadata = _metadata(kwargs, minimum=0, maximum=100)
        super().__init__(strict=True, metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs)
        return checked(lambda v, _field: workflow.check_progress(v), number, self.name)


class Day(fields.Date):
    """A date as every door takes one: YYYY-MM-DD from 1900-01-01 to 9999-12-31."""

    def __init__(self, **kwargs):
        metadata = _metadata(kwargs, description=f"YYYY-MM-DD, from {MIN_DATE} to {MAX_DATE}.")
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        return checked(optional(parse_date), value, self.name)


class Measured(fields.Float):
    """A measured number (indicator values): finite, from -10**15 to 10**15."""

    def __init__(self, **kwargs):
        metadata = _metadata(kwargs, minimum=-MAX_NUMBER, maximum=MAX_NUMBER)
        super().__init__(allow_nan=False, metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs)
        return checked(parse_number, number, self.name)


class StoredNumber(fields.Float):
    """A stored number written out as JSON can say it: an infinity or NaN (only a hand edit of
    the database could store one) is written as null, never as the invalid ``Infinity``."""

    def _serialize(self, value, attr, obj, **kwargs):
        number = super()._serialize(value, attr, obj, **kwargs)
        return number if number is None or math.isfinite(float(number)) else None


class UtcDateTime(fields.DateTime):
    """A timestamp always written with its UTC offset (SQLite forgets the zone)."""

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        return super()._serialize(as_utc(value), attr, obj, **kwargs)


class Flag(fields.Boolean):
    """A derived item flag (``overdue``, ``stale``), computed when the item is written out."""

    def get_value(self, obj, attr, accessor=None, default=None):
        return queries.item_flags(obj, queries.stale_days(), utcnow())[attr]


class StrictSchema(Schema):
    """Unknown fields are refused, never ignored."""

    class Meta:
        unknown = RAISE
        ordered = True


class QueryArgument(fields.Field):
    """A query argument kept as sent, for its parser; described by its JSON schema."""

    def __init__(self, argument: Argument):
        super().__init__(metadata=dict(argument.schema))

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("Must be text.")
        return value


def arguments_schema(
    name: str, arguments: Mapping[str, Argument], parse: Callable[[Mapping[str, Any]], Any]
) -> type[Schema]:
    """A schema of the query ``arguments`` — one field each, described by its JSON schema —
    whose ``load`` answers ``parse(args)``: the parser every door uses, with its words."""

    def load_arguments(self, data: dict[str, str], **kwargs) -> Any:
        try:
            return parse(data)
        except InvalidArguments as exc:
            raise ValidationError({n: [words(e)] for n, e in exc.errors.items()}) from None
        except SuiviError as exc:
            raise ValidationError({n: [words(exc)] for n in exc.fields} or [words(exc)]) from None

    attributes: dict[str, Any] = {n: QueryArgument(a) for n, a in arguments.items()}
    attributes["load_arguments"] = post_load(load_arguments)
    return type(name, (StrictSchema,), attributes)
