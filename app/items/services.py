"""Item services: create, edit and assign items, change status, comment, attach evidence,
record indicators. Each takes the acting user, checks the policy, changes the models, lets the
audit hook record the change, and flushes — the caller commits.

Every write that changes an item takes the ``version`` the caller saw; a stale version raises
``ConflictError`` and changes nothing.
"""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.core.errors import N_, ConflictError, NotFound, PermissionDenied, ValidationError
from app.core.time import today, utcnow
from app.core.validation import clean_text, parse_choice, parse_date, parse_int
from app.extensions import db
from app.items import policies, workflow
from app.items.models import (
    ITEM_KINDS,
    PRIORITIES,
    Comment,
    Evidence,
    Indicator,
    Item,
    Measurement,
    Source,
    StatusUpdate,
    Theme,
)

TITLE_MAX = 300
TEXT_MAX = 20_000
NOTE_MAX = 10_000
COMMENT_MAX = 10_000


def get_item(item_id: Any) -> Item:
    """The item with this id, or ``NotFound`` (also for an id that is not a number)."""
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        raise NotFound(N_("No item with id %(id)s."), id=str(item_id)[:20]) from None
    item = db.session.get(Item, item_id) if 0 < item_id < 2**31 else None
    if item is None:
        raise NotFound(N_("No item with id %(id)s."), id=item_id)
    return item


def _flush() -> None:
    """Flush, turning a concurrent write to the same item into a conflict."""
    try:
        db.session.flush()
    except StaleDataError:
        raise ConflictError(N_("Someone else changed this item at the same time.")) from None


def check_version(item: Item, version: Any) -> None:
    """Raise ``ConflictError`` unless ``version`` is the item's current version."""
    seen = parse_int(version, "version", required=True)
    if seen != item.version:
        raise ConflictError(
            N_("This item was changed by someone else (version %(current)s; you saw "
               "%(seen)s)."),
            current_version=item.version, current=item.version, seen=seen,
        )


# --- sources and themes (seeded; admin) -------------------------------------------------------


def _require_manager(actor) -> None:
    if not policies.may_manage_items(actor):
        raise PermissionDenied(N_("Only a manager or an admin may do this."))


def upsert_source(actor, *, key: str, title: str, citation: str = "", url: str | None = None):
    """Create the source with this key, or bring its fields up to date."""
    _require_manager(actor)
    audit.set_actor(db.session, actor)
    source = db.session.scalar(select(Source).where(Source.key == key))
    if source is None:
        source = Source(key=clean_text(key, "key", 80))
        db.session.add(source)
    _set_if_changed(source, "title", clean_text(title, "title", 300))
    _set_if_changed(source, "citation", clean_text(citation, "citation", 5000, required=False))
    _set_if_changed(source, "url", url or None)
    db.session.flush()
    return source


def upsert_theme(actor, *, code: str, title: str, description: str = "",
                 parent: Theme | None = None, source: Source | None = None) -> Theme:
    """Create the theme with this code, or bring its fields up to date."""
    _require_manager(actor)
    audit.set_actor(db.session, actor)
    theme = db.session.scalar(select(Theme).where(Theme.code == code))
    if theme is None:
        theme = Theme(code=clean_text(code, "code", 40))
        db.session.add(theme)
    _set_if_changed(theme, "title", clean_text(title, "title", 300))
    _set_if_changed(theme, "description", clean_text(description, "description", 5000,
                                                     required=False))
    _set_if_changed(theme, "parent", parent)
    _set_if_changed(theme, "source", source)
    db.session.flush()
    return theme


def _set_if_changed(obj: Any, attr: str, value: Any) -> bool:
    """Assign only a different value, so an unchanged record writes nothing."""
    if getattr(obj, attr) != value:
        setattr(obj, attr, value)
        return True
    return False


# --- items ------------------------------------------------------------------------------------

ITEM_FIELDS = frozenset({
    "code", "kind", "title", "text", "source", "source_section", "priority", "lead",
    "supporting", "themes", "links", "owner", "due_date",
})


def _distinct(objects: Iterable[Any], field: str) -> list[Any]:
    objects = list(objects or [])
    if any(o is None for o in objects):
        raise ValidationError(N_("%(field)s names something that does not exist."),
                              fields={field: N_("Unknown id.")}, field=field)
    seen: dict[int, Any] = {}
    for obj in objects:
        seen.setdefault(obj.id, obj)
    return list(seen.values())


def _set_links(item: Item, linked: list[Item]) -> None:
    """Make ``linked`` exactly the items linked to ``item``, whichever way."""
    if any(other is item or (item.id and other.id == item.id) for other in linked):
        raise ValidationError(N_("An item cannot be linked to itself."),
                              fields={"link_ids": N_("An item cannot be linked to itself.")})
    wanted = {o.id for o in linked}
    for other in list(item.addresses):
        if other.id not in wanted:
            item.addresses.remove(other)
    for other in list(item.addressed_by):
        if other.id not in wanted:
            item.addressed_by.remove(other)
    present = {o.id for o in item.links}
    for other in linked:
        if other.id in present:
            continue
        # A challenge is addressed by the others; anything else addresses what it links to.
        if item.kind == "challenge" and other.kind != "challenge":
            item.addressed_by.append(other)
        else:
            item.addresses.append(other)


def _apply_item_fields(item: Item, data: dict[str, Any]) -> bool:
    unknown = set(data) - ITEM_FIELDS
    if unknown:
        raise ValidationError(N_("Unknown fields: %(names)s."), fields={
            f: N_("Unknown field.") for f in unknown}, names=", ".join(sorted(unknown)))
    changed = False
    if "code" in data:
        code = clean_text(data["code"], "code", 40, required=False) or None
        taken = code and code != item.code and db.session.scalar(
            select(Item.id).where(Item.code == code))
        if taken:
            raise ValidationError(N_("The code %(code)s is already used."),
                                  fields={"code": N_("Already used.")}, code=code)
        changed |= _set_if_changed(item, "code", code)
    if "kind" in data:
        changed |= _set_if_changed(item, "kind", parse_choice(data["kind"], "kind", ITEM_KINDS))
    if "title" in data:
        changed |= _set_if_changed(item, "title", clean_text(data["title"], "title", TITLE_MAX))
    if "text" in data:
        changed |= _set_if_changed(item, "text", clean_text(data["text"], "text", TEXT_MAX,
                                                           required=False))
    if "source" in data:
        changed |= _set_if_changed(item, "source", data["source"])
    if "source_section" in data:
        changed |= _set_if_changed(item, "source_section", clean_text(
            data["source_section"], "source_section", 300, required=False))
    if "priority" in data:
        changed |= _set_if_changed(item, "priority",
                                   parse_choice(data["priority"], "priority", PRIORITIES))
    if "lead" in data:
        if data["lead"] is None:
            raise ValidationError(N_("A lead organisation is required."),
                                  fields={"lead_id": N_("Required.")})
        changed |= _set_if_changed(item, "lead", data["lead"])
    if "supporting" in data:
        supporting = _distinct(data["supporting"], "supporting_ids")
        if {o.id for o in supporting} != {o.id for o in item.supporting}:
            item.supporting = supporting
            changed = True
    if "themes" in data:
        themes = _distinct(data["themes"], "theme_ids")
        if {t.id for t in themes} != {t.id for t in item.themes}:
            item.themes = themes
            changed = True
    if "links" in data:
        links = _distinct(data["links"], "link_ids")
        if {o.id for o in links} != {o.id for o in item.links}:
            _set_links(item, links)
            changed = True
    if "owner" in data:
        owner = data["owner"]
        if owner is not None and not owner.is_active:
            raise ValidationError(N_("The owner must be an active user."),
                                  fields={"owner_id": N_("Inactive user.")})
        changed |= _set_if_changed(item, "owner", owner)
    if "due_date" in data:
        changed |= _set_if_changed(item, "due_date", parse_date(data["due_date"], "due_date"))
    if item.lead is not None and any(o.id == item.lead.id for o in item.supporting):
        raise ValidationError(
            N_("The lead organisation cannot also be a supporting one."),
            fields={"supporting_ids": N_("Remove the lead from the supporting organisations.")},
        )
    return changed


def create_item(actor, **data: Any) -> Item:
    """Create an item (manager, admin). Fields: kind, title, text, lead (required), code,
    source, source_section, priority, supporting, themes, links, owner, due_date."""
    _require_manager(actor)
    audit.set_actor(db.session, actor)
    for required in ("kind", "title", "lead"):
        data.setdefault(required, None)
    now = utcnow()
    item = Item(
        status=workflow.NOT_STARTED, progress=0, priority="medium", text="", source_section="",
        created_by_id=actor.id, last_update_at=now,
    )
    with db.session.no_autoflush:
        _apply_item_fields(item, data)
    db.session.add(item)
    _flush()
    return item


def edit_item(actor, item: Item, version: Any, **data: Any) -> bool:
    """Change an item's fields (manager, admin); True when something changed."""
    _require_manager(actor)
    check_version(item, version)
    audit.set_actor(db.session, actor)
    with db.session.no_autoflush:
        changed = _apply_item_fields(item, data)
    if changed:
        item.updated_at = utcnow()  # the row is updated, so the version moves on
        _flush()
    return changed


def assign_item(actor, item: Item, version: Any, **data: Any) -> bool:
    """Assign lead, supporting organisations, owner and due date (manager, admin)."""
    allowed = {"lead", "supporting", "owner", "due_date"}
    if set(data) - allowed:
        raise ValidationError(N_("Only lead, supporting, owner and due date are assigned."))
    return edit_item(actor, item, version, **data)


def change_status(
    actor, item: Item, version: Any, *, status: Any, progress: Any = None, note: Any = ""
) -> StatusUpdate:
    """Post a status update: check the workflow for this user, apply progress, keep the note."""
    if not policies.may_post_update(actor, item):
        raise PermissionDenied(N_("You may only post updates on items your organisation leads "
                                  "or supports."))
    check_version(item, version)
    note = clean_text(note, "note", NOTE_MAX, required=False)
    if not isinstance(status, str) or not status:
        raise ValidationError(N_("A status is required."), fields={"status": N_("Required.")})
    workflow.check_transition(item.status, status, actor.role, True, note)
    requested = parse_int(progress, "progress")
    new_progress = workflow.progress_after(status, requested, item.progress)
    if status == item.status and new_progress == item.progress and not note:
        raise ValidationError(N_("Nothing to record: change the progress or write a note."),
                              fields={"note": N_("Write a note or change the progress.")})
    audit.set_actor(db.session, actor)
    now = utcnow()
    update = StatusUpdate(
        item=item, author_id=actor.id, from_status=item.status, to_status=status,
        from_progress=item.progress, progress=new_progress, note=note, created_at=now,
    )
    item.status = status
    item.progress = new_progress
    item.last_update_at = now
    item.updated_at = now
    db.session.add(update)
    _flush()
    return update


# --- comments -------------------------------------------------------------------------------


def add_comment(actor, item: Item, body: Any) -> Comment:
    """Comment on an item in markdown (staff, managers, admins)."""
    if not policies.may_comment(actor, item):
        raise PermissionDenied(N_("You may not comment."))
    audit.set_actor(db.session, actor)
    comment = Comment(item=item, author_id=actor.id, body=clean_text(body, "body", COMMENT_MAX))
    db.session.add(comment)
    db.session.flush()
    return comment


def edit_comment(actor, comment: Comment, body: Any) -> Comment:
    """Change a comment's text (its author, or an admin); the old text stays in the audit."""
    if not policies.may_edit_comment(actor, comment):
        raise PermissionDenied(N_("You may only edit your own comments."))
    audit.set_actor(db.session, actor)
    comment.body = clean_text(body, "body", COMMENT_MAX)
    db.session.flush()
    return comment


# --- evidence -------------------------------------------------------------------------------


def attach_evidence(
    actor, item: Item, *, title: Any = "", url: Any = None, stored_file: dict | None = None,
    status_update: StatusUpdate | None = None,
) -> Evidence:
    """Attach a link (``url``) or a stored file (``stored_file``: stored_name, filename,
    content_type, size_bytes, sha256) to an item."""
    if not policies.may_attach_evidence(actor, item):
        raise PermissionDenied(N_("You may not attach evidence to this item."))
    if (url is None) == (stored_file is None):
        raise ValidationError(N_("Give either a link or a file."))
    audit.set_actor(db.session, actor)
    evidence = Evidence(item=item, uploaded_by_id=actor.id,
                        title=clean_text(title, "title", 300, required=False))
    if status_update is not None:
        evidence.status_update_id = status_update.id
    if url is not None:
        url = clean_text(url, "url", 2000)
        if not url.lower().startswith(("https://", "http://")):
            raise ValidationError(N_("A link must start with http:// or https://."),
                                  fields={"url": N_("Not a web address.")})
        evidence.kind, evidence.url = "link", url
    else:
        evidence.kind = "file"
        for key in ("stored_name", "filename", "content_type", "size_bytes", "sha256"):
            setattr(evidence, key, stored_file[key])
    db.session.add(evidence)
    db.session.flush()
    return evidence


# --- indicators -----------------------------------------------------------------------------


def _number(value: Any, field: str, required: bool = False) -> float | None:
    if value is None or value == "":
        if required:
            raise ValidationError(N_("%(field)s is required."), fields={field: N_("Required.")},
                                  field=field)
        return None
    if isinstance(value, bool):
        value = "x"
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if number != number or number in (float("inf"), float("-inf")):
        raise ValidationError(N_("%(field)s must be a number."),
                              fields={field: N_("Must be a number.")}, field=field)
    return number


INDICATOR_FIELDS = ("code", "name", "unit", "description", "baseline_value", "baseline_date",
                    "target_value", "target_date")


def _apply_indicator(indicator: Indicator, data: dict[str, Any]) -> None:
    values: dict[str, Any] = {}
    if "code" in data:
        values["code"] = clean_text(data["code"], "code", 40, required=False) or None
    if "name" in data:
        values["name"] = clean_text(data["name"], "name", 200)
    if "unit" in data:
        values["unit"] = clean_text(data["unit"], "unit", 50, required=False)
    if "description" in data:
        values["description"] = clean_text(data["description"], "description", 5000,
                                           required=False)
    for key in ("baseline_value", "target_value"):
        if key in data:
            values[key] = _number(data[key], key)
    for key in ("baseline_date", "target_date"):
        if key in data:
            values[key] = parse_date(data[key], key)
    for key, value in values.items():
        _set_if_changed(indicator, key, value)


def upsert_indicator(actor, item: Item, **data: Any) -> Indicator:
    """Create an indicator on ``item`` (manager, admin), or update the one with this code."""
    _require_manager(actor)
    audit.set_actor(db.session, actor)
    indicator = None
    if data.get("code"):
        indicator = db.session.scalar(select(Indicator).where(Indicator.code == data["code"]))
    if indicator is None:
        data.setdefault("name", None)
        indicator = Indicator(item=item, unit="", description="")
        db.session.add(indicator)
    elif indicator.item_id != item.id:
        raise ValidationError(N_("This indicator belongs to another item."))
    _apply_indicator(indicator, data)
    db.session.flush()
    return indicator


def record_measurement(
    actor, indicator: Indicator, *, value: Any, measured_on: Any, note: Any = ""
) -> Measurement:
    """Record the indicator's value on a date (whoever may post updates on its item); a
    second value for the same day replaces the first, and the audit keeps both."""
    if not policies.may_record_measurement(actor, indicator.item):
        raise PermissionDenied(N_("You may not record measurements on this item."))
    audit.set_actor(db.session, actor)
    number = _number(value, "value", required=True)
    day = parse_date(measured_on, "measured_on")
    if day is None:
        raise ValidationError(N_("The date is required."), fields={"measured_on": N_("Required.")})
    if day > today():
        raise ValidationError(N_("A measurement cannot be in the future."),
                              fields={"measured_on": N_("In the future.")})
    note = clean_text(note, "note", 2000, required=False)
    measurement = db.session.scalar(select(Measurement).where(
        Measurement.indicator_id == indicator.id, Measurement.measured_on == day))
    if measurement is None:
        measurement = Measurement(indicator=indicator, measured_on=day, value=number, note=note,
                                  recorded_by_id=actor.id)
        db.session.add(measurement)
    else:
        _set_if_changed(measurement, "value", number)
        _set_if_changed(measurement, "note", note)
        measurement.recorded_by_id = actor.id
    db.session.flush()
    return measurement
