"""Users, passwords, logins and API tokens; checked, audited and flushed, never committed."""

import hashlib
import re
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from app import audit
from app.auth.models import ApiToken, User
from app.auth.passwords import check_strength, hash_password, needs_rehash, verify_password
from app.auth.policies import may_manage_tokens, may_manage_users
from app.core.errors import N_, NotFound, PermissionDenied, ValidationError
from app.core.roles import ADMIN, ROLES
from app.core.time import utcnow
from app.core.validation import clean_text, parse_choice
from app.extensions import db

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TOKEN_BYTES = 32
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


def get_user(user_id: int) -> User:
    """The user with this id, or ``NotFound``."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(N_("No user with id %(id)s."), id=user_id)
    return user


def _require_admin(actor) -> None:
    if not may_manage_users(actor):
        raise PermissionDenied(N_("Only an admin may manage users."))


def create_user(
    actor,
    *,
    email: str,
    name: str,
    role: str,
    organisation,
    password: str,
    language: str | None = None,
) -> User:
    """Create a user (admin). ``organisation`` is an Organisation, required."""
    _require_admin(actor)
    audit.set_actor(db.session, actor)
    email = normalise_email(email)
    if find_user(email) is not None:
        raise ValidationError(
            N_("A user with this email already exists."),
            fields={"email": N_("Already registered.")},
        )
    if organisation is None:
        raise ValidationError(
            N_("An organisation is required."), fields={"organisation_id": N_("Required.")}
        )
    user = User(
        email=email,
        name=clean_text(name, "name", 200),
        role=parse_choice(role, "role", ROLES),
        organisation=organisation,
        password_hash=hash_password(check_strength(password)),
        language=parse_choice(language, "language", LANGUAGES) if language else None,
        is_active=True,
        failed_logins=0,
    )
    db.session.add(user)
    db.session.flush()
    return user


def update_user(actor, user: User, **data: Any) -> User:
    """Change name, role, organisation, language or active flag (admin; a user may change
    their own name and language)."""
    own_fields = {"name", "language"}
    if not (may_manage_users(actor) or (actor.id == user.id and set(data) <= own_fields)):
        raise PermissionDenied(N_("Only an admin may manage users."))
    audit.set_actor(db.session, actor)
    if "is_active" in data and actor.id == user.id and not data["is_active"]:
        raise ValidationError(N_("You cannot deactivate yourself."))
    _keep_an_admin(
        user,
        parse_choice(data.get("role", user.role), "role", ROLES),
        bool(data.get("is_active", user.is_active)),
    )
    if "name" in data:
        user.name = clean_text(data["name"], "name", 200)
    if "language" in data:
        user.language = (
            parse_choice(data["language"], "language", LANGUAGES) if data["language"] else None
        )
    if "role" in data:
        user.role = parse_choice(data["role"], "role", ROLES)
    if "organisation" in data:
        if data["organisation"] is None:
            raise ValidationError(
                N_("An organisation is required."), fields={"organisation_id": N_("Required.")}
            )
        user.organisation = data["organisation"]
    if "is_active" in data:
        user.is_active = bool(data["is_active"])
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


def set_password(actor, user: User, new_password: str, current_password: str | None = None):
    """Change a password: the user with their current one, or an admin resetting it."""
    if actor.id == user.id and not may_manage_users(actor):
        if not verify_password(user.password_hash, current_password or ""):
            raise ValidationError(
                N_("The current password is wrong."),
                fields={"current_password": N_("Wrong password.")},
            )
    elif not may_manage_users(actor):
        raise PermissionDenied(N_("Only an admin may reset another user's password."))
    audit.set_actor(db.session, actor)
    user.password_hash = hash_password(check_strength(new_password))
    user.failed_logins = 0
    user.locked_until = None
    db.session.flush()


def authenticate(
    email: object, password: object, max_failures: int = 10, lock_minutes: int = 15
) -> User | None:
    """The active, unlocked user with these credentials, else None.

    A wrong password counts a failure; ``max_failures`` in a row lock the account for
    ``lock_minutes``. The caller never learns which part was wrong.
    """
    if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
        return None
    user = find_user(email)
    if user is None:
        verify_password(hash_password("timing-equaliser"), password)  # same work either way
        return None
    audit.set_actor(db.session, audit.system_actor("login"))
    now = utcnow()
    if not user.is_active or user.is_locked(now):
        return None
    if not verify_password(user.password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + timedelta(minutes=lock_minutes)
            user.failed_logins = 0
        db.session.flush()
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    db.session.flush()
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(actor, user: User, name: str) -> tuple[ApiToken, str]:
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


def revoke_token(actor, token: ApiToken) -> None:
    """Revoke a token at once."""
    if not may_manage_tokens(actor, token.user):
        raise PermissionDenied(N_("You may only manage your own tokens."))
    audit.set_actor(db.session, actor)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()


def user_for_token(plaintext: object) -> User | None:
    """The active user owning this unrevoked token; records when it was last used."""
    if not isinstance(plaintext, str) or not plaintext.startswith("suivi_"):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(plaintext)))
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    token.last_used_at = utcnow()
    return token.user
