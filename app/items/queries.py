"""Reads of items: the filters shared by the item list, the API and the reports, sorting,
pagination, and the derived overdue and stale conditions in SQL. (``arguments`` parses them
from a request.)"""

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Row, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.core.errors import N_, ValidationError
from app.core.natural import natural_order, natural_sorted
from app.core.time import as_utc, today, utcnow
from app.extensions import db
from app.items import workflow
from app.items.models import Evidence, Item, Response, Theme, item_supporters, item_themes
from app.stakeholders.models import Organisation
from app.stakeholders.queries import organisations_by_acronym

RESPONSE_NONE = "none"  # the ``response`` filter's value for items without a response
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50
# The lead organisation's acronym, for sorting by lead.
_LEAD_ACRONYM = (
    select(func.lower(Organisation.acronym))
    .where(Organisation.id == Item.lead_id)
    .correlate(Item)
    .scalar_subquery()
)
SORTS = {
    "id": (Item.id,),
    "code": (*natural_order(Item.code), Item.id),
    "lead": (_LEAD_ACRONYM, *natural_order(Item.code), Item.id),
    "title": (func.lower(Item.title), Item.id),
    "status": (Item.status, Item.id),
    "progress": (Item.progress, Item.id),
    "due_date": (Item.due_date.is_(None), Item.due_date, Item.id),
    "last_update": (Item.last_update_at, Item.id),
    "kind": (Item.kind, Item.id),
}


def stale_days() -> int:
    """The ``STALE_DAYS`` setting: an open item is stale after that many days without a status
    update. Every door reads it here."""
    return int(current_app.config["STALE_DAYS"])


def overdue_clause(on: date) -> ColumnElement[bool]:
    """SQL condition: due date passed and the item not closed."""
    return and_(
        Item.due_date.is_not(None), Item.due_date < on, Item.status.not_in(workflow.CLOSED_STATUSES)
    )


def stale_clause(now: datetime, stale_days: int) -> ColumnElement[bool]:
    """SQL condition: no status update for ``stale_days`` days on an open item."""
    return and_(
        Item.last_update_at < workflow.stale_cutoff(now, stale_days),
        Item.status.not_in(workflow.CLOSED_STATUSES),
    )


def item_flags(item: Item, stale_days: int, now: datetime | None = None) -> dict[str, bool]:
    """The derived ``overdue`` and ``stale`` flags of one loaded item."""
    now = now or utcnow()
    return {
        "overdue": workflow.is_overdue(item.due_date, item.status, now.date()),
        "stale": workflow.is_stale(as_utc(item.last_update_at), item.status, now, stale_days),
    }


def flags_by_id(items: list[Item], stale_days: int) -> dict[int, dict[str, bool]]:
    """``{item id: its flags}`` of a list of items, at one moment."""
    now = utcnow()
    return {item.id: item_flags(item, stale_days, now) for item in items}


@dataclass
class ItemFilters:
    """The filters of the item list; ``lead`` and ``theme`` take an id, an acronym or a code."""

    kind: str | None = None
    status: str | None = None
    lead: str | None = None
    theme: str | None = None
    overdue: bool | None = None
    stale: bool | None = None
    q: str | None = None
    response: str | None = None
    owner: str | None = None  # a user id ("me" is resolved by the parser)

    def as_args(self) -> dict[str, str]:
        """The non-empty filters as query-string arguments (to keep them in links)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            out[f.name] = ("1" if value else "0") if isinstance(value, bool) else value
        return out


def _is_id(value: str) -> bool:
    """ASCII digits that fit an integer column ("³" is a digit to Python, not to ``int``)."""
    return value.isascii() and value.isdigit() and len(value) <= 9


def organisation_id(value: str) -> int | None:
    """The id of the organisation named by an id or an acronym (None: no such one)."""
    if _is_id(value):
        return int(value)
    return db.session.scalar(
        select(Organisation.id).where(func.lower(Organisation.acronym) == value.lower())
    )


def _theme_ids(value: str) -> list[int]:
    """The theme and its sub-themes (one level down, as resolution tasks have)."""
    theme_id: int | None
    if _is_id(value):
        theme_id = int(value)
    else:
        theme_id = db.session.scalar(select(Theme.id).where(Theme.code == value))
    if theme_id is None:
        return []
    children = db.session.scalars(select(Theme.id).where(Theme.parent_id == theme_id)).all()
    return [theme_id, *children]


def apply_filters(
    stmt: Select,
    filters: ItemFilters,
    *,
    on: date | None = None,
    now: datetime | None = None,
    stale_days: int = workflow.DEFAULT_STALE_DAYS,
) -> Select:
    """Add the filters' conditions to a select over ``Item``."""
    now = now or utcnow()
    on = on or today()
    if filters.kind:
        stmt = stmt.where(Item.kind == filters.kind)
    if filters.status:
        stmt = stmt.where(Item.status == filters.status)
    if filters.lead:
        org_id = organisation_id(filters.lead)
        stmt = stmt.where(Item.lead_id == (org_id if org_id is not None else -1))
    if filters.theme:
        ids = _theme_ids(filters.theme) or [-1]
        stmt = stmt.where(
            exists().where(item_themes.c.item_id == Item.id, item_themes.c.theme_id.in_(ids))
        )
    if filters.overdue is not None:
        clause = overdue_clause(on)
        stmt = stmt.where(clause if filters.overdue else ~clause)
    if filters.stale is not None:
        clause = stale_clause(now, stale_days)
        stmt = stmt.where(clause if filters.stale else ~clause)
    if filters.response:
        stmt = stmt.where(response_clause(filters.response))
    if filters.owner:
        stmt = stmt.where(Item.owner_id == int(filters.owner))
    if filters.q:
        pattern = (
            "%"
            + filters.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        stmt = stmt.where(
            or_(
                func.lower(Item.title).like(pattern, escape="\\"),
                func.lower(Item.text).like(pattern, escape="\\"),
                func.lower(func.coalesce(Item.code, "")).like(pattern, escape="\\"),
            )
        )
    return stmt


def response_clause(position: str) -> ColumnElement[bool]:
    """SQL condition: the item's current response takes ``position`` (``"none"``: it has no
    response)."""
    current = exists().where(Response.item_id == Item.id, Response.superseded_at.is_(None))
    if position == RESPONSE_NONE:
        return ~current
    return current.where(Response.position == position)


def involving(org_id: int) -> ColumnElement[bool]:
    """SQL condition: the organisation leads or supports the item."""
    return or_(
        Item.lead_id == org_id,
        exists().where(
            item_supporters.c.item_id == Item.id, item_supporters.c.organisation_id == org_id
        ),
    )


@dataclass
class Page:
    """One page of items with the total that match."""

    items: list[Item]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def window(self) -> list[int]:
        """The page numbers the pager shows: the first, the last, and two either side of
        this one (computed, not filtered out of every page number: 4,000 at 100,000 items)."""
        last = self.pages
        near = range(max(1, self.page - 2), min(last, self.page + 2) + 1)
        return sorted({1, last, *near})


def list_items(
    filters: ItemFilters,
    *,
    page: int = 1,
    per_page: int = DEFAULT_PER_PAGE,
    sort: str = "id",
    descending: bool = False,
    extra: ColumnElement[bool] | None = None,
    stale_days: int = workflow.DEFAULT_STALE_DAYS,
    with_lists: bool = True,
) -> Page:
    """A page of items matching ``filters``, in a stable order, with what a list shows
    loaded in a bounded number of statements: the lead and the owner, and with
    ``with_lists`` (the API's items) the supporting organisations, themes and current
    response too (the web's table shows none of them: two statements and their objects less
    a page)."""
    if sort not in SORTS:
        raise ValidationError(
            N_("Unknown sort: %(value)s."), fields={"sort": N_("Unknown.")}, value=sort[:40]
        )
    base = apply_filters(select(Item), filters, stale_days=stale_days)
    if extra is not None:
        base = base.where(extra)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    order: list[Any] = [c.desc() for c in SORTS[sort]] if descending else list(SORTS[sort])
    if sort != "id":
        order.append(Item.id)
    stmt = (
        base.order_by(*order)
        .options(selectinload(Item.lead), selectinload(Item.owner))
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    if with_lists:
        stmt = stmt.options(
            selectinload(Item.supporting),
            selectinload(Item.themes),
            joinedload(Item.current_response),
        )
    return Page(list(db.session.scalars(stmt)), page, per_page, total or 0)


def my_work(
    org_id: int | None, user_id: int, page: int, per_page: int, stale_days: int
) -> tuple[Page, int, int]:
    """The page of items ``user_id`` owns or ``org_id`` leads or supports, overdue first,
    then stale, then by due date; with how many are overdue and how many stale in all."""
    overdue = overdue_clause(today())
    stale = stale_clause(utcnow(), stale_days)
    mine = Item.owner_id == user_id
    if org_id is not None:
        mine = or_(mine, involving(org_id))
    counts = db.session.execute(
        select(
            func.count(Item.id),
            func.sum(case((overdue, 1), else_=0)),
            func.sum(case((stale, 1), else_=0)),
        ).where(mine)
    ).one()
    stmt = (
        select(Item)
        .where(mine)
        .order_by(
            case((overdue, 0), else_=1),
            case((stale, 0), else_=1),
            Item.due_date.is_(None),
            Item.due_date,
            Item.id,
        )
        .options(selectinload(Item.lead), selectinload(Item.owner))
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = list(db.session.scalars(stmt))
    return Page(items, page, per_page, counts[0] or 0), counts[1] or 0, counts[2] or 0


def organisation_items(org_id: int, limit: int = 200) -> tuple[list[Item], list[Item]]:
    """The items ``org_id`` leads and those it supports (at most ``limit`` of each), in the
    natural order of their codes: two statements whatever their number."""
    order = (*natural_order(Item.code), Item.id)
    led = db.session.scalars(
        select(Item).where(Item.lead_id == org_id).order_by(*order).limit(limit)
    ).all()
    supported = db.session.scalars(
        select(Item)
        .join(item_supporters, item_supporters.c.item_id == Item.id)
        .where(item_supporters.c.organisation_id == org_id)
        .order_by(*order)
        .limit(limit)
    ).all()
    return list(led), list(supported)


def item_counts_by_organisation() -> dict[int, tuple[int, int]]:
    """``{organisation id: (items led, items supported)}`` in two statements."""
    led = db.session.execute(select(Item.lead_id, func.count()).group_by(Item.lead_id)).all()
    supported = db.session.execute(
        select(item_supporters.c.organisation_id, func.count()).group_by(
            item_supporters.c.organisation_id
        )
    ).all()
    counts: dict[int, tuple[int, int]] = {org: (n, 0) for org, n in led}
    for org, n in supported:
        counts[org] = (counts.get(org, (0, 0))[0], n)
    return counts


def themes_by_code() -> list[Row]:
    """``(id, code, title)`` of every theme, by code."""
    rows = db.session.execute(select(Theme.id, Theme.code, Theme.title)).all()
    return natural_sorted(list(rows), "code")


def filter_choices() -> dict[str, list[Row]]:
    """What the item-list filters offer (the item list and the reports page)."""
    return {"organisations": organisations_by_acronym(), "themes": themes_by_code()}


def evidence_of(item: Item) -> list[Evidence]:
    """The item's evidence, newest first, with who added it."""
    return list(
        db.session.scalars(
            select(Evidence)
            .where(Evidence.item_id == item.id)
            .options(selectinload(Evidence.uploaded_by), selectinload(Evidence.withdrawn_by))
            .order_by(Evidence.created_at.desc(), Evidence.id.desc())
        )
    )


def current_response(item: Item) -> Response | None:
    """The item's current response (None: it has none)."""
    return db.session.scalar(
        select(Response)
        .where(Response.item_id == item.id, Response.superseded_at.is_(None))
        .options(selectinload(Response.author), selectinload(Response.organisation))
    )


def response_history(item: Item) -> list[Response]:
    """Every revision of the item's response, the current one first."""
    return list(
        db.session.scalars(
            select(Response)
            .where(Response.item_id == item.id)
            .options(selectinload(Response.author), selectinload(Response.organisation))
            .order_by(Response.created_at.desc(), Response.id.desc())
        )
    )
