"""One commit point for every request, as Indico's ``RH.process``: no handler commits or
rolls back. A handler that returns a success (below 400) has its changes committed once,
after it; one that raises or answers with an error has them undone.

A failure at the commit itself is the request's answer, never a 500: a unique value taken
by a concurrent writer (``IntegrityError``) or a row changed meanwhile (``StaleDataError``)
is a 409, a database that is busy or gone (``OperationalError``) a 503. Undoing also takes
back what the request flashed and runs what it asked to run then (removing a stored file).
"""

from collections.abc import Callable

from flask import Flask, g, session
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from app.core.errors import N_
from app.extensions import db

RACE = N_("Someone else changed this at the same time. Nothing was saved: reload and retry.")
# (status, code, message) of each failure the commit can meet.
COMMIT_FAILURES: dict[type[Exception], tuple[int, str, str]] = {
    IntegrityError: (409, "conflict", RACE),
    StaleDataError: (409, "conflict", RACE),
    OperationalError: (
        503,
        "unavailable",
        N_("The database is busy or out of reach. Nothing was saved: please retry in a moment."),
    ),
    InterfaceError: (  # a connection lost mid-request
        503,
        "unavailable",
        N_("The database is busy or out of reach. Nothing was saved: please retry in a moment."),
    ),
}


def commit_failure(exc: Exception) -> tuple[int, str, str]:
    """The (status, code, untranslated message) a failed commit answers with."""
    return next(answer for kind, answer in COMMIT_FAILURES.items() if isinstance(exc, kind))


def keep_changes() -> None:
    """Commit this request's changes although it answers with an error (a refused login
    still counts the failure)."""
    g.suivi_keep_changes = True


def on_undo(callback: Callable[[], object]) -> None:
    """Run ``callback`` if this request's changes are undone (not once they are committed)."""
    g.setdefault("suivi_on_undo", []).append(callback)


def _undo() -> None:
    db.session.rollback()
    mark = g.get("suivi_flash_mark")
    if mark is not None and len(session.get("_flashes", ())) > mark:
        session["_flashes"] = session["_flashes"][:mark]
    for callback in g.pop("suivi_on_undo", []):
        callback()


class SuiviFlask(Flask):
    """Flask, with the request's unit of work ended right after its handler."""

    def dispatch_request(self) -> ResponseReturnValue:
        g.suivi_flash_mark = len(session.get("_flashes", ()))
        try:
            response = self.make_response(super().dispatch_request())
            if response.status_code < 400 or g.get("suivi_keep_changes"):
                db.session.commit()
                g.pop("suivi_on_undo", None)
                return response
        except BaseException:
            _undo()
            raise
        _undo()
        return response
