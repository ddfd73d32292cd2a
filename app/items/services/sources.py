"""Sources and themes: reference data loaded by the seed, created and edited by managers and
admins."""

import re
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


_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _key(value: Any) -> str:
    key = clean_text(value, "key", 80)
    if not _KEY.fullmatch(key):
        raise ValidationError(
            N_("A key is made of letters, digits, dots, dashes and underscores."),
            fields={"key": N_("Letters, digits, . - and _ only.")},
        )
    return key


def _url(value: Any) -> str | None:
    url = clean_text(value, "url", 500, required=False) or None
    if url and not url.lower().startswith(("https://", "http://")):
        raise ValidationError(
            N_("A link must start with http:// or https://."),
            fields={"url": N_("Not a web address.")},
        )
    return url


def create_source(
    actor: Actor,
    *,
    key: str,
    title: str,
    citation: str = "",
    url: str | None = None,
    themes: Any = None,
) -> Source:
    """Create a source document with its citation, and its themes (``set_source_themes``)."""
    require_manager(actor)
    audit.set_actor(db.session, actor)
    _unique(Source.key, key, "key")
    source = Source(
        key=_key(key),
        title=clean_text(title, "title", 300),
        citation=clean_text(citation, "citation", 5000, required=False),
        url=_url(url),
    )
    db.session.add(source)
    db.session.flush()
    if themes:
        set_source_themes(actor, source, themes)
    return source


def parse_theme_lines(text: Any) -> list[tuple[str, str]]:
    """``"code: title"`` lines as ``[(code, title)]``; a line without a title is refused."""
    text = clean_text(text, "themes", 20_000, required=False)
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        code, _sep, title = line.partition(":")
        if not code.strip() or not title.strip():
            raise ValidationError(
                N_("Line %(line)s: write each theme as code: title."),
                fields={"themes": N_("One theme per line, as code: title.")},
                line=number,
            )
        pairs.append((clean_text(code, "themes", 40), clean_text(title, "themes", 300)))
    return pairs


def set_source_themes(actor: Actor, source: Source, text: Any) -> list[Theme]:
    """Make the themes given as ``"code: title"`` lines exactly this source's themes: new
    codes become themes of the source, known ones are renamed; a theme left out is detached
    from the source, never deleted (items keep it). A theme of another source is refused."""
    require_manager(actor)
    pairs = parse_theme_lines(text)
    known = {
        t.code: t
        for t in db.session.scalars(select(Theme).where(Theme.code.in_([c for c, _ in pairs])))
    }
    kept: list[Theme] = []
    for code, title in pairs:
        theme = known.get(code)
        if theme is not None and theme.source_id not in (None, source.id):
            raise ValidationError(
                N_("The theme %(code)s belongs to another source."),
                fields={"themes": N_("A theme of another source.")},
                code=code,
            )
        if theme is None:
            theme = create_theme(actor, code=code, title=title, source=source)
        else:
            edit_theme(actor, theme, title=title, source=source)
        kept.append(theme)
    for theme in source_themes(source):
        if theme not in kept:
            edit_theme(actor, theme, source=None)
    return kept


def source_themes(source: Source) -> list[Theme]:
    """The themes that come from ``source``, by code."""
    return list(
        db.session.scalars(select(Theme).where(Theme.source_id == source.id).order_by(Theme.code))
    )


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
    """Change a source's title, citation, url or themes (manager, admin); the key stays,
    since imported files name the source by it."""
    require_manager(actor)
    audit.set_actor(db.session, actor)
    if "title" in data:
        set_if_changed(source, "title", clean_text(data["title"], "title", 300))
    if "citation" in data:
        set_if_changed(
            source, "citation", clean_text(data["citation"], "citation", 5000, required=False)
        )
    if "url" in data:
        set_if_changed(source, "url", _url(data["url"]))
    db.session.flush()
    if "themes" in data:
        set_source_themes(actor, source, data["themes"])
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
