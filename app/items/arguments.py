"""The item list's query arguments — filters, paging and sorting — declared once, each with
the parser every door applies (web list, reports, command line, API) and the description the
API's OpenAPI document gives of it."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.actor import acting_user_id
from app.core.errors import N_, ValidationError
from app.core.validation import (
    Argument,
    check_length,
    clean_text,
    optional,
    parse_arguments,
    parse_choice,
    parse_flag,
    parse_int,
)
from app.items import workflow
from app.items.models import ITEM_KINDS, RESPONSE_POSITIONS
from app.items.queries import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    RESPONSE_NONE,
    SORTS,
    ItemFilters,
)

MAX_PAGE = 1_000_000
ORDERS = ("asc", "desc")


def _choice(choices: tuple[str, ...], default: str | None = None) -> Argument:
    schema: dict[str, Any] = {"type": "string", "enum": list(choices)}
    if default is not None:
        schema["default"] = default
    return Argument(optional(lambda value, field: parse_choice(value, field, choices)), schema)


def _text(max_length: int, description: str) -> Argument:
    return Argument(
        optional(
            # The length counts what was sent, as the API's description says.
            lambda value, field: clean_text(
                check_length(value, field, max_length), field, max_length
            ),
            blank_is_absent=True,
        ),
        {"type": "string", "maxLength": max_length, "description": description},
    )


def _whole(minimum: int, maximum: int, default: int) -> Argument:
    return Argument(
        optional(lambda value, field: parse_int(value, field, minimum=minimum, maximum=maximum)),
        {"type": "integer", "minimum": minimum, "maximum": maximum, "default": default},
    )


def parse_owner(value: object, field: str) -> str:
    """``me`` (the user making the request) or a user id, as the id's digits."""
    if value == "me":
        me = acting_user_id()
        if me is None:
            raise ValidationError(
                N_("%(field)s=me needs a logged-in user."),
                fields={field: N_("Log in first.")},
                field=field,
            )
        return str(me)
    return str(parse_int(value, field, minimum=1, maximum=2_147_483_647))


def _flag() -> Argument:
    return Argument(optional(parse_flag), {"type": "boolean"})


FILTERS: dict[str, Argument] = {
    "kind": _choice(ITEM_KINDS),
    "status": _choice(workflow.STATUSES),
    "lead": _text(100, "Organisation id or acronym."),
    "theme": _text(100, "Theme id or code (includes its sub-themes)."),
    "overdue": _flag(),
    "stale": _flag(),
    "q": _text(200, "Words in the title, text or code."),
    # The formal response's position; "none": recommendations (and others) without one.
    "response": _choice((*RESPONSE_POSITIONS, RESPONSE_NONE)),
    "owner": Argument(
        optional(parse_owner),
        {"type": "string", "description": "me (the caller: assigned to me) or a user id."},
    ),
}
PAGING: dict[str, Argument] = {
    "page": _whole(1, MAX_PAGE, 1),
    "per_page": _whole(1, MAX_PER_PAGE, DEFAULT_PER_PAGE),
}
SORTING: dict[str, Argument] = {
    "sort": _choice(tuple(SORTS), "id"),
    "order": _choice(ORDERS, "asc"),
}
LIST_ARGUMENTS = {**FILTERS, **PAGING, **SORTING}


@dataclass(frozen=True)
class ListArgs:
    """A parsed item-list request: filters, page and order."""

    filters: ItemFilters
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    sort: str = "id"
    order: str = "asc"

    @property
    def descending(self) -> bool:
        return self.order == "desc"


def filters_from(values: Mapping[str, Any]) -> ItemFilters:
    """The filters among parsed ``values``."""
    return ItemFilters(**{name: values.get(name) for name in FILTERS})


def parse_filters(args: Mapping[str, Any]) -> ItemFilters:
    """The filters among ``args``; every bad one is reported (``InvalidArguments``)."""
    return filters_from(parse_arguments(FILTERS, args))


def parse_page(args: Mapping[str, Any]) -> tuple[int, int]:
    """``page`` (from 1) and ``per_page`` (1 to 200) among ``args``, or their defaults."""
    values = parse_arguments(PAGING, args)
    return values["page"] or 1, values["per_page"] or DEFAULT_PER_PAGE


def parse_list_args(args: Mapping[str, Any]) -> ListArgs:
    """Filters, paging and sorting of the item list; every bad argument is reported."""
    values = parse_arguments(LIST_ARGUMENTS, args)
    return ListArgs(
        filters_from(values),
        page=values["page"] or 1,
        per_page=values["per_page"] or DEFAULT_PER_PAGE,
        sort=values["sort"] or "id",
        order=values["order"] or "asc",
    )
