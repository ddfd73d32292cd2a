"""One row's cells parsed into the values an item takes, each problem named by its column.
References (organisations, themes, sources, users) are resolved here; links to other items
are resolved once the whole file is read (they may name rows further down)."""

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from app.core.cells import unquote
from app.core.errors import N_, SuiviError
from app.core.validation import clean_text, parse_date, parse_int
from app.imports.columns import suggestion
from app.imports.errors import RowError
from app.imports.references import References
from app.items.services import TEXT_MAX, TITLE_MAX

_LIST = re.compile(r"[;,\n]")
_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class CellError(Exception):
    """A cell's problem: a message template and its parameters."""

    def __init__(self, template: str, **params: Any):
        super().__init__(template)
        self.template = template
        self.params = params


def split_list(text: str) -> list[str]:
    """``"A; B, C"`` as ``["A", "B", "C"]`` (duplicates dropped, order kept)."""
    seen: dict[str, None] = {}
    for part in _LIST.split(text):
        if part.strip():
            seen.setdefault(part.strip(), None)
    return list(seen)


def _checked(parse: Callable[[], Any]) -> Any:
    try:
        return parse()
    except SuiviError as exc:
        raise CellError(exc.template, **exc.params) from None


UNKNOWN_WORD = {
    "kind": N_("Unknown kind %(value)s; use one of: %(choices)s."),
    "priority": N_("Unknown priority %(value)s; use one of: %(choices)s."),
    "status": N_("Unknown status %(value)s; use one of: %(choices)s."),
}
# (with a suggestion, without one)
UNKNOWN_RECORD = {
    "source": (
        N_("Unknown source %(value)s: did you mean %(near)s?"),
        N_("Unknown source %(value)s: add it on the Sources page first."),
    ),
    "organisation": (
        N_("Unknown organisation %(value)s: did you mean %(near)s?"),
        N_("Unknown organisation %(value)s (give its acronym)."),
    ),
    "theme": (
        N_("Unknown theme %(value)s: did you mean %(near)s?"),
        N_("Unknown theme %(value)s (give its code)."),
    ),
    "code": (
        N_("No item with the code %(value)s: did you mean %(near)s?"),
        N_("No item with the code %(value)s, in Suivi or in the file."),
    ),
}


def _word(text: str, words: dict[str, str], what: str) -> str:
    value = words.get(text.strip().casefold())
    if value is None:
        choices = ", ".join(dict.fromkeys(words.values()))
        raise CellError(UNKNOWN_WORD[what], value=text[:40], choices=choices)
    return value


def unknown(what: str, text: str, candidates: list[str]) -> CellError:
    """The error for a name nothing known bears, with the nearest known one if any."""
    near = suggestion(text, candidates)
    with_near, without = UNKNOWN_RECORD[what]
    if near:
        return CellError(with_near, value=text[:80], near=near)
    return CellError(without, value=text[:80])


def _record(text: str, known: dict[str, Any], what: str) -> Any:
    found = known.get(text.casefold())
    if found is None:
        raise unknown(what, text, [_label(r) for r in known.values()])
    return found


def _label(record: Any) -> str:
    for attr in ("acronym", "code", "key"):
        if hasattr(record, attr):
            return getattr(record, attr)
    return str(record)


def _due(text: str) -> date | None:
    match = _DAY_FIRST.fullmatch(text.strip())
    if match:
        day, month, year = match.groups()
        text = f"{year}-{int(month):02d}-{int(day):02d}"
    return _checked(lambda: parse_date(text.strip(), "due_date"))


def _owner(text: str, refs: References) -> Any:
    user = refs.users_by_email.get(text.casefold())
    if user is None:
        named = refs.users_by_name.get(text.casefold(), [])
        if len(named) > 1:
            raise CellError(
                N_("Several users are named %(value)s: give the email instead."), value=text[:80]
            )
        user = named[0] if named else None
    if user is None:
        raise CellError(N_("No user with the email or name %(value)s."), value=text[:80])
    if not user.is_active:
        raise CellError(N_("%(value)s is deactivated."), value=text[:80])
    return user


_TEXT_LIMITS = {"code": 40, "title": TITLE_MAX, "text": TEXT_MAX, "section": 300}
_LISTS = ("themes", "supporting", "addresses")
CellParser = Callable[[str, References, dict[str, dict]], Any]
_PARSERS: dict[str, CellParser] = {
    "kind": lambda t, r, w: _word(t, w["kind"], "kind"),
    "priority": lambda t, r, w: _word(t, w["priority"], "priority"),
    "status": lambda t, r, w: _word(t, w["status"], "status"),
    "progress": lambda t, r, w: _checked(lambda: parse_int(t, "progress", minimum=0, maximum=100)),
    "due_date": lambda t, r, w: _due(t),
    "owner": lambda t, r, w: _owner(t, r),
    "source": lambda t, r, w: _record(t, r.sources, "source"),
    "lead": lambda t, r, w: _record(t, r.organisations, "organisation"),
    "supporting": lambda t, r, w: [
        _record(x, r.organisations, "organisation") for x in split_list(t)
    ],
    "themes": lambda t, r, w: [_record(x, r.themes, "theme") for x in split_list(t)],
    "addresses": lambda t, r, w: split_list(t),  # codes, resolved with the whole file
}


def parse_cell(column: str, text: str, refs: References, words: dict[str, dict]) -> Any:
    """The value of one cell for the item services (None for an empty optional cell)."""
    text = unquote(text.strip())
    if column in _TEXT_LIMITS:
        limit = _TEXT_LIMITS[column]
        return _checked(lambda: clean_text(text, column, limit, required=False))
    if not text:
        return [] if column in _LISTS else None
    return _PARSERS[column](text, refs, words)


def parse_cells(
    number: int, cells: dict[str, str], refs: References, words: dict[str, dict]
) -> tuple[dict[str, Any], list[RowError]]:
    """The row's values by column, and its problems."""
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for column, text in cells.items():
        try:
            values[column] = parse_cell(column, text, refs, words)
        except CellError as exc:
            errors.append(RowError(number, column, exc.template, exc.params))
    return values, errors
