"""How the reports read to people, in the current language: the filters in force, the day
and the comparison day, yes and no, "label: value" with French punctuation spacing."""

from datetime import date
from urllib.parse import urlencode

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core.display import show_date
from app.extensions import db
from app.items.labels import kind_label, response_label, status_label
from app.items.queries import ItemFilters

FILTER_LABELS = {
    "kind": _l("Kind"),
    "status": _l("Status"),
    "lead": _l("Lead organisation"),
    "theme": _l("Theme"),
    "overdue": _l("Overdue"),
    "stale": _l("Stale"),
    "q": _l("Search"),
    "response": _l("Formal response"),
    "owner": _l("Owner"),
}


def user_name(user_id: int) -> str:
    """A user's name, for the owner filter ("#id" for an unknown one)."""
    user = db.session.get(User, user_id)
    return user.name if user else f"#{user_id}"


def yes_no(value: bool | None) -> str:
    """ "yes" or "no" in the reader's language."""
    return gettext("yes") if value else gettext("no")


def phrase(label: str, value: object) -> str:
    """``label: value``, punctuated as the language writes it ("Statut : Bloqué")."""
    return gettext("%(label)s: %(value)s", label=label, value=value)


def filter_pairs(filters: ItemFilters) -> list[tuple[str, str]]:
    """The filters in force as (label, value) for people: statuses and kinds by their label,
    flags as yes or no, the rest as given."""
    out = []
    for key, value in filters.as_args().items():
        if key == "status":
            value = status_label(value)
        elif key == "kind":
            value = kind_label(value)
        elif key == "response":
            value = response_label(value)
        elif key in ("overdue", "stale"):
            value = yes_no(value == "1")
        elif key == "owner":
            value = user_name(int(value))
        out.append((str(FILTER_LABELS.get(key, key)), value))
    return out


def filter_phrases(filters: ItemFilters) -> list[str]:
    """The filters in force, each as one "label: value" phrase."""
    return [phrase(label, value) for label, value in filter_pairs(filters)]


def filter_query(filters: ItemFilters) -> str:
    """The filters as the query string that asks for them (``lead=AAA&overdue=1``): what a
    program reads and what reproduces the selection on /reports or the API."""
    return urlencode(filters.as_args())


def scope_pairs(
    filters: ItemFilters, day: date, live: bool, since: date | None
) -> list[tuple[str, str]]:
    """Everything that decides what a report holds, for people: its day, the comparison day,
    then each filter (or "none: all items")."""
    day_text = show_date(day)
    pairs = [(gettext("Situation as of"), gettext("%(date)s (current data)", date=day_text))]
    if not live:
        pairs[0] = (gettext("Situation as of"), day_text)
    if since is not None:
        pairs.append((gettext("Changes since"), show_date(since)))
    return pairs + (filter_pairs(filters) or [(gettext("Filters"), gettext("None: all items"))])
