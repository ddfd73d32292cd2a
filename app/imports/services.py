"""Importing a file: read it, plan it, and (unless it is a dry run) apply the plan through
the item services, all in the caller's one transaction. Nothing is written while any row is
in error; statuses move through the workflow, one allowed step at a time."""

from graphlib import TopologicalSorter
from typing import IO

from flask_babel import gettext
from sqlalchemy import select

from app.core.actor import Actor
from app.core.errors import N_, PermissionDenied
from app.extensions import db
from app.imports import policies
from app.imports.errors import ImportRefused, RowError
from app.imports.plan import Plan, RowPlan, build_plan
from app.imports.reading import MAX_ROWS, FileRefused, open_table
from app.items import services as item_services
from app.items.models import Item

NOTE_FILENAME_MAX = 200


def plan_file(actor: Actor, stream: IO[bytes], max_rows: int = MAX_ROWS) -> Plan:
    """What importing ``stream`` would do, row by row; nothing is written. A file that cannot
    be read at all raises ``ImportRefused`` with one problem on row 0."""
    if not policies.may_import(actor):
        raise PermissionDenied(N_("Only a manager or an admin may import items."))
    try:
        return build_plan(actor, open_table(stream, max_rows))
    except FileRefused as exc:
        raise ImportRefused([RowError(0, "", exc.template, exc.params)]) from None


def import_file(
    actor: Actor, stream: IO[bytes], filename: str, *, dry_run: bool = False
) -> dict[str, int]:
    """Import ``stream``: the counts of rows new, changed and unchanged. Any problem raises
    ``ImportRefused`` naming each one, before anything is written."""
    plan = plan_file(actor, stream)
    if not plan.ok:
        raise ImportRefused(plan.errors)
    counts = plan.counts()
    if not dry_run:
        apply_plan(actor, plan, filename)
    return counts


def items_by_codes(codes: list[str]) -> list[Item]:
    """The items with these codes, in the order given (for the result page's links)."""
    found = _items_by_code(set(codes))
    return [found[c] for c in codes if c in found]


def _items_by_code(codes: set[str]) -> dict[str, Item]:
    found: dict[str, Item] = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        found.update(
            {i.code or "": i for i in db.session.scalars(select(Item).where(Item.code.in_(chunk)))}
        )
    return found


def _in_link_order(rows: list[RowPlan]) -> list[RowPlan]:
    """The rows with every item a row addresses before it (the plan has no cycle), so that a
    row's links are set when its item is created, in one write."""
    by_code = {row.code: row for row in rows if row.code}
    graph = {
        key: [c for c in (row.addresses or ()) if c in by_code]
        for key, row in ((row.code or f"#{index}", row) for index, row in enumerate(rows))
    }
    order = TopologicalSorter(graph).static_order()
    return [by_code[code] if code in by_code else rows[int(code[1:])] for code in order]


def apply_plan(actor: Actor, plan: Plan, filename: str) -> None:
    """Write ``plan`` (which must be free of errors): each item created or edited with its
    links (the items it addresses first), then the status updates, each noted "Imported
    from FILE"."""
    note = gettext("Imported from %(file)s", file=filename[:NOTE_FILENAME_MAX])
    by_code = {row.code: row.item for row in plan.rows if row.code and row.item}
    wanted = {c for row in plan.rows for c in row.addresses or () if c not in by_code}
    by_code.update(_items_by_code(wanted))
    for row in _in_link_order(plan.rows):
        fields = dict(row.fields)
        if row.addresses is not None:
            fields["addresses"] = [by_code.get(code) for code in row.addresses]
        if row.is_new:
            row.item = by_code[row.code] = item_services.create_item(actor, **fields)
        elif fields and row.item is not None:
            item_services.edit_item(actor, row.item, row.item.version, **fields)
    for row in plan.rows:
        for status, progress in row.steps:
            assert row.item is not None
            item_services.change_status(
                actor, row.item, row.item.version, status=status, progress=progress, note=note
            )
