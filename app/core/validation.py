"""The parsers every door and service shares — text, dates, whole numbers, numbers, ids,
flags — with their bounds, so that a value is refused by the same rule and in the same words
whichever door it came through."""

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, SupportsFloat, SupportsIndex, cast

from app.core.errors import N_, SuiviError, ValidationError

MAX_ID = 2**31 - 1  # an id fits the databases' INTEGER column
MAX_IDS = 100  # ids in one list (supporting organisations, themes, links)
# Every date, on every door: ISO YYYY-MM-DD from 1900 to 9999.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(9999, 12, 31)
# A measured number (indicator baseline, target, measurement): a double holds every whole
# number up to 2**53 exactly, and Babel writes 10**15 in full ("1,000,000,000,000,000").
MAX_NUMBER = 1e15
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


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
    return check_length(value, field, max_length)


def check_length(value: str, field: str, max_length: int) -> str:
    """``value`` itself when it has at most ``max_length`` characters, else a field error."""
    if len(value) > max_length:
        raise ValidationError(
            N_("%(field)s is longer than %(max)s characters."),
            fields={field: N_("Too long.")},
            field=field,
            max=max_length,
        )
    return value


def parse_date(value: object, field: str) -> date | None:
    """A ``date``, or an ISO ``YYYY-MM-DD`` string, from 1900-01-01 to 9999-12-31; empty for
    none."""
    if value is None or value == "":
        return None
    day = None
    if isinstance(value, date):
        day = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            day = None
    if day is None:
        raise ValidationError(
            N_("%(field)s must be a date (YYYY-MM-DD)."),
            fields={field: N_("Not a date (YYYY-MM-DD).")},
            field=field,
        )
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(
            N_("%(field)s must be a date from %(min)s to %(max)s."),
            fields={field: N_("Out of range.")},
            field=field,
            min=MIN_DATE.isoformat(),
            max=MAX_DATE.isoformat(),
        )
    return day


def _empty(value: object, field: str, required: bool) -> bool:
    """True for an empty value; an empty required value is a field error."""
    if value is not None and value != "":
        return False
    if required:
        raise ValidationError(
            N_("%(field)s is required."), fields={field: N_("Required.")}, field=field
        )
    return True


def check_range(
    number: float, field: str, minimum: float, maximum: float, whole: bool = True
) -> float:
    """``number`` itself when ``minimum <= number <= maximum``, else a field error."""
    if not minimum <= number <= maximum:
        raise ValidationError(
            N_("%(field)s must be a whole number from %(min)s to %(max)s.")
            if whole
            else N_("%(field)s must be a number from %(min)s to %(max)s."),
            fields={field: N_("Out of range.")},
            field=field,
            min=_bound(minimum),
            max=_bound(maximum),
        )
    return number


def _bound(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def parse_int(
    value: object,
    field: str,
    required: bool = False,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    """A whole number from an int or a string of ASCII digits, within ``minimum`` and
    ``maximum`` when given; empty gives None unless required."""
    if _empty(value, field, required):
        return None
    number = None
    if isinstance(value, int) and not isinstance(value, bool):  # a boolean is not a number
        number = value
    elif isinstance(value, str):
        digits = value.strip().removeprefix("-")
        if digits.isascii() and digits.isdigit() and len(digits) <= 18:
            number = int(value.strip())
    if number is None:
        raise ValidationError(
            N_("%(field)s must be a whole number."),
            fields={field: N_("Must be a whole number.")},
            field=field,
        )
    if minimum is not None or maximum is not None:
        check_range(
            number,
            field,
            minimum if minimum is not None else -(10**18),
            maximum if maximum is not None else 10**18,
        )
    return number


def parse_id(value: object, field: str, required: bool = False) -> int | None:
    """A record id: a whole number from 1 to 2**31 - 1 (no record has another)."""
    if _empty(value, field, required):
        return None
    try:
        return parse_int(value, field, minimum=1, maximum=MAX_ID)
    except ValidationError:
        raise ValidationError(
            N_("%(field)s names something that does not exist."),
            fields={field: N_("Unknown id.")},
            field=field,
        ) from None


def parse_version(value: object, field: str = "version") -> int:
    """The version of a record a client saw (required): a whole number from 1 to 2**31 - 1."""
    return cast(int, parse_int(value, field, required=True, minimum=1, maximum=MAX_ID))


def parse_ids(values: object, field: str) -> list[int]:
    """A list of at most 100 record ids; blanks are left out."""
    if isinstance(values, (str, int)):
        values = [values]
    if not isinstance(values, (list, tuple)):
        raise ValidationError(
            N_("%(field)s must be a list of ids."), fields={field: N_("Not a list.")}, field=field
        )
    kept = [v for v in values if not (isinstance(v, str) and not v.strip())]
    if len(kept) > MAX_IDS:
        raise ValidationError(
            N_("%(field)s names more than %(max)s records."),
            fields={field: N_("Too many.")},
            field=field,
            max=MAX_IDS,
        )
    ids = [parse_id(v, field, required=True) for v in kept]
    return [i for i in ids if i is not None]  # none is None: each is required


def _as_float(value: object) -> float:
    """``value`` as Python's ``float`` reads it, NaN when it cannot (a boolean is no number)."""
    if isinstance(value, bool) or not isinstance(
        value, str | bytes | bytearray | SupportsFloat | SupportsIndex
    ):
        return math.nan
    try:
        return float(value)
    except (ValueError, OverflowError):  # 10**400 is too large for a float
        return math.nan


def parse_number(value: object, field: str, required: bool = False) -> float | None:
    """A finite number from -10**15 to 10**15, from a number or a numeric string; empty gives
    None unless required."""
    if _empty(value, field, required):
        return None
    number = _as_float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValidationError(
            N_("%(field)s must be a number."), fields={field: N_("Must be a number.")}, field=field
        )
    return check_range(number, field, -MAX_NUMBER, MAX_NUMBER, whole=False)


def parse_flag(value: object, field: str) -> bool | None:
    """True or false from a boolean or one of 1/true/yes/on, 0/false/no/off (any case)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    lowered = value.strip().lower() if isinstance(value, str) else None
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise ValidationError(
        N_("%(field)s must be true or false."),
        fields={field: N_("Must be true or false.")},
        field=field,
    )


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


def collect(**checks: Callable[[], Any]) -> dict[str, Any]:
    """Run independent checks and return their results by name, or raise one
    ``ValidationError`` with every field's message, so that a form comes back once with all
    its mistakes marked (a single mistake keeps its own message)."""
    results: dict[str, Any] = {}
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


class InvalidArguments(ValidationError):
    """Several arguments refused at once: the first one's message, every field's message, and
    each argument's own error in ``errors``."""

    def __init__(self, errors: dict[str, SuiviError]):
        first = next(iter(errors.values()))
        fields = {name: text for error in errors.values() for name, text in error.fields.items()}
        super().__init__(first.template, fields=fields, **first.params)
        self.errors = errors


Parser = Callable[[Any, str], Any]


@dataclass(frozen=True)
class Argument:
    """A query argument: its parser (every door's rule) and the JSON schema of its value (what
    the API's description says of it)."""

    parse: Parser
    schema: dict[str, Any]


def optional(parse: Parser, blank_is_absent: bool = False) -> Parser:
    """``parse`` for an argument that may be left out (None). A blank value is left out too
    when ``blank_is_absent`` (free text); otherwise it is refused: an empty number, choice or
    date is no value of its kind."""

    def parse_optional(value: Any, field: str) -> Any:
        if value is None:
            return None
        if isinstance(value, str) and not value.strip():
            if blank_is_absent:
                return None
            raise ValidationError(
                N_("%(field)s is empty."), fields={field: N_("Empty.")}, field=field
            )
        return parse(value, field)

    return parse_optional


def parse_arguments(arguments: Mapping[str, Argument], args: Mapping[str, Any]) -> dict[str, Any]:
    """``{name: value}`` for every declared argument (None when absent); every refused one is
    reported at once (``InvalidArguments``), not only the first."""
    values: dict[str, Any] = {}
    errors: dict[str, SuiviError] = {}
    for name, argument in arguments.items():
        try:
            values[name] = argument.parse(args.get(name), name)
        except SuiviError as exc:
            errors[name] = exc
    if errors:
        raise InvalidArguments(errors)
    return values


def given(args: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments given a value. An HTML form sends an unset field as empty (and a script
    may pass an empty option to a command): the web and the command line leave those out
    before parsing, while the API, whose description types every argument, refuses them."""
    return {name: value for name, value in args.items() if value is not None and value != ""}
