"""Small parsers shared by services: text, dates, integers, with field-named errors."""

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from app.core.errors import N_, ValidationError

T = TypeVar("T")


def check_storable(value: str, field: str) -> str:
    """Refuse text no database column can hold: NUL characters and broken Unicode."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        ok = False
    else:
        ok = "\x00" not in value
    if not ok:
        raise ValidationError(
            N_("%(field)s contains characters that cannot be stored."),
            fields={field: N_("Contains invalid characters.")},
            field=field,
        )
    return value


def clean_text(value: object, field: str, max_length: int, required: bool = True) -> str:
    """Strip ``value``; refuse a non-string, an empty required value or one too long."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(
            N_("%(field)s must be text."), fields={field: N_("Must be text.")}, field=field
        )
    value = check_storable(value.strip(), field)
    if required and not value:
        raise ValidationError(
            N_("%(field)s is required."), fields={field: N_("Required.")}, field=field
        )
    if len(value) > max_length:
        raise ValidationError(
            N_("%(field)s is longer than %(max)s characters."),
            fields={field: N_("Too long.")},
            field=field,
            max=max_length,
        )
    return value


def parse_date(value: object, field: str) -> date | None:
    """A ``date``, an ISO ``YYYY-MM-DD`` string, or empty for none."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(
        N_("%(field)s must be a date (YYYY-MM-DD)."),
        fields={field: N_("Not a date (YYYY-MM-DD).")},
        field=field,
    )


def _empty(value: object, field: str, required: bool) -> bool:
    """True for an empty value; an empty required value is a field error."""
    if value is not None and value != "":
        return False
    if required:
        raise ValidationError(
            N_("%(field)s is required."), fields={field: N_("Required.")}, field=field
        )
    return True


def parse_int(value: object, field: str, required: bool = False) -> int | None:
    """An integer from an int or a string of digits; empty gives None unless required."""
    if _empty(value, field, required):
        return None
    if isinstance(value, bool):
        value = "x"  # a boolean is not a number, whatever Python says
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        digits = value.strip().removeprefix("-")
        if digits.isascii() and digits.isdigit() and len(digits) <= 18:
            return int(value.strip())
    raise ValidationError(
        N_("%(field)s must be a whole number."),
        fields={field: N_("Must be a whole number.")},
        field=field,
    )


def parse_number(value: object, field: str, required: bool = False) -> float | None:
    """A finite number from a number or a numeric string; empty gives None unless required."""
    if _empty(value, field, required):
        return None
    try:
        number = float("x" if isinstance(value, bool) else value)  # a boolean is no number
    except (TypeError, ValueError):
        number = float("nan")
    if number != number or number in (float("inf"), float("-inf")):
        raise ValidationError(
            N_("%(field)s must be a number."), fields={field: N_("Must be a number.")}, field=field
        )
    return number


def parse_choice(value: object, field: str, choices: tuple[str, ...]) -> str:
    """One of ``choices``, or a field error."""
    if isinstance(value, str) and value in choices:
        return value
    raise ValidationError(
        N_("%(field)s must be one of: %(choices)s."),
        fields={field: N_("Not an allowed value.")},
        field=field,
        choices=", ".join(choices),
    )


def collect(**checks: Callable[[], T]) -> dict[str, T]:
    """Run independent checks and return their results by name, or raise one
    ``ValidationError`` with every field's message, so that a form comes back once with all
    its mistakes marked (a single mistake keeps its own message)."""
    results: dict[str, T] = {}
    fields: dict[str, str] = {}
    first = None
    for name, check in checks.items():
        try:
            results[name] = check()
        except ValidationError as exc:
            first = first or exc
            fields.update(exc.fields)
    if first is None:
        return results
    if len(fields) > 1:
        raise ValidationError(
            N_("Some fields need correcting: see the messages next to them."), fields=fields
        )
    raise first
