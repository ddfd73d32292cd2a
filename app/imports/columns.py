"""The columns an import reads, how a header names them (their key, or an export's header in
English or French), and the words a cell may use for a kind, a priority or a status."""

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask.sansio.app import App
from flask_babel import force_locale

from app.core.errors import N_
from app.items.labels import KIND_LABELS, PRIORITY_LABELS, STATUS_LABELS

COLUMNS = (
    "code",
    "kind",
    "title",
    "text",
    "source",
    "section",
    "themes",
    "lead",
    "supporting",
    "owner",
    "due_date",
    "priority",
    "status",
    "progress",
    "addresses",
)
# ``id``: Suivi's own export carries it; it finds an item that has no code.
ID = "id"
RESOLVER = "suivi.import_header_resolver"
HeaderResolver = Callable[[str], str | None]


def register_header_resolver(app: App, resolver: HeaderResolver) -> None:
    """Say how an export's header (in English or French) reads as a column key; the app
    factory hands the reports' ``column_key`` here (nothing imports reports)."""
    app.extensions[RESOLVER] = resolver


@dataclass
class Header:
    """Which cell index holds which column; the export's other columns are ignored."""

    index: dict[str, int]
    ignored: list[str]
    problems: list[tuple[str, str, dict]]  # (column, message template, params)


def suggestion(value: str, candidates: list[str]) -> str | None:
    """The known value nearest to ``value`` (difflib), if any is close enough."""
    by_fold = {c.casefold(): c for c in candidates}
    wanted = value.casefold().strip()
    starting = sorted(c for c in by_fold if wanted and c.startswith(wanted))
    if starting:
        return by_fold[starting[0]]
    close = difflib.get_close_matches(value.casefold(), list(by_fold), n=1, cutoff=0.5)
    return by_fold[close[0]] if close else None


def read_header(cells: list[str]) -> Header:
    """The header row's columns: unknown and repeated ones are problems, as is a missing
    ``code`` column (a file without it has no header, or cannot say which item is which)."""
    resolver: HeaderResolver = current_app.extensions.get(RESOLVER, lambda h: None)
    header = Header({}, [], [])
    for position, cell in enumerate(cells):
        name = cell.strip()
        if not name:
            continue
        key = name.casefold() if name.casefold() in (*COLUMNS, ID) else resolver(name)
        if key in header.index:
            header.problems.append(
                (name, N_("The column %(column)s appears twice."), {"column": name})
            )
        elif key in (*COLUMNS, ID):
            header.index[key] = position
        elif key is not None:
            header.ignored.append(name)
        else:
            near = suggestion(name, list(COLUMNS))
            header.problems.append(
                (
                    name,
                    N_("Unknown column %(column)s: did you mean %(near)s?")
                    if near
                    else N_("Unknown column %(column)s; the columns are: %(columns)s."),
                    {"column": name, "near": near or "", "columns": ", ".join(COLUMNS)},
                )
            )
    if "code" not in header.index:
        header.problems.append(
            (
                "code",
                N_(
                    "The first row must be the header, with a code column; the columns are: "
                    "%(columns)s."
                ),
                {"columns": ", ".join(COLUMNS)},
            )
        )
    return header


def _words(machine: tuple[str, ...] | list[str], labels: dict) -> dict[str, str]:
    """Each value by its machine name and by its label in English and French (casefolded)."""
    words = {value.casefold(): value for value in machine}
    for language in ("en", "fr"):
        with force_locale(language):
            words.update({str(label).casefold(): value for value, label in labels.items()})
    return words


def kind_words() -> dict[str, str]:
    return _words(list(KIND_LABELS), KIND_LABELS)


def priority_words() -> dict[str, str]:
    return _words(list(PRIORITY_LABELS), PRIORITY_LABELS)


def status_words() -> dict[str, str]:
    return _words(list(STATUS_LABELS), STATUS_LABELS)
