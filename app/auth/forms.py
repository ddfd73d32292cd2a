"""The login form (Flask-WTF, so it carries csrf_token), and the labels and helpers of the
user forms (profile, admin)."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from app.core.errors import N_, ValidationError


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


# The profile's language choice: "" is the browser's choice (stored as None). Language names are
# written in their own language, so they are not translated.
LANGUAGE_CHOICES = (
    ("", _l("Browser's choice")),
    ("en", "English"),
    ("fr", "Français"),
)

USER_FIELD_LABELS = {
    "email": _l("Email"),
    "name": _l("Name"),
    "role": _l("Role"),
    "organisation_id": _l("Organisation"),
    "language": _l("Language"),
    "password": _l("Password"),
    "password_confirm": _l("Repeat the password"),
}


def error_messages(exc: ValidationError, labels: dict) -> tuple[str, dict[str, str]]:
    """The summary and the per-field messages of ``exc``, translated, with field labels."""
    params = dict(exc.params)
    if "field" in params:
        params["field"] = str(labels.get(params["field"], params["field"]))
    summary = gettext(exc.template, **params) if params else gettext(exc.template)
    fields = {name: gettext(message) for name, message in exc.fields.items()}
    return summary, fields


def check_confirmation(password: str, confirmation: str) -> None:
    """The new password and its repetition must agree."""
    if password != confirmation:
        raise ValidationError(
            N_("The two passwords are not the same."),
            fields={"password_confirm": N_("Does not match.")},
        )


def collect(*checks) -> None:
    """Run independent checks and raise one ``ValidationError`` with every field's message,
    so that a form comes back once with all its mistakes marked."""
    fields: dict[str, str] = {}
    first = None
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            first = first or exc
            fields.update(exc.fields)
    if first is not None:
        if len(fields) > 1:
            raise ValidationError(
                N_("Some fields need correcting: see the messages next to them."), fields=fields
            )
        raise first
