"""How users read to people: the labels of roles, languages and the user form's fields."""

from flask_babel import lazy_gettext as _l

from app.core.roles import ROLES

ROLE_LABELS = {
    "viewer": _l("Viewer"),
    "staff": _l("Staff"),
    "manager": _l("Manager"),
    "admin": _l("Administrator"),
}
assert set(ROLE_LABELS) == set(ROLES)

# The profile's language choice: "" is the browser's choice (stored as None). Language names are
# written in their own language, so they are not translated.
LANGUAGE_CHOICES = (
    ("", _l("Browser's choice")),
    ("en", "English"),
    ("fr", "Français"),
)

FIELD_LABELS = {
    "email": _l("Email"),
    "name": _l("Name"),
    "role": _l("Role"),
    "organisation_id": _l("Organisation"),
    "language": _l("Language"),
    "password": _l("Password"),
    "password_confirm": _l("Repeat the password"),
    "current_password": _l("Current password"),
}


def role_label(role: str) -> str:
    """A role as people say it, in the current language."""
    return str(ROLE_LABELS.get(role, role))
