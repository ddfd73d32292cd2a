"""Login and logout, and the user's own profile (language, password, API tokens)."""

from app.auth.views import login, profile
from app.auth.views.common import bp

__all__ = ["bp", "login", "profile"]
