"""Password hashing with argon2 and the strength rule for new passwords."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.core.errors import N_, ValidationError

MIN_LENGTH = 10
COMMON = frozenset(
    {
        "password123",
        "password1234",
        "1234567890",
        "12345678910",
        "qwertyuiop",
        "azertyuiop",
        "motdepasse",
        "motdepasse1",
        "administrator",
        "letmein1234",
        "iloveyou12",
        "passw0rd123",
    }
)

_hasher = PasswordHasher()
# Tests set ARGON2_FAST: the same algorithm with tiny costs, so thousands of hashes are cheap.
_fast_hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
_state = {"fast": False}
_dummy_hashes: dict[bool, str] = {}


def use_fast_hashing(fast: bool) -> None:
    """Switch to cheap argon2 parameters (tests only)."""
    _state["fast"] = fast


def _current() -> PasswordHasher:
    return _fast_hasher if _state["fast"] else _hasher


def check_strength(password: object) -> str:
    """Return ``password`` or raise ``ValidationError`` saying why it is too weak."""
    if not isinstance(password, str) or not password:
        raise ValidationError(N_("A password is required."), fields={"password": N_("Required.")})
    if len(password) < MIN_LENGTH:
        raise ValidationError(
            N_("The password must have at least %(min)s characters."),
            fields={"password": N_("Too short.")},
            min=MIN_LENGTH,
        )
    if len(password) > 1024:
        raise ValidationError(N_("The password is too long."), fields={"password": N_("Too long.")})
    if password.lower() in COMMON or len(set(password)) < 5:
        raise ValidationError(
            N_("This password is too easy to guess."), fields={"password": N_("Too easy to guess.")}
        )
    return password


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _current().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    try:
        return _current().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def dummy_hash() -> str:
    """A hash of no one's password, made with today's parameters: a login for an unknown
    email is verified against it, so that it costs what a known one costs."""
    fast = _state["fast"]
    if fast not in _dummy_hashes:
        _dummy_hashes[fast] = _current().hash("no account has this password")
    return _dummy_hashes[fast]


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's."""
    return _current().check_needs_rehash(password_hash)
