"""The public view's pages and feeds (no login, only with ``PUBLIC_VIEW``), and the managers'
page that publishes an item."""

from app.public.views import manage, pages

__all__ = ["manage", "pages"]
