"""The ``addresses`` column across the whole file: each code must name an item in Suivi or in
the file, never the row's own item, and the links must not make a cycle."""

from typing import TYPE_CHECKING

from app.core.errors import N_
from app.imports.cells import unknown
from app.imports.errors import RowError
from app.imports.references import References, all_item_codes, stored_links

if TYPE_CHECKING:
    from app.imports.plan import RowPlan


def resolve(rows: list["RowPlan"], refs: References) -> None:
    """Check each row's ``addresses``, note which rows change their links, find cycles."""
    in_file = {row.code for row in rows if row.code}
    known = refs.known_codes | in_file
    candidates: list[str] | None = None
    for row in rows:
        codes = row.values.get("addresses")
        if codes is None:
            continue
        for code in codes:
            if code == row.code:
                row.errors.append(
                    RowError(row.row, "addresses", N_("An item cannot address itself."))
                )
            elif code not in known:
                candidates = candidates if candidates is not None else [*in_file, *all_item_codes()]
                exc = unknown("code", code, [c for c in candidates if c != row.code])
                row.errors.append(RowError(row.row, "addresses", exc.template, exc.params))
        current = {a.code for a in row.item.addresses} if row.item else set()
        if set(codes) != current and not row.errors:
            row.addresses = codes
            if row.item is not None:
                row.changed.append("addresses")
    _cycles(rows)


def _cycles(rows: list["RowPlan"]) -> None:
    """Each cycle the links would make, reported on the first of its rows in the file."""
    graph = stored_links()
    by_code = {row.code: row for row in rows if row.code}
    for row in rows:
        codes = row.values.get("addresses")
        if codes is not None and row.code:
            graph[row.code] = [c for c in codes if c != row.code]
    state: dict[str, int] = {}  # 1: being visited, 2: done
    reported: set[frozenset[str]] = set()
    for start in [*by_code, *graph]:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        state[start] = 1
        while stack:
            node, index = stack[-1]
            targets = graph.get(node, [])
            if index >= len(targets):
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            stack[-1] = (node, index + 1)
            nxt = targets[index]
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                _report(cycle, by_code, reported)
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, 0))
                path.append(nxt)


def _report(cycle: list[str], by_code: dict, reported: set[frozenset[str]]) -> None:
    key = frozenset(cycle)
    if key in reported:
        return
    reported.add(key)
    row = next((by_code[c] for c in cycle if c in by_code), None)
    if row is not None:
        row.errors.append(
            RowError(
                row.row,
                "addresses",
                N_("These links make a cycle: %(cycle)s."),
                {"cycle": " → ".join(cycle)},
            )
        )
