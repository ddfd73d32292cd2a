"""The item list (filters, sort and pages in the URL) and the user's own work."""

from flask import render_template, request
from flask_login import current_user

from app.core.conditional import conditional
from app.core.errors import ValidationError
from app.core.feedback import form_errors
from app.core.time import today
from app.core.validation import given
from app.core.web import clean_query_redirect
from app.items import arguments, queries
from app.items.labels import SORT_LABELS
from app.items.models import ITEM_KINDS
from app.items.queries import stale_days
from app.items.services import MAX_BULK
from app.items.views.common import bp
from app.rounds.queries import missing_items


def _list_page(result: queries.Page | None, errors: dict, filter_args: dict):
    items = result.items if result else []
    return render_template(
        "items/index.html",
        result=result,
        items=items,
        flags=queries.flags_by_id(items, stale_days()),
        errors=errors,
        args={k: v for k, v in request.args.items() if k != "page" and v},
        filter_args=filter_args,
        sort=request.args.get("sort") or "id",
        order=request.args.get("order") or "asc",
        sorts=SORT_LABELS,
        kinds=ITEM_KINDS,
        max_bulk=MAX_BULK,
        **queries.filter_choices(),
    )


@bp.get("/items")
@conditional
def index():
    """Every item, filtered, sorted and paginated; the filters live in the URL."""
    clean = clean_query_redirect()
    if clean is not None:
        return clean
    try:
        listing = arguments.parse_list_args(given(request.args))
        result = queries.list_items(
            listing.filters,
            page=listing.page,
            per_page=listing.per_page,
            sort=listing.sort,
            descending=listing.descending,
            stale_days=stale_days(),
            with_lists=False,
        )
    except ValidationError as exc:
        return _list_page(None, form_errors(exc), {}), 400
    return _list_page(result, {}, listing.filters.as_args())


@bp.get("/my-work")
def my_work():
    """The items the user's organisation leads or supports, overdue and stale first."""
    errors: dict[str, str] = {}
    try:
        page, per_page = arguments.parse_page(given({"page": request.args.get("page")}))
    except ValidationError as exc:
        errors, page, per_page = form_errors(exc), 1, queries.DEFAULT_PER_PAGE
    result, overdue, stale = queries.my_work(
        current_user.organisation_id, current_user.id, page, per_page, stale_days()
    )
    return render_template(
        "items/my_work.html",
        round_missing=missing_items(current_user.organisation_id, today()),
        result=result,
        items=result.items,
        flags=queries.flags_by_id(result.items, stale_days()),
        errors=errors,
        args={},
        overdue_count=overdue,
        stale_count=stale,
    ), 400 if errors else 200
