"""How notifications read to people: delivery choices and one sentence per kind of change."""

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.items.labels import response_label, status_label

DELIVERY_LABELS = {
    "immediate": _l("Each change by email, as it happens"),
    "daily": _l("A daily digest"),
    "weekly": _l("A weekly digest (Mondays)"),
    "none": _l("No email"),
}

SECTION_LABELS = {
    "overdue": _l("Overdue"),
    "due_soon": _l("Due within 14 days"),
    "stale": _l("Stale: no status update for a long time"),
    "round_missing": _l("Not yet reported in a reporting round"),
}
ENTRY_DATES = {
    "overdue": _l("due %(date)s"),
    "due_soon": _l("due %(date)s"),
    "stale": _l("last update %(date)s"),
    "round_missing": _l("report due %(date)s"),
}


def describe(kind: str, details: dict[str, Any], actor: str) -> str:
    """One sentence saying what ``actor`` did, in the current language."""
    if kind in ("status", "verification"):
        if details.get("from_status") == details.get("to_status"):
            text = gettext(
                "%(actor)s updated the progress to %(progress)s %%.",
                actor=actor,
                progress=details.get("progress"),
            )
        else:
            text = gettext(
                "%(actor)s changed the status from %(old)s to %(new)s (%(progress)s %%).",
                actor=actor,
                old=status_label(details.get("from_status", "")),
                new=status_label(details.get("to_status", "")),
                progress=details.get("progress"),
            )
        note = details.get("note")
        return f"{text} {gettext('Note:')} {note}" if note else text
    if kind == "comment":
        return gettext("%(actor)s commented: %(text)s", actor=actor, text=details.get("excerpt"))
    if kind == "evidence":
        return gettext(
            "%(actor)s attached evidence: %(title)s", actor=actor, title=details.get("title")
        )
    if kind == "response":
        return gettext(
            "%(actor)s recorded the formal response: %(position)s.",
            actor=actor,
            position=response_label(details.get("position")),
        )
    owner = details.get("owner") or gettext("nobody")
    return gettext(
        "%(actor)s assigned the item: lead %(lead)s, owner %(owner)s.",
        actor=actor,
        lead=details.get("lead"),
        owner=owner,
    )
