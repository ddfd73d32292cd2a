"""A service's refusal (``SuiviError``) as the user reads it: one message and the messages
next to the fields, in the user's language. Every web page and error page uses this.

Domain packages register how their message parameters read (``register_labels(app,
"field", {"due_date": _l("Due date")})``), so that "%(field)s is required." says "Due date"
and not "due_date"; core knows no domain.
"""

from collections.abc import Mapping

from flask import current_app
from flask.sansio.app import App
from flask_babel import gettext

from app.core.errors import SuiviError
from app.extensions import db

EXTENSION = "suivi.labels"


def register_labels(app: App, param: str, labels: Mapping[str, object]) -> None:
    """Show the message parameter ``param`` by the label ``labels`` gives its value."""
    app.extensions.setdefault(EXTENSION, {}).setdefault(param, {}).update(labels)


def message(exc: SuiviError) -> str:
    """The error's message, translated, with its parameters shown by their labels."""
    registered = current_app.extensions.get(EXTENSION, {})
    params = dict(exc.params)
    for key, value in params.items():
        labels = registered.get(key, {})
        if isinstance(value, str) and value in labels:
            params[key] = str(labels[value])
    return gettext(exc.template, **params) if params else gettext(exc.template)


def form_errors(exc: SuiviError) -> dict[str, str]:
    """Undo what the request had written, then ``{input name: message}``, with the whole
    message under ``""``: a form shows them next to its fields and at its top."""
    db.session.rollback()
    errors = {name: gettext(text) for name, text in exc.fields.items()}
    errors.setdefault("", message(exc))
    return errors
