"""Admin screens: users (create, edit, deactivate, reset password, revoke tokens) and
organisations (a tree; create and edit)."""

from app.admin.views import organisations, users
from app.admin.views.common import bp

__all__ = ["bp", "organisations", "users"]
