"""The public view in the permissions walk: its pages answer everyone when ``PUBLIC_VIEW``
is on and nobody (404, as a route that does not exist) when it is off; publishing is for
managers and admins."""

from flask import current_app

from app.extensions import db
from app.public.services import publication_of

PUBLIC_VIEW = "public_view"  # as PUBLIC when PUBLIC_VIEW is on, else as HIDDEN
HIDDEN = "hidden"  # a switched-off feature's routes: 404 for everyone


def public_view_class(klass: str, public: str) -> str:
    """The class a route of ``klass`` has on the application the walk runs on."""
    if klass != PUBLIC_VIEW:
        return klass
    return public if current_app.config.get("PUBLIC_VIEW") else HIDDEN


def publication_payload(world) -> dict:
    """A valid publication form on the walked item, on its current publication version."""
    db.session.expire_all()
    publication = publication_of(world["item"])
    version = publication.version if publication else 0
    return {"summary": "Published by the walk.", "action": "publish", "version": str(version)}
