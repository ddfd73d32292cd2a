"""How items read to people: the labels of kinds, priorities, statuses, fields and sorts,
defined once for the pages, the history, the reports and the error messages."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.items import workflow

KIND_LABELS = {
    "challenge": _l("Challenge"),
    "recommendation": _l("Recommendation"),
    "action": _l("Action"),
    "opportunity": _l("Opportunity"),
}
PRIORITY_LABELS = {"high": _l("High"), "medium": _l("Medium"), "low": _l("Low")}
RESPONSE_LABELS = {
    "accepted": _l("Accepted"),
    "partially_accepted": _l("Partially accepted"),
    "noted": _l("Noted"),
    "rejected": _l("Rejected"),
    "none": _l("No response"),
}
# The workflow is plain Python: its labels are marked there and translated here.
STATUS_LABELS = {status: _l(text) for status, text in workflow.STATUS_LABELS.items()}
FIELD_LABELS = {
    "code": _l("Code"),
    "kind": _l("Kind"),
    "title": _l("Title"),
    "text": _l("Text"),
    "source": _l("Source"),
    "source_id": _l("Source"),
    "source_section": _l("Section"),
    "priority": _l("Priority"),
    "lead": _l("Lead organisation"),
    "lead_id": _l("Lead organisation"),
    "supporting": _l("Supporting organisations"),
    "supporting_ids": _l("Supporting organisations"),
    "themes": _l("Themes"),
    "theme_ids": _l("Themes"),
    "links": _l("Linked items"),
    "link_ids": _l("Linked items"),
    "addresses": _l("Addresses"),
    "addressed_by": _l("Addressed by"),
    "owner": _l("Owner"),
    "owner_id": _l("Owner"),
    "due_date": _l("Due date"),
    "status": _l("Status"),
    "progress": _l("Progress"),
    "note": _l("Note"),
    "body": _l("Comment"),
    "url": _l("Link"),
    "file": _l("File"),
    "version": _l("Version"),
    "name": _l("Name"),
    "unit": _l("Unit"),
    "description": _l("Description"),
    "baseline_value": _l("Baseline value"),
    "baseline_date": _l("Baseline date"),
    "target_value": _l("Target value"),
    "target_date": _l("Target date"),
    "value": _l("Value"),
    "measured_on": _l("Date"),
    "sort": _l("Sort"),
    "page": _l("Page"),
    "per_page": _l("Items per page"),
    "overdue": _l("Overdue"),
    "stale": _l("Stale"),
    "q": _l("Search"),
    "order": _l("Order"),
    "position": _l("Response"),
    "responded_on": _l("Response date"),
    "response": _l("Formal response"),
}
SORT_LABELS = {
    "id": _l("Id"),
    "code": _l("Code"),
    "title": _l("Title"),
    "lead": _l("Lead"),
    "status": _l("Status"),
    "progress": _l("Progress"),
    "due_date": _l("Due date"),
    "last_update": _l("Last update"),
    "kind": _l("Kind"),
}
# Message parameters shown by their label: "%(field)s", and the statuses of a transition.
MESSAGE_LABELS = {
    "field": FIELD_LABELS,
    "status": STATUS_LABELS,
    "source": STATUS_LABELS,
    "target": STATUS_LABELS,
}


def status_label(status: str) -> str:
    """A status as the reader says it, in the current language."""
    return gettext(workflow.STATUS_LABELS.get(status, status))


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def priority_label(priority: str) -> str:
    return str(PRIORITY_LABELS.get(priority, priority))


def response_label(position: str | None) -> str:
    """A response's position as the reader says it ("none" or None: no response)."""
    return str(RESPONSE_LABELS.get(position or "none", position))
