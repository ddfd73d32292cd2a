"""Planning an import: each row read, checked and compared with Suivi, without writing
anything. A row is new, changed (which columns), unchanged or in error; the file as a whole
may add problems (a code twice, links that make a cycle)."""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from app.core.actor import Actor
from app.core.cells import unquote
from app.core.errors import N_
from app.imports import links
from app.imports.cells import parse_cells, split_list
from app.imports.columns import (
    COLUMNS,
    ID,
    Header,
    kind_words,
    priority_words,
    read_header,
    status_words,
)
from app.imports.errors import RowError
from app.imports.reading import Table
from app.imports.references import References
from app.imports.steps import plan_steps
from app.items import workflow
from app.items.models import Item

# A column's item field, where the names differ.
FIELDS = {"section": "source_section"}
NOT_FIELDS = ("code", "addresses", "status", "progress")
REQUIRED_FOR_NEW = ("kind", "title", "lead")
REQUIRED_ALWAYS = ("kind", "title", "lead", "priority")
STEP_PROBLEMS = {
    "fixed": ("progress", N_("An item with the status %(status)s has progress %(fixed)s.")),
    "path": ("status", N_("An item cannot go from %(source)s to %(status)s.")),
    "progress": (
        "progress",
        N_("The progress of an item with the status %(status)s cannot change on its own."),
    ),
}


@dataclass
class RowPlan:
    """What one row does."""

    row: int
    code: str
    title: str = ""
    item: Item | None = None
    is_new: bool = False
    values: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)  # for create_item / edit_item
    changed: list[str] = field(default_factory=list)  # the columns that change
    addresses: list[str] | None = None  # codes, when the links change
    steps: list[tuple[str, int | None]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.errors:
            return "error"
        if self.is_new:
            return "new"
        return "changed" if self.changed else "unchanged"


@dataclass
class Plan:
    """The whole file's plan: its rows, and every problem (the header's first)."""

    format: str = ""
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[RowError] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[RowError]:
        return [*self.problems, *(e for r in self.rows for e in r.errors)]

    @property
    def ok(self) -> bool:
        return not self.problems and not any(r.errors for r in self.rows)

    def fingerprint(self) -> str:
        """A digest of what the plan would do: the confirmation applies only the plan the
        preview showed (Suivi may have changed in between)."""
        summary = [
            (r.row, r.code, r.action, r.changed, r.steps, r.addresses, sorted(r.fields))
            for r in self.rows
        ]
        return hashlib.sha256(json.dumps(summary, default=str).encode()).hexdigest()

    def counts(self) -> dict[str, int]:
        counts = {"rows": len(self.rows), "new": 0, "changed": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts


def _cells(header: Header, rows: Iterator[tuple[int, list[str]]]) -> Iterator:
    for number, cells in rows:
        by_column = {
            column: cells[index] if index < len(cells) else ""
            for column, index in header.index.items()
        }
        if by_column.get("code", "").strip().startswith("#"):  # a hint or comment row
            continue
        yield number, by_column


def build_plan(actor: Actor, table: Table) -> Plan:
    """Read every row of ``table`` and say what it would do; nothing is written."""
    plan = Plan(format=table.format)
    header = read_header(table.header)
    plan.ignored = header.ignored
    plan.problems = [RowError(1, column, text, params) for column, text, params in header.problems]
    if plan.problems:
        return plan
    raw = list(_cells(header, table.rows))
    codes = {c["code"].strip() for _, c in raw if c.get("code", "").strip()}
    codes |= {code for _, c in raw for code in split_list(unquote(c.get("addresses", "")))}
    ids = {int(c[ID]) for _, c in raw if c.get(ID, "").strip().isdigit() and len(c[ID]) < 10}
    refs = References.load(codes, ids)
    words = {"kind": kind_words(), "priority": priority_words(), "status": status_words()}
    first_row: dict[str, RowPlan] = {}
    for number, cells in raw:
        row = _plan_row(actor, number, cells, refs, words)
        twin = first_row.setdefault(row.code, row) if row.code else row
        if twin is not row:
            for one, other in ((row, twin), (twin, row)):
                one.errors.append(
                    RowError(
                        one.row,
                        "code",
                        N_("The code %(code)s is also on row %(other)s."),
                        {"code": row.code, "other": other.row},
                    )
                )
        plan.rows.append(row)
    links.resolve(plan.rows, refs)
    return plan


def _identify(row: RowPlan, cells: dict[str, str], refs: References) -> None:
    if row.code:
        row.item = refs.item_by_code(row.code)
        return
    text = cells.get(ID, "").strip()
    item = refs.items_by_id.get(int(text)) if text.isdigit() and len(text) < 10 else None
    if item is None:
        row.errors.append(
            RowError(
                row.row,
                "code",
                N_("A code is required: it is how Suivi recognises the item on the next import."),
            )
        )
    row.item = item


def _plan_row(
    actor: Actor, number: int, cells: dict[str, str], refs: References, words: dict
) -> RowPlan:
    values, errors = parse_cells(number, {c: t for c, t in cells.items() if c != ID}, refs, words)
    row = RowPlan(number, values.get("code") or "", values=values, errors=errors)
    _identify(row, cells, refs)
    row.title = values.get("title") or (row.item.title if row.item else "")
    row.is_new = row.item is None and not errors
    _required(row, values)
    if row.item is None:
        row.fields = {FIELDS.get(c, c): v for c, v in values.items() if c not in NOT_FIELDS}
        row.fields = {k: v for k, v in row.fields.items() if v not in (None, "", [])}
        row.fields["code"] = row.code
        row.changed = [c for c in COLUMNS if values.get(c) not in (None, "", [])]
    else:
        _compare(row, row.item, values)
    _steps(actor, row, values)
    return row


def _required(row: RowPlan, values: dict[str, Any]) -> None:
    """Kind, title and lead: never emptied, and given for a new item (an empty priority
    leaves it as it is, medium for a new item)."""
    for column in REQUIRED_FOR_NEW:
        if any(e.column == column for e in row.errors):
            continue
        if (column in values and not values[column]) or (row.item is None and column not in values):
            row.errors.append(
                RowError(row.row, column, N_("%(column)s is required."), {"column": column})
            )


def _same(current: Any, wanted: Any) -> bool:
    if isinstance(wanted, list):
        return {o.id for o in current} == {o.id for o in wanted}
    if hasattr(wanted, "id") or hasattr(current, "id"):
        return getattr(current, "id", None) == getattr(wanted, "id", None)
    return (current or None) == (wanted or None)


def _compare(row: RowPlan, item: Item, values: dict[str, Any]) -> None:
    for column, value in values.items():
        if column in NOT_FIELDS or (value is None and column in REQUIRED_ALWAYS):
            continue
        name = FIELDS.get(column, column)
        if not _same(getattr(item, name), value):
            row.fields[name] = value
            row.changed.append(column)


def _steps(actor: Actor, row: RowPlan, values: dict[str, Any]) -> None:
    if any(e.column in ("status", "progress") for e in row.errors):
        return
    status, progress = (row.item.status, row.item.progress) if row.item else ("not_started", 0)
    target, wanted = values.get("status"), values.get("progress")
    steps, problem = plan_steps(status, progress, target, wanted, actor.role)
    if problem:
        column, template = STEP_PROBLEMS[problem]
        params = {
            "status": target or status,
            "source": status,
            "fixed": workflow.FIXED_PROGRESS.get(target or status),
        }
        row.errors.append(RowError(row.row, column, template, params))
    elif steps:
        row.steps = steps
        final, asked = steps[-1]
        if row.item is not None:
            if final != status:
                row.changed.append("status")
            if workflow.progress_after(final, asked, progress) != progress:
                row.changed.append("progress")
