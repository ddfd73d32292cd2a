"""Opening and closing reporting rounds (managers and admins). Closing freezes the round's
report with the builder the app factory registers (``register_report_builder``): rounds
import no reports, as nothing but the factory and the command line does."""

import hashlib
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NoReturn

from flask import Flask, current_app
from sqlalchemy import select

from app import audit
from app.core.actor import Actor
from app.core.errors import N_, PermissionDenied, ValidationError
from app.core.time import utcnow
from app.core.validation import clean_text, collect, given, parse_date
from app.extensions import db
from app.items import policies as item_policies
from app.items import workflow
from app.items.arguments import parse_filters
from app.items.models import Item
from app.items.queries import apply_filters, stale_days
from app.rounds.models import Round, RoundItem, RoundReport
from app.rounds.queries import window

TITLE_MAX = 200
BUILDER = "suivi.round_report"
# (round, language) -> [(format, bytes, as_of)]
ReportBuilder = Callable[[Round, str], list[tuple[str, bytes, date]]]


def register_report_builder(app: Flask, builder: ReportBuilder) -> None:
    """Say how a closing round's report is built (the reports package's builder)."""
    app.extensions[BUILDER] = builder


def _require_manager(actor: Actor) -> None:
    if not item_policies.may_manage_items(actor):
        raise PermissionDenied(N_("Only a manager or an admin may open or close rounds."))


def _check_dates(opens_on: date | None, due_on: date | None) -> None:
    if opens_on and due_on and due_on < opens_on:
        raise ValidationError(
            N_("The due date must not come before the opening date."),
            fields={"due_on": N_("Before the opening date.")},
        )


def open_round(
    actor: Actor, *, title: Any, opens_on: Any, due_on: Any, filters: Mapping[str, Any]
) -> Round:
    """Open a round on the open items matching the item-list ``filters`` now; each needs an
    update from its lead organisation between the two dates."""
    _require_manager(actor)
    values = collect(
        title=lambda: clean_text(title, "title", TITLE_MAX),
        opens_on=lambda: parse_date(opens_on, "opens_on") or _required("opens_on"),
        due_on=lambda: parse_date(due_on, "due_on") or _required("due_on"),
        filters=lambda: parse_filters(given(filters)),
    )
    _check_dates(values["opens_on"], values["due_on"])
    scope = db.session.execute(
        apply_filters(
            select(Item.id, Item.lead_id), values["filters"], stale_days=stale_days()
        ).where(Item.status.not_in(workflow.CLOSED_STATUSES))
    ).all()
    if not scope:
        raise ValidationError(
            N_("No open item matches these filters: the round would be empty."),
            fields={"filters": N_("No open item matches.")},
        )
    audit.set_actor(db.session, actor)
    rnd = Round(
        title=values["title"],
        opens_on=values["opens_on"],
        due_on=values["due_on"],
        filters=values["filters"].as_args(),
        created_by_id=actor.id,
    )
    rnd.starts_at, rnd.ends_at = window(rnd)
    db.session.add(rnd)
    db.session.flush()
    db.session.add_all(
        RoundItem(round_id=rnd.id, item_id=item_id, lead_id=lead_id) for item_id, lead_id in scope
    )
    db.session.flush()
    return rnd


def _required(field: str) -> NoReturn:
    raise ValidationError(
        N_("%(field)s is required."), fields={field: N_("Required.")}, field=field
    )


def close_round(actor: Actor, rnd: Round) -> list[RoundReport]:
    """Close the round and freeze its report — the summary, CSV, XLSX and PDF as of its due
    date (today, if it closes earlier) — with each file's SHA-256."""
    _require_manager(actor)
    if rnd.closed_at is not None:
        raise ValidationError(N_("This round is already closed."))
    audit.set_actor(db.session, actor)
    now = utcnow()
    rnd.closed_at, rnd.closed_by_id = now, actor.id
    builder: ReportBuilder = current_app.extensions[BUILDER]
    reports = []
    for fmt, content, as_of in builder(rnd, getattr(actor, "language", None) or "en"):
        report = RoundReport(
            round_id=rnd.id,
            format=fmt,
            content=content,
            size_bytes=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            as_of=as_of,
            created_at=now,
        )
        db.session.add(report)
        reports.append(report)
    db.session.flush()
    return reports
