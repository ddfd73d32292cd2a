"""Domain errors raised by services and turned into 4xx answers by each door.

Messages are English templates with ``%(name)s`` placeholders, marked with ``N_`` so that
Babel extracts them; the web door translates ``template`` and fills in ``params``.
"""


def N_(template: str) -> str:
    """Mark a message for extraction without translating it here."""
    return template


class SuiviError(Exception):
    """Base of every error a service raises on purpose; never a 500."""

    code = "error"
    status = 400

    def __init__(self, template: str, fields: dict[str, str] | None = None, **params):
        self.template = template
        self.params = params
        self.message = template % params if params else template
        self.fields = fields or {}
        super().__init__(self.message)


class ValidationError(SuiviError):
    """A value is missing, malformed or out of range."""

    code = "validation_error"
    status = 422


class WorkflowError(SuiviError):
    """The workflow refuses this status transition."""

    code = "transition_not_allowed"
    status = 422


class PermissionDenied(SuiviError):
    """The acting user may not do this."""

    code = "forbidden"
    status = 403


class NotFound(SuiviError):
    """The record does not exist."""

    code = "not_found"
    status = 404


class ConflictError(SuiviError):
    """The caller saw an older version of the record than the one stored."""

    code = "conflict"
    status = 409

    def __init__(self, template: str, current_version: int | None = None, **params):
        super().__init__(template, **params)
        self.current_version = current_version
