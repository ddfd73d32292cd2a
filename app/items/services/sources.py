"""Sources and themes: reference data loaded by the seed, created and edited by managers and
admins."""

from typing import Any

from sqlalchemy import select

from app import audit
from app.core.actor import Actor
from app.core.errors import N_, ValidationError
from app.core.validation import clean_text
from app.extensions import db
from app.items.models import Source, Theme
from app.items.services._common import require_manager, set_if_changed


def _unique(column: Any, value: object, field: str) -> None:
    if isinstance(value, str) and db.session.scalar(select(column).where(column == value.strip())):
        raise ValidationError(
            N_("%(value)s is already used."),
            fields={field: N_("Already used.")},
            value=value.strip()[:40],
        )


def create_source(
    actor: Actor, *, key: str, title: str, citation: str = "", url: str | None = None
) -> Source:
    """Create a source document with its citation."""
    require_manager(actor)
    audit.set_actor(db.session, actor)
    _unique(Source.key, key, "key")
    source = Source(
        key=clean_text(key, "key", 80),
        title=clean_text(title, "title", 300),
        citation=clean_text(citation, "citation", 5000, required=False),
        url=url or None,
    )
    db.session.add(source)
    db.session.flush()
    return source


def create_theme(
    actor: Actor,
    *,
    code: str,
    title: str,
    description: str = "",
    parent: Theme | None = None,
    source: Source | None = None,
) -> Theme:
    """Create a theme (a mandate task or topic), under ``parent`` for a sub-task."""
    require_manager(actor)
    audit.set_actor(db.session, actor)
    _unique(Theme.code, code, "code")
    theme = Theme(
        code=clean_text(code, "code", 40),
        title=clean_text(title, "title", 300),
        description=clean_text(description, "description", 5000, required=False),
        parent=parent,
        source=source,
    )
    db.session.add(theme)
    db.session.flush()
    return theme


def edit_source(actor: Actor, source: Source, **data: Any) -> Source:
    """Change a source's title, citation or url (manager, admin)."""
    require_manager(actor)
    audit.set_actor(db.session, actor)
    if "title" in data:
        set_if_changed(source, "title", clean_text(data["title"], "title", 300))
    if "citation" in data:
        set_if_changed(
            source, "citation", clean_text(data["citation"], "citation", 5000, required=False)
        )
    if "url" in data:
        set_if_changed(source, "url", clean_text(data["url"], "url", 500, required=False) or None)
    db.session.flush()
    return source


def edit_theme(actor: Actor, theme: Theme, **data: Any) -> Theme:
    """Change a theme's title, description, parent or source (manager, admin)."""
    require_manager(actor)
    audit.set_actor(db.session, actor)
    if "title" in data:
        set_if_changed(theme, "title", clean_text(data["title"], "title", 300))
    if "description" in data:
        set_if_changed(
            theme,
            "description",
            clean_text(data["description"], "description", 5000, required=False),
        )
    if "parent" in data:
        node = data["parent"]
        while node is not None:
            if node is theme:
                raise ValidationError(
                    N_("A theme cannot sit under itself."),
                    fields={"parent_id": N_("This would make a loop.")},
                )
            node = node.parent
        set_if_changed(theme, "parent", data["parent"])
    if "source" in data:
        set_if_changed(theme, "source", data["source"])
    db.session.flush()
    return theme
