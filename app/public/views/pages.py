"""The public view, without login and only when ``PUBLIC_VIEW`` is set: the published items
(filterable with the item list's parser), one item's page, a CSV export and a JSON feed.
Pages are cacheable (``Cache-Control: public`` and an ETag) and rate-limited per address."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    make_response,
    render_template,
    request,
)

from app.core.errors import ValidationError
from app.core.feedback import form_errors
from app.core.markdown import render_markdown
from app.core.validation import given
from app.extensions import limiter
from app.items import arguments
from app.items.models import ITEM_KINDS
from app.items.queries import filter_choices
from app.public import queries
from app.public.rows import csv_text, public_row

bp = Blueprint("public", __name__, url_prefix="/public")
LANGUAGES = ("en", "fr")
public_limit = limiter.shared_limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"], scope="public")


@bp.before_request
def _enabled_and_language():
    """404 unless the public view is switched on; ``?lang=fr`` chooses the language."""
    if not current_app.config.get("PUBLIC_VIEW"):
        abort(404)
    lang = request.args.get("lang")
    if lang in LANGUAGES:
        g.suivi_lang = lang


@bp.after_request
def _cacheable(response: Response) -> Response:
    """A successful read may be kept by browsers and shared caches for a while, and
    revalidated cheaply (304) on a slow link."""
    if request.method == "GET" and response.status_code == 200:
        max_age = int(current_app.config["PUBLIC_MAX_AGE"])
        # A request with a session may be answered with a refreshed session cookie: only the
        # browser keeps that answer, never a shared cache.
        cookie = current_app.config["SESSION_COOKIE_NAME"]
        scope = "private" if cookie in request.cookies else "public"
        response.headers["Cache-Control"] = f"{scope}, max-age={max_age}"
        response.add_etag()
        response.make_conditional(request)
    return response


def _listing():
    listing = arguments.parse_list_args(given(request.args))
    return listing.filters, listing.page, listing.per_page


def _page(template: str, context: dict, status: int = 200) -> Response:
    html = render_template(template, lang_args=_lang_args(), **context)
    return make_response(html, status)


def _lang_args() -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k != "lang" and v}


@bp.get("")
@public_limit
def index():
    """The published items, filtered (kind, status, lead, theme, q) and paged."""
    choices = {**filter_choices(), "kinds": ITEM_KINDS}
    try:
        filters, page, per_page = _listing()
    except ValidationError as exc:
        return _page(
            "public/index.html", {**choices, "result": None, "errors": form_errors(exc)}, 400
        )
    result = queries.published_page(filters, page, per_page)
    rows = [public_row(item, pub) for item, pub in result.rows]
    context = {"result": result, "rows": rows, "errors": {}, "filter_args": filters.as_args()}
    return _page("public/index.html", {**choices, **context})


@bp.get("/items/<id:item_id>")
@public_limit
def detail(item_id: int):
    """One published item; any other id is not found."""
    found = queries.published_item(item_id)
    if found is None:
        abort(404)
    row = public_row(*found)
    response_text = render_markdown((row["response"] or {}).get("text") or "")
    context = {
        "row": row,
        "summary": render_markdown(row["summary"]),
        "response_text": response_text,
    }
    return _page("public/detail.html", context)


@bp.get("/items.csv")
@public_limit
def items_csv():
    """Every published item matching the filters, as CSV."""
    try:
        filters, _page_number, _per_page = _listing()
    except ValidationError as exc:
        return _json_error(exc)
    rows = [public_row(item, pub) for item, pub in queries.published_all(filters)]
    response = make_response(csv_text(rows))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = "attachment; filename=suivi-public.csv"
    return response


@bp.get("/items.json")
@public_limit
def items_json():
    """The published items matching the filters, a page at a time, as JSON."""
    try:
        filters, page, per_page = _listing()
    except ValidationError as exc:
        return _json_error(exc)
    result = queries.published_page(filters, page, per_page)
    return jsonify(
        {
            "items": [public_row(item, pub) for item, pub in result.rows],
            "page": result.page,
            "per_page": result.per_page,
            "total": result.total,
        }
    )


def _json_error(exc: ValidationError) -> Response:
    errors = form_errors(exc)
    message = errors.pop("")
    body = {"error": {"code": exc.code, "message": message, "fields": errors}}
    return make_response(jsonify(body), 400)
