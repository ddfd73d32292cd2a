"""The columns of the item exports, defined once for the CSV and the XLSX sheet ``Items``.

SPEC fixes eight contract columns (``id, kind, title, status, progress, lead, due_date,
last_update``): their header is their key and their values are machine values (status
``in_progress``, ISO dates), whatever the reader's language. Every other column is for people:
its header and its words (``status_label``: "En cours") are in the reader's language. To add
a column (a formal response, say), append a ``Column`` to ``ITEM_COLUMNS``: both files get it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.core.time import as_utc
from app.items.labels import kind_label, priority_label, response_label, status_label
from app.reports.rows import SEPARATOR, split_list
from app.reports.wording import filter_query

CONTRACT = ("id", "kind", "title", "status", "progress", "lead", "due_date", "last_update")


@dataclass(frozen=True)
class Column:
    """One column: its key, its header for people (None: the key, as for contract columns),
    its value for a row, its type (text, number, date, flag, link, long text) and its width in
    the XLSX."""

    key: str
    label: Any
    # (row, base_url) → a str, int, date, bool or None; a scope column takes the spec instead
    value: Callable[[Any, Any], Any]
    kind: str = "text"
    width: int = 14
    # The one row field a column of words is made from: an export works each value's words
    # out once (a status label, "yes") rather than once per row.
    source: str | None = None

    @property
    def header(self) -> str:
        """The header in the current language (the key itself for a contract column)."""
        return self.key if self.label is None else str(self.label)


def item_url(base_url: str, item_id: int) -> str:
    """The item's page, from the configured address of Suivi ("" when none is set)."""
    return f"{base_url.rstrip('/')}/items/{item_id}" if base_url else ""


def _day(value) -> date | None:
    moment = as_utc(value)
    return moment.date() if moment else None


def _joined(value: str | None) -> str:
    return SEPARATOR.join(split_list(value))


ITEM_COLUMNS: tuple[Column, ...] = (
    Column("id", None, lambda r, _: r.id, "number", 8),
    Column("code", _l("Code"), lambda r, _: r.code or "", width=8),
    Column("kind", None, lambda r, _: r.kind),
    Column(
        "kind_label",
        _l("Kind (in words)"),
        lambda r, _: kind_label(r.kind),
        width=16,
        source="kind",
    ),
    Column("title", None, lambda r, _: r.title, "long", 60),
    Column("status", None, lambda r, _: r.status, width=18),
    Column(
        "status_label",
        _l("Status (in words)"),
        lambda r, _: status_label(r.status),
        width=18,
        source="status",
    ),
    Column("progress", None, lambda r, _: r.progress, "number", 10),
    Column(
        "priority",
        _l("Priority"),
        lambda r, _: priority_label(r.priority),
        width=10,
        source="priority",
    ),
    Column("lead", None, lambda r, _: r.lead),
    Column("lead_name", _l("Lead organisation"), lambda r, _: r.lead_name, "long", 40),
    Column("supporting", _l("Supporting organisations"), lambda r, _: _joined(r.supporting)),
    Column("owner", _l("Owner"), lambda r, _: r.owner or "", width=20),
    Column("themes", _l("Themes"), lambda r, _: _joined(r.themes), width=20),
    Column("due_date", None, lambda r, _: r.due_date, "date", 12),
    Column("overdue", _l("Overdue"), lambda r, _: bool(r.overdue), "flag", 10, "overdue"),
    Column("last_update", None, lambda r, _: _day(r.last_update_at), "date", 12),
    Column("stale", _l("Stale"), lambda r, _: bool(r.stale), "flag", 10, "stale"),
    Column("response", _l("Response"), lambda r, _: r.response or "", width=18),
    Column(
        "response_label",
        _l("Response (in words)"),
        lambda r, _: response_label(r.response) if r.response else "",
        width=18,
        source="response",
    ),
    Column("response_date", _l("Response date"), lambda r, _: r.response_date, "date", 12),
    Column("last_note", _l("Latest note"), lambda r, _: r.last_note or "", "long", 60),
    Column("url", _l("Link"), lambda r, base: item_url(base, r.id), "link", 36),
)
CHANGE_WORDS = {"new": _l("new item"), "changed": _l("changed"), "": ""}
CHANGE_COLUMN = Column(
    "change",
    _l("Change in the period"),
    lambda r, _: str(CHANGE_WORDS[r.change]),
    width=16,
    source="change",
)


# Each CSV line also states what the file holds: a CSV has no place for a title block that
# every parser would skip, so the scope is data, the same on every line. Their values take
# the export's spec.
SCOPE_COLUMNS = (
    Column("as_of", _l("Situation as of"), lambda r, spec: spec.day.isoformat(), width=12),
    Column("since", _l("Changes since"), lambda r, spec: _iso(spec.since), width=12),
    Column("filters", _l("Filters"), lambda r, spec: filter_query(spec.filters), width=30),
)


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def item_columns(since: date | None) -> tuple[Column, ...]:
    """The item columns of an export; with ``since``, what changed in the period too."""
    return ITEM_COLUMNS + ((CHANGE_COLUMN,) if since is not None else ())


def column_key(header: str, languages: tuple[str, ...] = ("en", "fr")) -> str | None:
    """The key of the item column with this header in any of ``languages`` (None: none).
    For programs that read an export back, whatever the language it was written in."""
    wanted = header.strip().casefold()
    for language in languages:
        with force_locale(language):
            for column in (*ITEM_COLUMNS, CHANGE_COLUMN, *SCOPE_COLUMNS):
                if wanted in (column.key, column.header.casefold()):
                    return column.key
    return None
