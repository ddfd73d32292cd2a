"""Users, passwords, logins and API tokens; checked, audited and flushed, never committed."""

import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app import audit
from app.auth.models import ApiToken, User
from app.auth.passwords import (
    check_strength,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from app.auth.policies import may_manage_tokens, may_manage_users
from app.core.actor import Actor
from app.core.errors import N_, PermissionDenied, ValidationError
from app.core.roles import ADMIN, ROLES
from app.core.time import as_utc, utcnow
from app.core.validation import clean_text, collect, parse_choice
from app.extensions import db
from app.stakeholders.services import organisation_from

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TOKEN_BYTES = 32
TOKEN_USE_PRECISION = timedelta(minutes=5)  # a token's last use is kept to that
LANGUAGES = ("en", "fr")


def normalise_email(email: object) -> str:
    """Lower-cased, stripped, and shaped like an address, or ``ValidationError``."""
    value = clean_text(email, "email", 254).lower()
    if not EMAIL_RE.match(value):
        raise ValidationError(
            N_("This is not an email address."), fields={"email": N_("Not an email address.")}
        )
    return value


def find_user(email: str) -> User | None:
    """The user with this email, if any (case-insensitive)."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _require_admin(actor: Actor) -> None:
    if not may_manage_users(actor):
        raise PermissionDenied(N_("Only an admin may manage users."))


def _free_email(email: object) -> str:
    value = normalise_email(email)
    if find_user(value) is not None:
        raise ValidationError(
            N_("A user with this email already exists."),
            fields={"email": N_("Already registered.")},
        )
    return value


def _language(value: object) -> str | None:
    return parse_choice(value, "language", LANGUAGES) if value else None


def check_confirmation(password: object, confirmation: object) -> None:
    """The new password and its repetition (when one is asked) must agree."""
    if confirmation is not None and password != confirmation:
        raise ValidationError(
            N_("The two passwords are not the same."),
            fields={"password_confirm": N_("Does not match.")},
        )


def create_user(
    actor: Actor,
    *,
    email: str,
    name: str,
    role: str,
    organisation: Any,
    password: str,
    language: str | None = None,
    password_confirm: str | None = None,
) -> User:
    """Create a user (admin). ``organisation`` (required) is an Organisation or its id;
    ``password_confirm``, when given, must repeat the password. Every mistake at once."""
    _require_admin(actor)
    audit.set_actor(db.session, actor)
    data = collect(
        name=lambda: clean_text(name, "name", 200),
        email=lambda: _free_email(email),
        role=lambda: parse_choice(role, "role", ROLES),
        organisation=lambda: organisation_from(organisation, "organisation_id"),
        language=lambda: _language(language),
        password=lambda: check_strength(password),
        confirmed=lambda: check_confirmation(password, password_confirm),
    )
    del data["confirmed"]
    password_hash = hash_password(data.pop("password"))
    user = User(**data, password_hash=password_hash, is_active=True, failed_logins=0)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(actor: Actor, user: User, **data: Any) -> User:
    """Change name, role, organisation (or its id), language or active flag (admin; a user
    may change their own name and language). Every mistake at once."""
    own_fields = {"name", "language"}
    if not (may_manage_users(actor) or (actor.id == user.id and set(data) <= own_fields)):
        raise PermissionDenied(N_("Only an admin may manage users."))
    audit.set_actor(db.session, actor)
    if "is_active" in data and actor.id == user.id and not data["is_active"]:
        raise ValidationError(N_("You cannot deactivate yourself."))
    parsers: dict[str, Callable[[Any], Any]] = {
        "name": lambda v: clean_text(v, "name", 200),
        "language": _language,
        "role": lambda v: parse_choice(v, "role", ROLES),
        "organisation": lambda v: organisation_from(v, "organisation_id"),
        "is_active": bool,
    }
    unknown = set(data) - set(parsers)
    if unknown:
        raise TypeError(f"not user fields: {sorted(unknown)}")
    values = collect(**{key: partial(parsers[key], value) for key, value in data.items()})
    _keep_an_admin(user, values.get("role", user.role), values.get("is_active", user.is_active))
    for key, value in values.items():
        setattr(user, key, value)
    db.session.flush()
    return user


def _keep_an_admin(user: User, role: str, is_active: bool) -> None:
    """Refuse a change that would leave Suivi without an active admin."""
    if not (user.role == ADMIN and user.is_active) or (role == ADMIN and is_active):
        return
    others = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == ADMIN, User.is_active.is_(True), User.id != user.id)
    )
    if not others:
        raise ValidationError(
            N_("Suivi needs at least one active admin."),
            fields={"role": N_("Make someone else an admin first.")},
        )


def _check_current_password(user: User, current: object) -> None:
    if not isinstance(current, str) or not verify_password(user.password_hash, current):
        raise ValidationError(
            N_("The current password is wrong."),
            fields={"current_password": N_("Wrong password.")},
        )


def set_password(
    actor: Actor,
    user: User,
    new_password: str,
    current_password: str | None = None,
    password_confirm: str | None = None,
) -> None:
    """Change a password. A user changing their own gives the current one (an admin too,
    when they give it: the profile asks everyone, since whoever holds an open session must
    still know it); an admin resets anyone's without it. ``password_confirm``, when given,
    must repeat the new one. Every mistake at once."""
    own = actor.id == user.id
    ask_current = own and (current_password is not None or not may_manage_users(actor))
    if not ask_current and not may_manage_users(actor):
        raise PermissionDenied(N_("Only an admin may reset another user's password."))
    audit.set_actor(db.session, actor)
    collect(
        current=lambda: _check_current_password(user, current_password) if ask_current else None,
        password=lambda: check_strength(new_password),
        confirmed=lambda: check_confirmation(new_password, password_confirm),
    )
    user.password_hash = hash_password(new_password)
    user.failed_logins = 0
    user.locked_until = None
    db.session.flush()


def end_sessions(actor: Actor, user: User, action: str = "end_sessions") -> None:
    """End every session of ``user``, on every device: the cookies carry the session epoch,
    and raising it makes the user loader refuse them all. The user at logout
    (``action="logout"``), or an admin from the user's page; audited either way."""
    if actor.id != user.id and not may_manage_users(actor):
        raise PermissionDenied(N_("Only an admin may end another user's sessions."))
    audit.set_actor(db.session, actor)
    user.session_epoch = (user.session_epoch or 0) + 1
    db.session.flush()
    audit.record(db.session, action, "users", user.id)


def _count_failure(user: User, max_failures: int, lock_minutes: int) -> None:
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= max_failures:
        user.locked_until = utcnow() + timedelta(minutes=lock_minutes)
        user.failed_logins = 0
    db.session.flush()


def authenticate(
    email: object,
    password: object,
    max_failures: int = 10,
    lock_minutes: int = 15,
    device_user_id: int | None = None,
) -> User | None:
    """The active user with these credentials, else None; a success is written to the
    audit trail as a login. The caller never learns which part was wrong.

    Every attempt costs one argon2 verification, whatever the account (unknown: against a
    dummy hash; deactivated or locked: against its own), so the time tells nothing.
    ``max_failures`` wrong passwords in a row lock the account for ``lock_minutes`` — except
    for a known device: ``device_user_id``, the user a signed device cookie names (they
    logged in from that browser before), passes the lock with the right password, so that
    nobody can lock a user out by sending wrong passwords (docs/decisions.md).
    """
    if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
        return None
    user = find_user(email)
    if user is None:
        verify_password(dummy_hash(), password)  # the work a known email costs
        return None
    audit.set_actor(db.session, audit.system_actor("login"))
    now = utcnow()
    right = verify_password(user.password_hash, password)
    if not user.is_active:
        return None
    if not right:
        _count_failure(user, max_failures, lock_minutes)
        return None
    if user.is_locked(now):
        if device_user_id != user.id:
            return None
    else:  # a known device passing a lock leaves it in place for the others
        user.failed_logins = 0
        user.locked_until = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    db.session.flush()
    audit.record(db.session, "login", "users", user.id)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(actor: Actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a named API token for ``user``; returns the record and the token, shown once."""
    if not may_manage_tokens(actor, user):
        raise PermissionDenied(N_("You may only manage your own tokens."))
    audit.set_actor(db.session, actor)
    plaintext = "suivi_" + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        user=user,
        name=clean_text(name, "name", 100),
        token_hash=_token_hash(plaintext),
        prefix=plaintext[:12],
    )
    db.session.add(token)
    db.session.flush()
    return token, plaintext


def revoke_token(actor: Actor, token: ApiToken) -> None:
    """Revoke a token at once."""
    if not may_manage_tokens(actor, token.user):
        raise PermissionDenied(N_("You may only manage your own tokens."))
    audit.set_actor(db.session, actor)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()


def token_in_header(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (the scheme in any case), if
    one was sent: the one reading of the header, for the API and the report downloads."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def find_token(plaintext: object) -> ApiToken | None:
    """The unrevoked token with this value whose user is active (loaded with it), else None."""
    if not isinstance(plaintext, str) or not plaintext.startswith("suivi_"):
        return None
    token = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == _token_hash(plaintext))
        .options(joinedload(ApiToken.user))
    )
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    return token


def note_token_use(token: ApiToken) -> bool:
    """Record that ``token`` is being used, in the session (the door commits it with its own
    work), unless a use was recorded less than ``TOKEN_USE_PRECISION`` ago: the date is shown
    to the minute, and a write per request would only load the database. True when written."""
    now = utcnow()
    last = as_utc(token.last_used_at)
    if last is not None and now - last < TOKEN_USE_PRECISION:
        return False
    token.last_used_at = now
    return True


def user_for_token(plaintext: object) -> User | None:
    """The active user owning this unrevoked token; notes its use (``note_token_use``)."""
    token = find_token(plaintext)
    if token is None:
        return None
    note_token_use(token)
    return token.user
